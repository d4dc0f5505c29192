"""Statutory meetings due and overdue, per family, worker and pod, within what the viewer may
see (families.selectors, which start from ``Family.objects.visible_to``). Each list is a few
queries however many families: the families' ids, then scheduling.clocks.meetings_due."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from families import selectors as family_selectors
from families.models import Family
from pods.models import Team, Worker
from pods.working_days import add_working_days
from scheduling.clocks import MeetingDue, meetings_due


def _due_in(families: QuerySet[Family], today: datetime.date) -> list[MeetingDue]:
    # The ids first: handed on as a subquery, the visibility rules would run in every query.
    return meetings_due(list(families.values_list("pk", flat=True)), today)


def meetings_for_family(family: Family, today: datetime.date) -> list[MeetingDue]:
    """The family's meetings due (the family already opened through the door)."""
    return meetings_due([family.pk], today)


def meetings_for_worker(user, worker: Worker, today: datetime.date) -> list[MeetingDue]:
    """Meetings due in the open families the worker holds, as far as ``user`` may see."""
    return _due_in(family_selectors.held_by(user, worker), today)


def meetings_for_team(user, team: Team, today: datetime.date) -> list[MeetingDue]:
    """Meetings due in the open families the pod holds, as far as ``user`` may see."""
    return _due_in(family_selectors.held_by_team(user, team), today)


def unbooked(meetings: list[MeetingDue]) -> list[MeetingDue]:
    """Those with no appointment booked yet, in the order given."""
    return [m for m in meetings if m.booked is None]


def meetings_to_schedule(user, team: Team, today: datetime.date) -> list[MeetingDue]:
    """The pod's meetings due with no appointment booked: the business support officer's
    list, nearest deadline first."""
    return unbooked(meetings_for_team(user, team, today))


def meetings_due_within(
    user, worker: Worker, today: datetime.date, working_days: int
) -> list[MeetingDue]:
    """The worker's meetings overdue or due in the next ``working_days`` working days (the
    daily digest)."""
    until = add_working_days(today, working_days)
    return [m for m in meetings_for_worker(user, worker, today) if m.due <= until]


def with_families(meetings: list[MeetingDue]) -> list[tuple[MeetingDue, Family]]:
    """Each meeting with its family, for pages (one query; the order kept). The meetings
    come from families the viewer may see, so their families are fetched by key."""
    families = Family.objects.in_bulk({m.family_id for m in meetings})
    return [(m, families[m.family_id]) for m in meetings if m.family_id in families]
