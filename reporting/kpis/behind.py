"""The children behind a child-counting figure, for the drill-down list: the same people the
KPI's query counts, as a queryset a view can narrow to the families its viewer may see."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet

from families.models import Allocation, ChildStatus, Episode, Family, FamilyMember, PodAllocation
from pods.models import current_on
from reporting.kpis.base import TEAM, WORKER, Period, Scope

STATUSES = {
    "cp_children": (ChildStatus.Kind.CP_PLAN, None),
    "children_in_care": (ChildStatus.Kind.LOOKED_AFTER, None),
    "children_in_care_excl_uasc": (ChildStatus.Kind.LOOKED_AFTER, False),
}


# The KPIs whose figure is a count of children, which the list behind a number can show.
DRILLABLE = frozenset({"open_children", *STATUSES})


def _held(rows: QuerySet, scope: Scope, day: datetime.date, family_path: str) -> QuerySet:
    if scope.kind == TEAM:
        holders = PodAllocation.objects.filter(current_on(day), team=scope.team)
    elif scope.kind == WORKER:
        holders = Allocation.objects.filter(current_on(day), worker=scope.worker)
    else:
        return rows
    return rows.filter(Exists(holders.filter(family=OuterRef(family_path))))


def families_held(scope: Scope, day: datetime.date) -> QuerySet[Family]:
    """Families with an episode open on the day, held by the scope on the day."""
    open_ = Family.objects.filter(
        Exists(Episode.objects.filter(current_on(day), family=OuterRef("pk")))
    )
    return _held(open_, scope, day, "pk")


def children_behind(key: str, period: Period, scope: Scope) -> QuerySet[FamilyMember] | None:
    """The children a child-counting KPI counts at the month end, or None for a KPI that does
    not count children."""
    day = period.end
    if key == "open_children":
        held = families_held(scope, day)
        return FamilyMember.objects.filter(relationship="child", family__in=held)
    if key not in STATUSES:
        return None
    kind, uasc = STATUSES[key]
    statuses = _held(ChildStatus.objects.filter(current_on(day), kind=kind), scope, day,
                     "family_id")  # fmt: skip
    if uasc is not None:
        statuses = statuses.filter(uasc=uasc)
    return FamilyMember.objects.filter(
        relationship="child",
        person_id__in=statuses.values("person_id"),
        family_id__in=statuses.values("family_id"),
    )
