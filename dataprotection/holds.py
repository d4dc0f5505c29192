"""What stops a destruction: legal holds, and the open work that holds a family without one (an
open complaint about it, an open subject access request about one of its members)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dataprotection.models import LegalHold


def active_holds(day: datetime.date | None = None):
    day = day or timezone.localdate()
    return LegalHold.objects.filter(placed__lte=day).filter(
        Q(released__isnull=True) | Q(released__gt=day)
    )


def holds_on(
    family_ids: list[int], categories: dict[int, str], *, day: datetime.date | None = None
) -> dict[int, list[str]]:
    """For each of ``family_ids`` (whose categories are ``categories``), the holds that stop its
    destruction, each named as a reviewer should read it. Families held by nothing are left
    out. Three queries, however many families."""
    from feedback.models import Complaint

    holds = list(active_holds(day).filter(Q(family__isnull=True) | Q(family_id__in=family_ids)))
    found: dict[int, list[str]] = defaultdict(list)
    for hold in holds:
        for family_id in family_ids:
            if hold.family_id == family_id or (
                hold.family_id is None
                and (not hold.category or hold.category == categories.get(family_id))
            ):
                found[family_id].append(f"legal hold “{hold.title}” ({hold.get_kind_display()})")
    for family_id, reference in Complaint.objects.filter(
        family_id__in=family_ids, closed__isnull=True
    ).values_list("family_id", "reference"):
        found[family_id].append(f"open complaint {reference}")
    for family_id, reference in open_requests_about(family_ids):
        found[family_id].append(f"open subject access request {reference}")
    return dict(found)


def batch_holds(category: str, *, day: datetime.date | None = None) -> list[str]:
    """The legal holds on every record of ``category`` (a batch of logs, complaints or survey
    responses): those on the category, and those on everything."""
    holds = (
        active_holds(day).filter(family__isnull=True).filter(Q(category="") | Q(category=category))
    )
    return [f"legal hold “{hold.title}” ({hold.get_kind_display()})" for hold in holds]


def open_requests_about(family_ids: list[int]) -> list[tuple[int, str]]:
    """(family, reference) of each open subject access request about a member of a family."""
    from dataprotection.models import SubjectAccessRequest
    from families.models import FamilyMember

    members = FamilyMember.objects.filter(family_id__in=family_ids)
    return list(
        SubjectAccessRequest.objects.open()
        .filter(subject__memberships__in=members)
        .values_list("subject__memberships__family_id", "reference")
        .distinct()
    )


HOLD_RELEASED = "This hold was released on {day:%-d %B %Y}"


def hold_place(*, kind, title, by, reason="", family=None, category="") -> LegalHold:
    hold = LegalHold(
        kind=kind, title=title.strip(), reason=reason.strip(), family=family,
        category=category or "", placed_by=by,
    )  # fmt: skip
    hold.full_clean()
    hold._history_user = by
    hold.save()
    return hold


@transaction.atomic
def hold_release(*, hold: LegalHold, by) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released is not None:
        raise ValidationError(HOLD_RELEASED.format(day=hold.released))
    hold.released, hold.released_by = timezone.localdate(), by
    hold._history_user = by
    hold.save()
    return hold
