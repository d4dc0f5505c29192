"""KPI values over time, read from the monthly reports already built (the report is the
record of what a month's figures were), and movement against the month and the year before."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from reporting.kpis import Period
from reporting.models import MonthlyReport


def _number(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def values_by_month(scope_key: str, first: Period, last: Period) -> dict[Period, dict]:
    reports = MonthlyReport.objects.filter(
        scope_key=scope_key,
        period__range=(first.start, last.start),
        status=MonthlyReport.Status.READY,
    ).values_list("period", "values")
    return {Period.of(day): values for day, values in reports}


def history(scope_key: str, last: Period, months: int, current: dict | None = None):
    """{kpi key: [(period, value or None), ...]} for the ``months`` months ending ``last``
    (``current`` stands for ``last`` when given: the report being built)."""
    first = last.minus(months - 1)
    by_month = values_by_month(scope_key, first, last)
    if current is not None:
        by_month[last] = current
    periods = [first.minus(-offset) for offset in range(months)]
    keys = {key for values in by_month.values() for key in values}
    return {
        key: [
            (period, _number(by_month.get(period, {}).get(key, {}).get("value")))
            for period in periods
        ]
        for key in keys
    }


def movement(scope_key: str, period: Period, key: str, value) -> dict:
    """The change against the month before and the same month a year before, where known."""
    before = values_by_month(scope_key, period.minus(12), period.previous())
    now = _number(value)
    result = {}
    for name, then in (("month", period.previous()), ("year", period.minus(12))):
        old = _number(before.get(then, {}).get(key, {}).get("value"))
        result[name] = None if now is None or old is None else now - old
    return result
