"""Who may arrange what. Seeing a family at all is only ``Family.objects.visible_to``
(DESIGN §5); these checks come after it, so a refusal (403) never reveals a family.

Business support arrange everything (appointments, meetings, letters, calls, cover) but write
no case narrative: recording what happened at a visit or a meeting is the worker's
(onestory.permissions.can_user_write_story)."""

from __future__ import annotations

import datetime

from families.models import Family
from onestory.permissions import can_user_write_story
from pods.models import Team, Worker
from pods.permissions import (
    POD_ROLES,
    can_user_see_all_teams,
    is_business_support,
    is_member,
    is_pod_manager,
)
from pods.selectors import worker_for

# Who books appointments: the pod (business support, managers and practitioners book their
# own visits), the reviewing officers who chair conferences, and lead practitioners in joint
# work.
SCHEDULER_ROLES = POD_ROLES | {Worker.Role.REVIEWING_OFFICER, Worker.Role.LEAD_PRACTITIONER}


def _worker(user) -> Worker | None:
    return worker_for(user)


def can_user_schedule(user) -> bool:
    worker = _worker(user)
    return worker is not None and worker.role in SCHEDULER_ROLES


def can_user_schedule_for(user, family: Family) -> bool:
    """Book, move or cancel the family's appointments (the family already seen)."""
    return can_user_schedule(user)


def can_user_see_calendar(user, team: Team, day: datetime.date) -> bool:
    """A team's week: its members, and the service-wide roles that see every team."""
    return is_member(_worker(user), team, day) or can_user_see_all_teams(user)


def can_user_see_worker_calendar(user, worker: Worker, team: Team, day: datetime.date) -> bool:
    """A colleague's week, for a member of a team they are in."""
    return is_member(worker, team, day) and can_user_see_calendar(user, team, day)


def can_user_record_what_happened(user, family: Family) -> bool:
    """Writing up a held visit or meeting is case narrative."""
    return can_user_write_story(user, family)


def can_user_take_calls(user) -> bool:
    """Business support and the pod's workers (the duty worker among them) log calls."""
    worker = _worker(user)
    return worker is not None and worker.role in POD_ROLES


def can_user_arrange_cover(user, team: Team | None, day: datetime.date) -> bool:
    """The pod's business support officer and its pod manager hand appointments to cover."""
    worker = _worker(user)
    return (
        team is not None
        and (is_business_support(worker) or is_pod_manager(worker))
        and is_member(worker, team, day)
    )


def can_user_send_letters(user, family: Family) -> bool:
    return can_user_schedule(user)
