"""Working days: Monday to Friday, less England and Wales bank holidays (the `holidays` package)."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month ``months`` calendar months before, or the month's last day
    when it is shorter (29 February 2024 less 12 months is 28 February 2023), as
    PostgreSQL's ``date - interval 'N months'`` gives."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_from(start: datetime.date, count: int) -> list[datetime.date]:
    """The first ``count`` working days on or after ``start``."""
    days, day = [], start
    while len(days) < count:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The working day ``count`` working days after ``start`` (``start`` itself not counted)."""
    day, added = start, 0
    while added < count:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            added += 1
    return day


def subtract_working_days(end: datetime.date, count: int) -> datetime.date:
    """The working day ``count`` working days before ``end`` (``end`` itself not counted): the
    earliest day from which ``add_working_days(day, count)`` still reaches ``end``."""
    day, taken = end, 0
    while taken < count:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            taken += 1
    return day


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month ``months`` calendar months later, or the month's last day
    when it is shorter (30 November plus 3 months is 28 February, or 29 in a leap year), as
    PostgreSQL's ``date + interval 'N months'`` gives. Mirrors months_before."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))
