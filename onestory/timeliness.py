"""Statutory visit timeliness: when each child with a plan or status must next be seen.

A child is due a visit a set interval after they were last seen on a home visit (or after
their status began, when they have not been seen since): 10 working days on a child
protection plan, 6 weeks when looked after, 20 working days on a child in need plan, by
default (settings.PODS_VISIT_INTERVALS). A child with more than one status is due by the
earliest of them."""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from families.models import ChildStatus, Family, Person
from onestory.models import ChildSeen, Entry
from pods.models import current_on
from pods.working_days import add_working_days, subtract_working_days


def visit_due_date(kind: str, since: datetime.date) -> datetime.date | None:
    """The day by which a child with a status of ``kind`` must be seen, counting from the
    last visit (or the status's start). None for statuses with no statutory visits."""
    return _interval_from(kind, since, forward=True)


def in_time_since(kind: str, day: datetime.date) -> datetime.date | None:
    """The earliest day a child with a status of ``kind`` can have been last seen (or have had
    the status begin) and still not be overdue on ``day``: ``visit_due_date(kind, since)`` is
    on or after ``day`` exactly when ``since`` is on or after this day. None for statuses with
    no statutory visits."""
    return _interval_from(kind, day, forward=False)


def _interval_from(kind: str, day: datetime.date, *, forward: bool) -> datetime.date | None:
    """``day`` moved by the visit interval of ``kind``, forward or back."""
    interval = settings.PODS_VISIT_INTERVALS.get(kind)
    if interval is None:
        return None
    unit, number = interval
    if unit == "working_days":
        return (add_working_days if forward else subtract_working_days)(day, number)
    if unit == "weeks":
        return day + datetime.timedelta(weeks=number if forward else -number)
    raise ValueError(f"Unknown visit interval unit {unit!r} for {kind}")


@dataclass(frozen=True)
class VisitDue:
    family: Family
    child: Person
    status: ChildStatus
    last_seen: datetime.date | None
    due: datetime.date
    today: datetime.date

    @property
    def overdue_days(self) -> int:
        return max(0, (self.today - self.due).days)

    @property
    def is_overdue(self) -> bool:
        return self.due < self.today

    @property
    def days_since_seen(self) -> int | None:
        return (self.today - self.last_seen).days if self.last_seen else None


def last_seen_dates(people_ids, until: datetime.date | None = None) -> dict[int, datetime.date]:
    """The day each child was last seen on a final home visit (on or before ``until``, when
    given): one query."""
    seen = ChildSeen.objects.filter(
        person_id__in=people_ids,
        entry__kind=Entry.Kind.HOME_VISIT,
        entry__status=Entry.Status.FINAL,
    )
    if until is not None:
        seen = seen.filter(entry__occurred__date__lte=until)
    rows = seen.values("person_id").annotate(last=Max("entry__occurred"))
    return {row["person_id"]: timezone.localtime(row["last"]).date() for row in rows}


def visits_due(families: QuerySet[Family], today: datetime.date | None = None) -> list[VisitDue]:
    """Every child in ``families`` with a status that needs visits, with their due date,
    most overdue first. Two queries, whatever the number of children."""
    today = today or timezone.localdate()
    statuses = list(
        ChildStatus.objects.filter(current_on(today), family__in=families)
        .filter(kind__in=list(settings.PODS_VISIT_INTERVALS))
        .select_related("person", "family")
    )
    seen = last_seen_dates({status.person_id for status in statuses}, until=today)
    earliest: dict[int, VisitDue] = {}
    for status in statuses:
        last = seen.get(status.person_id)
        since = max(last, status.start) if last else status.start
        due = VisitDue(
            family=status.family, child=status.person, status=status, last_seen=last,
            due=visit_due_date(status.kind, since), today=today,
        )  # fmt: skip
        current = earliest.get(status.person_id)
        if current is None or due.due < current.due:
            earliest[status.person_id] = due
    return sorted(earliest.values(), key=lambda item: (item.due, item.child.last_name))


def visit_counts(families: QuerySet[Family], day: datetime.date) -> tuple[int, int]:
    """How many children in ``families`` need statutory visits on ``day``, and how many of them
    are not overdue then: the rule of ``visits_due`` as one aggregate query. A status is
    overdue when it began before ``in_time_since`` and the child has not been seen on a final
    home visit since that day; a child is overdue when any of their statuses is."""
    statuses = ChildStatus.objects.filter(
        current_on(day), family__in=families, kind__in=list(settings.PODS_VISIT_INTERVALS)
    )
    seen = ChildSeen.objects.filter(
        person=OuterRef("person"),
        entry__kind=Entry.Kind.HOME_VISIT,
        entry__status=Entry.Status.FINAL,
        entry__occurred__date__lte=day,
    )
    overdue = reduce(
        operator.or_,
        (
            Q(kind=kind, start__lt=since) & ~Exists(seen.filter(entry__occurred__date__gte=since))
            for kind in settings.PODS_VISIT_INTERVALS
            for since in [in_time_since(kind, day)]
        ),
    )
    counts = statuses.aggregate(
        all=Count("person", distinct=True),
        overdue=Count("person", distinct=True, filter=overdue),
    )
    return counts["all"], counts["all"] - counts["overdue"]
