"""Helpers for the tests of the statutory clocks, availability and the meeting KPIs: statuses
and appointments made with the ORM on given local days. Imported by those tests only."""

import datetime

from django.utils import timezone

from families import services as family_services
from families.models import ChildStatus, Family
from scheduling.models import Appointment

Kind, Status, Clock = Appointment.Kind, Appointment.Status, Appointment.Clock


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A Europe/London time on ``day``."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def _holder(family: Family):
    allocation = family.allocations.filter(end__isnull=True).select_related("worker").get()
    team = family.pod_allocations.filter(end__isnull=True).get().team
    return team, allocation.worker


def meeting(
    family: Family,
    kind: str,
    day: datetime.date,
    *,
    status: str = Status.HELD,
    hour: int = 10,
    minute: int = 0,
    minutes: int = 60,
    children=(),
    worker=None,
    chair=None,
    **fields,
) -> Appointment:
    """An appointment of the family's pod on ``day`` (held by default), with its worker."""
    team, holder = _holder(family)
    start = at(day, hour, minute)
    appointment = Appointment.objects.create(
        family=family,
        team=team,
        kind=kind,
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        status=status,
        worker=worker or holder,
        chair=chair,
        booked_by=holder.user,
        **fields,
    )
    appointment.children.set(children)
    return appointment


def status(family: Family, child, kind: str, start: datetime.date) -> ChildStatus:
    extra = {}
    if kind == ChildStatus.Kind.CP_PLAN:
        extra["cp_category"] = ChildStatus.CPCategory.NEGLECT
    if kind == ChildStatus.Kind.LOOKED_AFTER:
        extra["legal_status"] = ChildStatus.LegalStatus.CARE_ORDER
    return family_services.child_status_start(
        family=family, person=child, kind=kind, start=start, **extra
    )


def end(child_status: ChildStatus, day: datetime.date) -> ChildStatus:
    return family_services.child_status_end(status=child_status, end=day)
