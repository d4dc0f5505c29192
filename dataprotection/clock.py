"""The subject access request's clock (UK GDPR article 12(3), as the ICO explains it): one
calendar month from the day of receipt, to the same day of the next month, or that month's
last day when it is shorter; a deadline on a weekend or bank holiday moves to the next working
day. It can be extended by two further months, for complex or many requests, when the
requester is told why within the first month."""

from __future__ import annotations

import datetime

from pods.working_days import is_working_day, months_after


def _next_working_day(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def response_due(received: datetime.date) -> datetime.date:
    return _next_working_day(months_after(received, 1))


def latest_extension(received: datetime.date) -> datetime.date:
    """The furthest an extension can go: three calendar months from receipt."""
    return _next_working_day(months_after(received, 3))
