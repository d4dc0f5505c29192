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


def _change(now, then):
    return None if now is None or then is None else now - then


def movements(scope_key: str, period: Period, values: dict) -> dict[str, dict]:
    """For each KPI of a report's ``values``, the change against the month before and the same
    month a year before, where those reports are built: one query for them all."""
    before = values_by_month(scope_key, period.minus(12), period.previous())
    earlier = (("month", period.previous()), ("year", period.minus(12)))
    return {
        key: {
            name: _change(
                _number(item.get("value")),
                _number(before.get(then, {}).get(key, {}).get("value")),
            )
            for name, then in earlier
        }
        for key, item in values.items()
    }


def series_movement(series: list) -> dict:
    """The same changes for a month-by-month series already read, ending with the month."""
    now = series[-1] if series else None
    return {
        "month": _change(now, series[-2] if len(series) > 1 else None),
        "year": _change(now, series[-13] if len(series) > 12 else None),
    }
