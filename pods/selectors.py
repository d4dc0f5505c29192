"""Reads of the organisation that views reuse. Each returns what a page needs in a fixed
number of queries, however large the service grows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from pods.establishment import with_establishment
from pods.models import Absence, DutyRota, Team, TeamMembership, Worker, current_on


def worker_for(user) -> Worker | None:
    """The Worker behind a sign-in, or None for an administrator who is not staff."""
    if not user.is_authenticated:
        return None
    try:
        return user.worker
    except Worker.DoesNotExist:
        return None


def home_team(worker: Worker, as_of: datetime.date) -> Team | None:
    """The team a worker belongs to today: their pod if they are in one, else their first team."""
    membership = (
        TeamMembership.objects.current_on(as_of)
        .filter(worker=worker)
        .select_related("team")
        .order_by("team__kind", "team__name")  # "pod" sorts before the other kinds
        .first()
    )
    if membership is None:
        return None
    pod = (
        TeamMembership.objects.current_on(as_of)
        .filter(worker=worker, team__kind=Team.Kind.POD)
        .select_related("team")
        .first()
    )
    return (pod or membership).team


@dataclass(frozen=True)
class RosterRow:
    worker: Worker
    membership: TeamMembership
    absence: Absence | None
    on_duty: bool
    # Whether the reader may see why the worker is away (pods.permissions decides; the view
    # sets it). Off unless set, so a page that forgets shows "Away", never "Sickness".
    absence_kind_shown: bool = False

    @property
    def absence_label(self) -> str:
        if self.absence is None:
            return ""
        return self.absence.get_kind_display() if self.absence_kind_shown else "Away"


def team_roster(team: Team, as_of: datetime.date) -> list[RosterRow]:
    """The team's members on ``as_of``, with who is away and who is on duty.
    Three queries: memberships with workers, their absences that day, the duty day."""
    absent_today = Prefetch(
        "worker__absences",
        queryset=Absence.objects.filter(start__lte=as_of, end__gte=as_of),
        to_attr="absences_today",
    )
    memberships = (
        TeamMembership.objects.current_on(as_of)
        .filter(team=team)
        .filter(current_on(as_of, "worker__start_date", "worker__leave_date"))
        .select_related("worker__user")
        .prefetch_related(absent_today)
    )
    duty_worker_id = (
        DutyRota.objects.filter(team=team, date=as_of).values_list("worker_id", flat=True).first()
    )
    rows = [
        RosterRow(
            worker=m.worker,
            membership=m,
            absence=m.worker.absences_today[0] if m.worker.absences_today else None,
            on_duty=m.worker_id == duty_worker_id,
        )
        for m in memberships
    ]
    role_order = {role: index for index, role in enumerate(Worker.Role.values)}
    rows.sort(key=lambda row: (role_order[row.worker.role], row.worker.name))
    return rows


def team_with_establishment(team_id: int, as_of: datetime.date) -> Team:
    return with_establishment(Team.objects.filter(pk=team_id), as_of).get()


def teams_overview(as_of: datetime.date):
    """Every team active on ``as_of`` with its headcount, FTE and establishment, in one query."""
    return with_establishment(Team.objects.active_on(as_of), as_of).order_by("kind", "name")


def duty_rota(team: Team, dates: list[datetime.date]) -> dict[datetime.date, DutyRota]:
    days = DutyRota.objects.filter(team=team, date__in=dates).select_related("worker__user")
    return {day.date: day for day in days}


def reviewing_officers_on(day: datetime.date) -> QuerySet[Worker]:
    """Reviewing officers in post on the day: who chairs conferences and reviews."""
    return (
        Worker.objects.employed_on(day)
        .filter(role=Worker.Role.REVIEWING_OFFICER)
        .select_related("user")
    )


def visiting_members(team: Team, day: datetime.date) -> QuerySet[Worker]:
    """The team's members on the day who go out to families (everyone but business support)."""
    return (
        Worker.objects.filter(
            memberships__in=TeamMembership.objects.current_on(day).filter(team=team)
        )
        .exclude(role=Worker.Role.BUSINESS_SUPPORT_OFFICER)
        .select_related("user")
    )
