"""Reads that gather what several apps know of a family, for the pages composed here."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from families.models import Allocation, ChildStatus, Family, FamilyMember
from onestory.models import Entry
from pods.models import current_on


def with_list_details(families: QuerySet[Family], today: datetime.date) -> QuerySet[Family]:
    """What the family lists show: children with their current statuses, the worker holding
    the family, and the last home visit. Four queries in all, whatever the number of families."""
    last_visit = (
        Entry.objects.filter(
            family=OuterRef("pk"), kind=Entry.Kind.HOME_VISIT, status=Entry.Status.FINAL
        )
        .order_by("-occurred")
        .values("occurred")[:1]
    )
    return (
        families.annotate(last_visit=Subquery(last_visit))
        .prefetch_related(
            Prefetch(
                "members",
                queryset=FamilyMember.objects.filter(relationship=FamilyMember.Relationship.CHILD)
                .select_related("person")
                .order_by("person__date_of_birth"),
                to_attr="children",
            ),
            Prefetch(
                "child_statuses",
                queryset=ChildStatus.objects.filter(current_on(today)).order_by("kind"),
                to_attr="current_statuses",
            ),
            Prefetch(
                "allocations",
                queryset=Allocation.objects.filter(end__isnull=True).select_related("worker__user"),
                to_attr="current_allocations",
            ),
        )
        .order_by("display_name", "pk")
    )
