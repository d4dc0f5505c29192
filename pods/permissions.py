"""Who may see and do what in the organisation screens. Views and templates ask these
functions; nothing else checks roles directly.

Organisation data is not case data (that is families/permissions.py, DESIGN §5), but it is
still kept to those who need it: staff see their own teams, leaders see the whole service."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

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
# Roles whose home is a pod: its members see the pod's families and its calendar.
POD_ROLES = {
    Worker.Role.POD_MANAGER,
    Worker.Role.SENIOR_SOCIAL_WORKER,
    Worker.Role.SOCIAL_WORKER,
    Worker.Role.STUDENT_SOCIAL_WORKER,
    Worker.Role.BUSINESS_SUPPORT_OFFICER,
}
# Roles that visit families and record what they did: their home page is their caseload.
PRACTITIONER_ROLES = {
    Worker.Role.SOCIAL_WORKER,
    Worker.Role.SENIOR_SOCIAL_WORKER,
    Worker.Role.STUDENT_SOCIAL_WORKER,
    Worker.Role.REVIEWING_OFFICER,
}


def _has_role(worker: Worker | None, *roles) -> bool:
    return worker is not None and worker.role in roles


# What kind of worker someone is, asked by name: views and templates use these, never the
# role strings themselves.
def is_pod_manager(worker: Worker | None) -> bool:
    return _has_role(worker, Worker.Role.POD_MANAGER)


def is_senior_leader(worker: Worker | None) -> bool:
    return _has_role(worker, Worker.Role.SENIOR_LEADER)


def is_business_support(worker: Worker | None) -> bool:
    return _has_role(worker, Worker.Role.BUSINESS_SUPPORT_OFFICER)


def is_complaints_officer(worker: Worker | None) -> bool:
    return _has_role(worker, Worker.Role.COMPLAINTS_OFFICER)


def is_performance_officer(worker: Worker | None) -> bool:
    return _has_role(worker, Worker.Role.PERFORMANCE_OFFICER)


def is_data_protection_officer(worker: Worker | None) -> bool:
    return _has_role(worker, Worker.Role.DATA_PROTECTION_OFFICER)


def is_student(worker: Worker | None) -> bool:
    return _has_role(worker, Worker.Role.STUDENT_SOCIAL_WORKER)


def is_practitioner(worker: Worker | None) -> bool:
    return _has_role(worker, *PRACTITIONER_ROLES)


def is_lead_practitioner(worker: Worker | None) -> bool:
    return _has_role(worker, Worker.Role.LEAD_PRACTITIONER)


def is_reviewing_officer(worker: Worker | None) -> bool:
    return _has_role(worker, Worker.Role.REVIEWING_OFFICER)


def works_in_a_pod(worker: Worker | None) -> bool:
    return _has_role(worker, *POD_ROLES)


def is_member(worker: Worker | None, team: Team, day: datetime.date) -> bool:
    """``worker`` is in ``team`` on ``day``."""
    return (
        worker is not None
        and TeamMembership.objects.current_on(day).filter(worker=worker, team=team).exists()
    )


def members_on(team: Team, day: datetime.date) -> QuerySet[Worker]:
    return Worker.objects.filter(
        memberships__in=TeamMembership.objects.current_on(day).filter(team=team)
    ).select_related("user")


def manages(worker: Worker | None, team: Team, day: datetime.date) -> bool:
    """The one definition of "pod manager of this pod": a pod manager in the team on the day."""
    return is_pod_manager(worker) and is_member(worker, team, day)


def managed_pods(worker: Worker | None, day: datetime.date) -> QuerySet[Team]:
    if not is_pod_manager(worker):
        return Team.objects.none()
    return Team.objects.filter(
        kind=Team.Kind.POD,
        memberships__in=TeamMembership.objects.current_on(day).filter(worker=worker),
    )


def can_user_see_all_teams(user) -> bool:
    if user.is_superuser:
        return True
    worker = worker_for(user)
    return worker is not None and worker.role in SERVICE_WIDE_ROLES


def can_user_view_team(user, team: Team, as_of: datetime.date) -> bool:
    return can_user_see_all_teams(user) or is_member(worker_for(user), team, as_of)


def can_user_see_absence_kind(user, worker: Worker) -> bool:
    """Why ``worker`` is away (sickness is health data): the worker themself and their line
    manager. Everyone else, colleagues and service-wide roles alike, sees only "Away"."""
    reader = worker_for(user)
    if reader is None:
        return False
    return reader.pk in (worker.pk, worker.line_manager_id)


def can_user_keep_a_rota(user) -> bool:
    """Business support officers and pod managers keep their pod's duty rota."""
    return _has_role(worker_for(user), *ROTA_KEEPER_ROLES)


def can_user_keep_rota(user, team: Team, as_of: datetime.date) -> bool:
    """The team's business support officer and its pod manager keep its duty rota."""
    worker = worker_for(user)
    return (
        worker is not None and worker.role in ROTA_KEEPER_ROLES and is_member(worker, team, as_of)
    )
