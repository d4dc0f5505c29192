"""Exceptions to pod visibility: grants to named people, break glass and restricted records,
each written to the security log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.security_log import Kind as SecurityKind
from accounts.security_log import Outcome as SecurityOutcome
from accounts.security_log import security_event_record
from families.models import (
    Family,
    FamilyGrant,
    FamilyUserObjectPermission,
    RestrictedAccess,
)
from families.models.visibility import VIEW_FAMILY

REASON_NEEDED = "Enter the reason"
EXPIRY_NEEDED = "Enter when this access ends"
EXPIRY_IN_PAST = "The access must end in the future"
EXPIRY_TOO_LONG = "Access can be given for at most {days} days at a time"
MAX_GRANT_DAYS = 90
BREAK_GLASS_RESTRICTED = (
    "This record is restricted, so break glass cannot open it: only the workers named on the "
    "restriction can see it. Ask the manager of the pod that holds the family to add you, "
    "giving them the reference"
)


def _view_permission() -> Permission:
    return Permission.objects.get(codename=VIEW_FAMILY, content_type__app_label="families")


@transaction.atomic
def grant_give(
    *,
    family: Family,
    user,
    kind: str,
    reason: str,
    expires: datetime.datetime | None,
    granted_by,
    request=None,
) -> FamilyGrant:
    """Let someone outside the pod see the family, for a reason, until ``expires``. Written
    to the security log (``request``, when there is one, gives the address)."""
    grant = _grant_create(
        family=family, user=user, kind=kind, reason=reason, expires=expires, granted_by=granted_by
    )
    security_event_record(
        kind=SecurityKind.GRANT_GIVEN,
        request=request,
        user=granted_by,
        target=family,
        detail=_grant_detail(grant),
    )
    return grant


def _grant_create(*, family, user, kind, reason, expires, granted_by) -> FamilyGrant:
    now = timezone.now()
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = REASON_NEEDED
    if expires is None:
        errors["expires"] = EXPIRY_NEEDED
    elif expires <= now:
        errors["expires"] = EXPIRY_IN_PAST
    elif expires > now + datetime.timedelta(days=MAX_GRANT_DAYS):
        errors["expires"] = EXPIRY_TOO_LONG.format(days=MAX_GRANT_DAYS)
    if errors:
        raise ValidationError(errors)
    grant = FamilyGrant.objects.create(
        family=family,
        user=user,
        kind=kind,
        reason=reason.strip(),
        granted_by=granted_by,
        starts=now,
        expires=expires,
    )
    FamilyUserObjectPermission.objects.get_or_create(
        content_object=family, user=user, permission=_view_permission()
    )
    return grant


def _grant_detail(grant: FamilyGrant) -> str:
    # Who and until when, never the reason: the reason is free text about the family, and the
    # security log is read by administrators who are not entitled to case information.
    until = f"{timezone.localtime(grant.expires):%Y-%m-%d %H:%M}"
    return f"{grant.get_kind_display()} for {grant.user.get_username()} until {until}"


@transaction.atomic
def grant_revoke(*, grant: FamilyGrant, by=None, request=None) -> None:
    grant.revoked = timezone.now()
    grant.save()
    if not FamilyGrant.objects.in_force().filter(family=grant.family, user=grant.user).exists():
        FamilyUserObjectPermission.objects.filter(
            content_object=grant.family, user=grant.user
        ).delete()
    security_event_record(
        kind=SecurityKind.GRANT_REVOKED,
        request=request,
        user=by,
        target=grant.family,
        detail=f"{grant.get_kind_display()} for {grant.user.get_username()}",
    )


def break_glass(*, family: Family, user, reason: str, request=None) -> FamilyGrant:
    """A senior leader opens a family outside their visibility: recorded, reasoned, short.

    A restricted family is seen only by the workers named on it, so a grant could not open it:
    the attempt is refused (and logged) instead of leaving a grant that lets nobody in."""
    if family.restricted and not family.restricted_access.filter(user=user).exists():
        security_event_record(
            kind=SecurityKind.BREAK_GLASS,
            outcome=SecurityOutcome.REFUSED,
            request=request,
            user=user,
            target=family,
            detail="The record is restricted to named workers",
        )
        # Not inside the transaction below: the refusal stays in the log after the raise.
        raise ValidationError({"reference": BREAK_GLASS_RESTRICTED})
    with transaction.atomic():
        grant = _grant_create(
            family=family,
            user=user,
            kind=FamilyGrant.Kind.BREAK_GLASS,
            reason=reason,
            expires=timezone.now() + datetime.timedelta(hours=settings.PODS_BREAK_GLASS_HOURS),
            granted_by=user,
        )
        security_event_record(
            kind=SecurityKind.BREAK_GLASS,
            request=request,
            user=user,
            target=family,
            detail=_grant_detail(grant),
        )
    return grant


def grants_expired_clear(*, at: datetime.datetime | None = None) -> int:
    """Daily tidy-up of guardian user rows that no grant in force stands behind. Visibility
    never relies on this: expiry is checked at query time."""
    in_force = FamilyGrant.objects.in_force(at).filter(
        user=OuterRef("user"), family=OuterRef("content_object")
    )
    count, _ = FamilyUserObjectPermission.objects.exclude(Exists(in_force)).delete()
    return count


@transaction.atomic
def family_restrict(
    *, family: Family, reason: str, review_date: datetime.date, named_users, by, request=None
) -> Family:
    """Restrict a family to named workers only. The person restricting it is always named."""
    if not reason.strip():
        raise ValidationError({"reason": REASON_NEEDED})
    if review_date is None or review_date <= timezone.localdate():
        raise ValidationError({"review_date": "Enter a review date in the future"})
    family.restricted = True
    family.restriction_reason = reason.strip()
    family.restriction_review_date = review_date
    family.save()
    named = {*named_users, by}
    for user in named:
        RestrictedAccess.objects.get_or_create(family=family, user=user, defaults={"added_by": by})
    security_event_record(
        kind=SecurityKind.RECORD_RESTRICTED,
        request=request,
        user=by,
        target=family,
        detail=f"Named: {', '.join(sorted(user.get_username() for user in named))}; "
        f"review on {review_date:%Y-%m-%d}",
    )
    return family
