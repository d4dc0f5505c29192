"""The clocks of the children's statutory complaints procedure, on working days (weekends and
England and Wales bank holidays skipped, ``pods.working_days``), from
``settings.PODS_COMPLAINT_CLOCKS`` (read when asked, so a council can set its own):

- stage 1 (local resolution): the response is due 10 working days after the complaint is
  received, extendable **once** to 20 working days, still counted from receipt, with a reason;
- after a stage's response the complainant may ask to escalate within 20 working days (stage 1
  to stage 2, and stage 2 to stage 3 alike);
- stage 2 (investigation): 25 working days from the request, extendable to 65;
- stage 3 (review panel): the panel meets within 30 working days of the request, and is not
  extended.

Each function takes the day the clock starts and gives the last day allowed. The day the
clock starts is not counted (a complaint received on a Monday is due on the Monday two weeks
later), as ``add_working_days`` counts."""

from __future__ import annotations

import datetime

from django.conf import settings

from pods.working_days import add_working_days, is_working_day


def _days(name: str) -> int:
    return settings.PODS_COMPLAINT_CLOCKS[name]


def stage1_due(received: datetime.date) -> datetime.date:
    return add_working_days(received, _days("stage1_working_days"))


def stage1_latest_extension(received: datetime.date) -> datetime.date:
    """The furthest a stage 1 response may be put back: 20 working days from receipt."""
    return add_working_days(received, _days("stage1_extended_working_days"))


def escalation_deadline(responded: datetime.date) -> datetime.date:
    """The last day the complainant may ask for the next stage after a stage's response."""
    return add_working_days(responded, _days("escalation_working_days"))


def stage2_due(requested: datetime.date) -> datetime.date:
    return add_working_days(requested, _days("stage2_working_days"))


def stage2_latest_extension(requested: datetime.date) -> datetime.date:
    return add_working_days(requested, _days("stage2_extended_working_days"))


def stage3_due(requested: datetime.date) -> datetime.date:
    return add_working_days(requested, _days("stage3_working_days"))


def stage_due(number: int, opened: datetime.date) -> datetime.date:
    """The deadline a stage gets when it opens."""
    return {1: stage1_due, 2: stage2_due, 3: stage3_due}[number](opened)


def latest_extension(number: int, opened: datetime.date) -> datetime.date | None:
    """The furthest a stage may be extended to, or None for the panel (never extended)."""
    clock = {1: stage1_latest_extension, 2: stage2_latest_extension}.get(number)
    return clock(opened) if clock else None


def extension_working_days(number: int) -> int | None:
    """How many working days from its opening a stage may be extended to."""
    name = {1: "stage1_extended_working_days", 2: "stage2_extended_working_days"}.get(number)
    return _days(name) if name else None


def working_days_left(today: datetime.date, deadline: datetime.date) -> int:
    """Working days after ``today`` up to and including ``deadline`` (0 on the day itself);
    negative when late: minus the working days since the deadline, up to and including today."""
    if today <= deadline:
        return _working_days_between(today, deadline)
    return -_working_days_between(deadline, today)


def _working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
