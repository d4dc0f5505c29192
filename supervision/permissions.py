"""Who runs, reads and is supervised by whom. Everything is derived from team memberships on
the day in question, so a worker who moves pod is supervised by their new pod manager without
anyone updating a second record.

- A pod's group supervision is run by a pod manager of the pod, and read by its members.
- A worker's supervisor is the pod manager of their team; a pod manager's supervisors are the
  senior leaders. A 1:1 is opened by the supervisor, the supervisee, the supervisor's own
  supervisors and the supervisor's named line manager; its wellbeing section is read only by
  the supervisor, the supervisee and the supervisor's line manager (``Worker.line_manager``
  as it is at the time of the request)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from pods.models import Team, TeamMembership, Worker
from pods.permissions import is_member, is_pod_manager, managed_pods, manages, members_on
from pods.selectors import worker_for

__all__ = ["is_member", "managed_pods", "manages", "members_on"]


def can_user_run_group_supervision(user, pod: Team, day: datetime.date) -> bool:
    """A pod's group supervision is run by a pod manager of the pod on the day."""
    return manages(worker_for(user), pod, day)


def can_user_attend_group_supervision(user, pod: Team, day: datetime.date) -> bool:
    """Its members on the day read it."""
    return is_member(worker_for(user), pod, day)


def supervisors_of(worker: Worker, day: datetime.date) -> QuerySet[Worker]:
    """Who may hold and record the worker's 1:1 supervision on the day."""
    if is_pod_manager(worker):
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


def _is_supervisors_line_manager(reader: Worker, supervision, day: datetime.date) -> bool:
    """The supervisor's line manager now, while still employed."""
    return (
        reader.pk == supervision.supervisor.line_manager_id
        and Worker.objects.employed_on(day).filter(pk=reader.pk).exists()
    )


def can_user_view_one_to_one(user, supervision, day: datetime.date) -> bool:
    """Who may open a 1:1 at all: the two of them, the supervisor's own supervisors on the
    day and the supervisor's line manager. Anyone else gets the 404 of a 1:1 that does not
    exist."""
    reader = worker_for(user)
    if reader is None:
        return False
    if reader.pk in (supervision.supervisor_id, supervision.supervisee_id):
        return True
    return (
        _is_supervisors_line_manager(reader, supervision, day)
        or supervisors_of(supervision.supervisor, day).filter(pk=reader.pk).exists()
    )


def can_user_read_wellbeing(user, supervision, day: datetime.date | None = None) -> bool:
    """The wellbeing and containment notes of a 1:1: the supervisor, the supervisee and the
    supervisor's line manager at the time of the request (DESIGN §4), not every senior
    leader. Each read is written to the security log by the view that shows them."""
    reader = worker_for(user)
    if reader is None:
        return False
    if reader.pk in (supervision.supervisor_id, supervision.supervisee_id):
        return True
    return _is_supervisors_line_manager(reader, supervision, day or timezone.localdate())
