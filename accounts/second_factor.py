"""Second factor (django-otp): TOTP devices from an authenticator app, and backup codes."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def verify_totp(user, token: str) -> bool:
    """Whether ``token`` is a current code of the user's confirmed authenticator app (each
    code once only: django-otp refuses a code at or before the last one used)."""
    device = confirmed_totp_device(user)
    token = "".join(token.split())
    return device is not None and token.isdigit() and device.verify_token(token)
