"""The children behind a child-counting figure, for the drill-down list: the same people the
KPI's query counts, as a queryset a view can narrow to the families its viewer may see."""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate

from families.models import Allocation, ChildStatus, Episode, Family, FamilyMember, PodAllocation
from pods.models import current_on
from reporting.kpis.base import TEAM, WORKER, Period, Scope
from reporting.kpis.meetings import CALLS, CLOCKS
from scheduling.models import Appointment, CallTaken

STATUSES = {
    "cp_children": (ChildStatus.Kind.CP_PLAN, None),
    "children_in_care": (ChildStatus.Kind.LOOKED_AFTER, None),
    "children_in_care_excl_uasc": (ChildStatus.Kind.LOOKED_AFTER, False),
}


# The KPIs whose figure is a count of children, which the list behind a number can show, and
# the meeting and calls KPIs, behind which are the children of the meetings and calls missed.
DRILLABLE = frozenset({"open_children", *STATUSES, *CLOCKS, CALLS})


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


def _held_on_the_day(rows: QuerySet, scope: Scope) -> QuerySet:
    """Rows (with a ``day`` and a ``family_id``) of families the scope held on that day."""
    if scope.kind == TEAM:
        holders = PodAllocation.objects.filter(team=scope.team)
    elif scope.kind == WORKER:
        holders = Allocation.objects.filter(worker=scope.worker)
    else:
        return rows
    on_the_day = Q(start__lte=OuterRef("day")) & (Q(end__isnull=True) | Q(end__gte=OuterRef("day")))
    return rows.filter(Exists(holders.filter(on_the_day, family=OuterRef("family_id"))))


def _late(key: str, period: Period, scope: Scope) -> QuerySet:
    """The meetings a meeting KPI counts in the month that were held after their deadline,
    or the calls the calls KPI counts that were not picked up in time."""
    if key == CALLS:
        rows = CallTaken.objects.annotate(day=TruncDate("received")).exclude(
            picked_up__isnull=False, picked_up__date__lte=F("pick_up_by")
        )
    else:
        rows = Appointment.objects.annotate(day=TruncDate("start")).filter(
            status=Appointment.Status.HELD, clock__in=CLOCKS[key], day__gt=F("due")
        )
    return _held_on_the_day(rows.filter(day__range=(period.start, period.end)), scope)


def children_late(key: str, period: Period, scope: Scope) -> QuerySet[FamilyMember]:
    """Behind a meeting or calls KPI: the children of the families whose meetings in the month
    were held late (for a child in care review, the child it was about), or whose calls were
    not picked up in time."""
    late = _late(key, period, scope)
    if key == "cic_reviews_in_time":
        late = late.filter(children=OuterRef("person_id"))
    return FamilyMember.objects.filter(
        Exists(late.filter(family_id=OuterRef("family_id"))), relationship="child"
    )


def children_behind(key: str, period: Period, scope: Scope) -> QuerySet[FamilyMember] | None:
    """The children a child-counting KPI counts at the month end, or None for a KPI that does
    not count children; for a meeting or calls KPI, the children behind its misses."""
    if key in CLOCKS or key == CALLS:
        return children_late(key, period, scope)
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
