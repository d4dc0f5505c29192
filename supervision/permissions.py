"""Who runs, reads and is supervised by whom. Everything is derived from team memberships on
the day in question, so a worker who moves pod is supervised by their new pod manager without
anyone updating a second record.

- A pod's group supervision is run by a pod manager of the pod, and read by its members.
- A worker's supervisor is the pod manager of their team; a pod manager's supervisors are the
  senior leaders. The wellbeing section of a 1:1 is for the supervisor, the supervisee and the
  supervisor's own supervisors."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from pods.models import Team, TeamMembership, Worker


def members_on(team: Team, day: datetime.date) -> QuerySet[Worker]:
    return Worker.objects.filter(
        memberships__in=TeamMembership.objects.current_on(day).filter(team=team)
    ).select_related("user")


def is_member(worker: Worker | None, team: Team, day: datetime.date) -> bool:
    if worker is None:
        return False
    return TeamMembership.objects.current_on(day).filter(team=team, worker=worker).exists()


def manages(worker: Worker | None, team: Team, day: datetime.date) -> bool:
    """A pod manager in the team on the day."""
    return (
        worker is not None
        and worker.role == Worker.Role.POD_MANAGER
        and is_member(worker, team, day)
    )


def managed_pods(worker: Worker | None, day: datetime.date) -> QuerySet[Team]:
    if worker is None or worker.role != Worker.Role.POD_MANAGER:
        return Team.objects.none()
    return Team.objects.filter(
        kind=Team.Kind.POD,
        memberships__in=TeamMembership.objects.current_on(day).filter(worker=worker),
    )


def supervisors_of(worker: Worker, day: datetime.date) -> QuerySet[Worker]:
    """Who may hold and record the worker's 1:1 supervision on the day."""
    if worker.role == Worker.Role.POD_MANAGER:
        return Worker.objects.employed_on(day).filter(role=Worker.Role.SENIOR_LEADER)
    teams = TeamMembership.objects.current_on(day).filter(worker=worker).values("team")
    return (
        Worker.objects.filter(
            role=Worker.Role.POD_MANAGER,
            memberships__in=TeamMembership.objects.current_on(day).filter(team__in=teams),
        )
        .exclude(pk=worker.pk)
        .distinct()
    )


def supervisees_of(worker: Worker | None, day: datetime.date) -> QuerySet[Worker]:
    """The workers whose 1:1s ``worker`` holds on the day, in post."""
    if worker is None:
        return Worker.objects.none()
    if worker.role == Worker.Role.SENIOR_LEADER:
        return Worker.objects.employed_on(day).filter(role=Worker.Role.POD_MANAGER)
    if worker.role != Worker.Role.POD_MANAGER:
        return Worker.objects.none()
    teams = TeamMembership.objects.current_on(day).filter(worker=worker).values("team")
    return (
        Worker.objects.employed_on(day)
        .filter(memberships__in=TeamMembership.objects.current_on(day).filter(team__in=teams))
        .exclude(pk=worker.pk)
        .exclude(role=Worker.Role.POD_MANAGER)
        .distinct()
    )


def may_read_wellbeing(reader: Worker | None, supervision, day: datetime.date) -> bool:
    """The wellbeing and containment notes of a 1:1: the two of them, and the supervisor's own
    supervisors (today)."""
    if reader is None:
        return False
    if reader.pk in (supervision.supervisor_id, supervision.supervisee_id):
        return True
    return supervisors_of(supervision.supervisor, day).filter(pk=reader.pk).exists()
