"""The week calendars: a pod's (every member's appointments and absences, day by day) and one
worker's. Family appointments show the family only to someone who may see it; anyone else
sees "Busy". A handful of queries whatever the size of the pod or the week."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from families.models import Family
from pods.models import Absence, Team, Worker
from pods.permissions import members_on
from pods.working_days import is_working_day
from scheduling.models import Appointment


@dataclass
class CalendarItem:
    appointment: Appointment
    family: Family | None  # None for a family the viewer may not see (shown as busy)

    @property
    def is_hidden(self) -> bool:
        return self.appointment.family_id is not None and self.family is None


@dataclass
class CalendarDay:
    day: datetime.date
    is_working_day: bool
    items: list[CalendarItem] = field(default_factory=list)
    away: bool = False


@dataclass
class CalendarRow:
    worker: Worker
    days: list[CalendarDay]

    @property
    def count(self) -> int:
        return sum(len(day.items) for day in self.days)


@dataclass
class Week:
    monday: datetime.date
    days: list[datetime.date]
    rows: list[CalendarRow]
    families_shown: list[Family]

    @property
    def previous(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def parse_week(text: str | None, today: datetime.date) -> datetime.date:
    """The Monday of the week asked for (``?week=2026-12-07``, any day of it), else this one."""
    try:
        return monday_of(datetime.date.fromisoformat(text or ""))
    except ValueError:
        return monday_of(today)


def _week_days(monday: datetime.date, appointments) -> list[datetime.date]:
    """Monday to Friday, and the weekend days when something is booked on them."""
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    busy = {appointment.day for appointment in appointments}
    return [day for day in days if day.weekday() < 5 or day in busy]


def _appointments(workers: list[Worker], team: Team | None, monday: datetime.date):
    ids = [worker.pk for worker in workers]
    in_calendar = Q(worker_id__in=ids) | Q(chair_id__in=ids)
    if team is not None:
        in_calendar |= Q(team=team)
    return list(
        Appointment.objects.active()
        .between(monday, monday + datetime.timedelta(days=6))
        .filter(in_calendar)
        .select_related("worker__user", "chair__user")
        .order_by("start", "pk")
    )


def _visible_families(user, appointments) -> dict[int, Family]:
    ids = {a.family_id for a in appointments if a.family_id}
    if not ids:
        return {}
    return {f.pk: f for f in Family.objects.visible_to(user).filter(pk__in=ids)}


def _absent_days(workers, monday) -> dict[int, set[datetime.date]]:
    sunday = monday + datetime.timedelta(days=6)
    away: dict[int, set[datetime.date]] = {}
    for absence in Absence.objects.filter(worker__in=workers, start__lte=sunday, end__gte=monday):
        day = max(absence.start, monday)
        while day <= min(absence.end, sunday):
            away.setdefault(absence.worker_id, set()).add(day)
            day += datetime.timedelta(days=1)
    return away


def _week(user, workers: list[Worker], team: Team | None, monday: datetime.date) -> Week:
    appointments = _appointments(workers, team, monday)
    families = _visible_families(user, appointments)
    days = _week_days(monday, appointments)
    away = _absent_days(workers, monday)
    rows = {
        worker.pk: CalendarRow(
            worker=worker,
            days=[
                CalendarDay(
                    day=day, is_working_day=is_working_day(day), away=day in away.get(worker.pk, ())
                )
                for day in days
            ],
        )
        for worker in workers
    }
    index = {day: position for position, day in enumerate(days)}
    for appointment in appointments:
        item = CalendarItem(appointment=appointment, family=families.get(appointment.family_id))
        for person_id in dict.fromkeys((appointment.worker_id, appointment.chair_id)):
            if person_id in rows and appointment.day in index:
                rows[person_id].days[index[appointment.day]].items.append(item)
    return Week(
        monday=monday, days=days, rows=list(rows.values()), families_shown=list(families.values())
    )


def team_week(user, team: Team, monday: datetime.date) -> Week:
    """Every current member of the team, a row each, with their appointments as the worker
    who goes or as the chair."""
    workers = list(
        members_on(team, timezone.localdate()).order_by("user__first_name", "user__last_name")
    )
    return _week(user, workers, team, monday)


def worker_week(user, worker: Worker, monday: datetime.date) -> Week:
    return _week(user, [worker], None, monday)
