"""Writes to sign-ins that an administrator makes: each one business action in one transaction,
written to the security log with who did it and why."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.security_log import Kind, security_event_record
from accounts.sessions import sessions_end_all

RESET_REASON_REQUIRED = "Enter why the second factor is being reset, for example a lost phone"


@transaction.atomic
def second_factor_reset(*, user, reset_by, reason: str, request=None) -> int:
    """Delete every second-factor device of ``user`` (authenticator apps, with unconfirmed
    ones, and backup codes) and log the reset with its reason. At their next sign-in the
    person sets up a new authenticator app; every session they are signed in to ends, so a
    lost computer still signed in cannot set one up instead. Returns how many devices were
    deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": RESET_REASON_REQUIRED})
    deleted = 0
    for model in (TOTPDevice, StaticDevice):
        _total, per_model = model.objects.filter(user=user).delete()
        deleted += per_model.get(model._meta.label, 0)
    ended = sessions_end_all(user=user)
    security_event_record(
        kind=Kind.SECOND_FACTOR_RESET,
        request=request,
        user=reset_by,
        target=user,
        detail=f"{reason} ({ended} session(s) ended)",
    )
    return deleted
