"""Cover for an appointment whose worker is away: a colleague in the pod goes instead.

Who to suggest reads supervision (who presented the family at group supervision), which is
above scheduling, so the suggestions live in home/cover.py; this module only makes the
change, and keeps who covered whom (``CoverAssignment``) beside the appointment's history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from families.permissions import CASE_HOLDER_ROLES
from pods.models import Absence, Worker
from pods.permissions import is_member
from scheduling.models import Appointment, CoverAssignment

NOT_PLANNED = "Only a planned appointment can be covered: this one is {status}"
NO_WORKER = "This appointment has no worker to cover"
SAME_WORKER = "{name} already has this appointment: choose someone else to cover it"
NOT_IN_POD = "{name} is not in {team} on {day:%A %-d %B}: choose someone in the pod"
AWAY = "{name} is away on {day:%A %-d %B}: choose someone who is at work"
CANNOT_HOLD_CASES = "{name} does not visit families: choose a social worker or the pod manager"


def _check_cover_worker(appointment: Appointment, cover_worker: Worker) -> None:
    day = appointment.day
    name = cover_worker.name
    if cover_worker.pk == appointment.worker_id:
        raise ValidationError(SAME_WORKER.format(name=name))
    if cover_worker.role not in CASE_HOLDER_ROLES:
        raise ValidationError(CANNOT_HOLD_CASES.format(name=name))
    if not is_member(cover_worker, appointment.team, day):
        raise ValidationError(NOT_IN_POD.format(name=name, team=appointment.team.name, day=day))
    away = Absence.objects.filter(worker=cover_worker, start__lte=day, end__gte=day)
    if away.exists():
        raise ValidationError(AWAY.format(name=name, day=day))


@transaction.atomic
def cover_assign(*, appointment: Appointment, cover_worker: Worker, by) -> CoverAssignment:
    """Hand ``appointment`` to ``cover_worker`` for its absent worker, and record who asked.
    The row lock makes two clicks on two suggestions take turns: the second sees the first's
    cover as the appointment's worker."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=appointment.pk)
    )
    if appointment.status != Appointment.Status.PLANNED:
        raise ValidationError(NOT_PLANNED.format(status=appointment.get_status_display().lower()))
    if appointment.worker_id is None:
        raise ValidationError(NO_WORKER)
    _check_cover_worker(appointment, cover_worker)
    assignment = CoverAssignment.objects.create(
        appointment=appointment,
        away_worker_id=appointment.worker_id,
        cover_worker=cover_worker,
        assigned_by=by,
    )
    appointment.worker = cover_worker
    appointment._history_user = by
    appointment._change_reason = "Cover for an absent worker"
    appointment.save()
    return assignment
