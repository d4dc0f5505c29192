"""Who is free when: clashes with other appointments, absences, and the first slot inside a
statutory window that suits the family's worker, the chair and the family.

Working hours for a suggested slot are 09:30 to 16:30 (Europe/London), starting on the hour
or the half hour, on working days (weekends and England and Wales bank holidays skipped)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from families.models import Family
from pods.models import Absence, Worker
from pods.working_days import is_working_day
from scheduling.models import Appointment

DAY_STARTS = datetime.time(9, 30)
DAY_ENDS = datetime.time(16, 30)
STEP = datetime.timedelta(minutes=30)


def _present(workers: Iterable[Worker | None]) -> list[Worker]:
    return [worker for worker in workers if worker is not None]


def _overlapping(start: datetime.datetime, end: datetime.datetime) -> Q:
    """Appointments that share some of [start, end) (one ending as another starts does not)."""
    return Q(start__lt=end, end__gt=start)


def _involving(worker_ids) -> Q:
    return Q(worker_id__in=worker_ids) | Q(chair_id__in=worker_ids)


def clashes(
    *,
    workers: Iterable[Worker | None],
    start: datetime.datetime,
    end: datetime.datetime,
    exclude: Appointment | None = None,
) -> list[tuple[Worker, Appointment]]:
    """Each worker's active (planned or held) appointments, as the worker going or the
    chair, overlapping [start, end): one query. ``exclude`` is the appointment being moved."""
    workers = _present(workers)
    if not workers:
        return []
    by_id = {worker.pk: worker for worker in workers}
    others = Appointment.objects.active().filter(_involving(by_id), _overlapping(start, end))
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    found = []
    for other in others.order_by("start", "pk"):
        found += [(by_id[pk], other) for pk in dict.fromkeys((other.worker_id, other.chair_id))
                  if pk in by_id]  # fmt: skip
    return found


def _absences(worker_ids, first: datetime.date, last: datetime.date) -> list[Absence]:
    return list(Absence.objects.filter(worker_id__in=worker_ids, start__lte=last, end__gte=first))


def away(*, workers: Iterable[Worker | None], day: datetime.date) -> list[Worker]:
    """The workers with an absence (leave, sickness, training...) covering the day."""
    workers = _present(workers)
    absent = {a.worker_id for a in _absences([w.pk for w in workers], day, day)}
    return [worker for worker in workers if worker.pk in absent]


def _local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def _starts(day: datetime.date, duration: datetime.timedelta):
    """The starts on the half hour from 09:30 of meetings of ``duration`` ending by 16:30."""
    start, closes = _local(day, DAY_STARTS), _local(day, DAY_ENDS)
    while start + duration <= closes:
        yield start
        start += STEP


def suggest_slot(
    *,
    family: Family | None,
    workers: Iterable[Worker | None],
    earliest: datetime.date,
    latest: datetime.date,
    duration: datetime.timedelta,
    after: datetime.datetime | None = None,
    exclude: Appointment | None = None,
) -> datetime.datetime | None:
    """The first start on a working day from ``earliest`` to ``latest`` (both included),
    within working hours and not before ``after`` (now by default), when none of
    ``workers`` (the family's worker and the chair) is away or booked and the family has no
    other appointment: two queries however long the window. None when nothing fits."""
    after = after or timezone.now()
    worker_ids = [worker.pk for worker in _present(workers)]
    if latest < earliest:
        return None
    absences = _absences(worker_ids, earliest, latest)
    window = _overlapping(_local(earliest, DAY_STARTS), _local(latest, DAY_ENDS))
    taking_time = _involving(worker_ids)
    if family is not None:
        taking_time |= Q(family=family)
    busy = Appointment.objects.active().filter(window, taking_time)
    if exclude is not None and exclude.pk:
        busy = busy.exclude(pk=exclude.pk)
    busy = list(busy.values_list("start", "end"))
    day = earliest
    while day <= latest:
        if is_working_day(day) and not any(a.start <= day <= a.end for a in absences):
            for start in _starts(day, duration):
                end = start + duration
                if start >= after and not any(s < end and e > start for s, e in busy):
                    return start
        day += datetime.timedelta(days=1)
    return None


def chairs_free(*, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Worker]:
    """Reviewing officers employed on the day, not away then and with no appointment (as
    chair or otherwise) overlapping [start, end)."""
    day = timezone.localtime(start).date()
    busy = Appointment.objects.active().filter(_overlapping(start, end))
    return (
        Worker.objects.employed_on(day)
        .filter(role=Worker.Role.REVIEWING_OFFICER)
        .exclude(
            Exists(Absence.objects.filter(worker=OuterRef("pk"), start__lte=day, end__gte=day))
        )
        .exclude(Exists(busy.filter(worker=OuterRef("pk"))))
        .exclude(Exists(busy.filter(chair=OuterRef("pk"))))
        .select_related("user")
    )
