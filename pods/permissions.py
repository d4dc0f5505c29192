"""Who may see and do what in the organisation screens. Views and templates ask these
functions; nothing else checks roles directly.

Organisation data is not case data (that is families/permissions.py, DESIGN §5), but it is
still kept to those who need it: staff see their own teams, leaders see the whole service."""

from __future__ import annotations

import datetime

from pods.models import Team, TeamMembership, Worker
from pods.selectors import worker_for

# Roles that work across the whole service and so see every team.
SERVICE_WIDE_ROLES = {
    Worker.Role.SENIOR_LEADER,
    Worker.Role.PRINCIPAL_SOCIAL_WORKER,
    Worker.Role.PROFESSIONAL_EDUCATOR,
    Worker.Role.LEAD_PRACTITIONER,
}
ROTA_KEEPER_ROLES = {Worker.Role.BUSINESS_SUPPORT_OFFICER, Worker.Role.POD_MANAGER}


def can_user_see_all_teams(user) -> bool:
    if user.is_superuser:
        return True
    worker = worker_for(user)
    return worker is not None and worker.role in SERVICE_WIDE_ROLES


def _is_member(worker: Worker | None, team: Team, as_of: datetime.date) -> bool:
    return (
        worker is not None
        and TeamMembership.objects.current_on(as_of).filter(worker=worker, team=team).exists()
    )


def can_user_view_team(user, team: Team, as_of: datetime.date) -> bool:
    return can_user_see_all_teams(user) or _is_member(worker_for(user), team, as_of)


def can_user_see_absence_kind(user, worker: Worker) -> bool:
    """Why ``worker`` is away (sickness is health data): the worker themself and their line
    manager. Everyone else, colleagues and service-wide roles alike, sees only "Away"."""
    reader = worker_for(user)
    if reader is None:
        return False
    return reader.pk in (worker.pk, worker.line_manager_id)


def can_user_keep_rota(user, team: Team, as_of: datetime.date) -> bool:
    """The team's business support officer and its pod manager keep its duty rota."""
    worker = worker_for(user)
    return (
        worker is not None and worker.role in ROTA_KEEPER_ROLES and _is_member(worker, team, as_of)
    )
