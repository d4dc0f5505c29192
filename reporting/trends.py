"""KPI values over time, read from the monthly reports already built (the report is the
record of what a month's figures were), and movement against the month and the year before."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models.fields.json import KeyTextTransform, KeyTransform

from reporting.kpis import AUTHORITY, REGISTRY, TEAM, Period
from reporting.models import MonthlyReport


def number(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def figure(key: str) -> KeyTextTransform:
    """The value of one KPI in a report's figures, read in the database (as text)."""
    return KeyTextTransform("value", KeyTransform(key, "values"))


def values_by_month(scope_key: str, first: Period, last: Period) -> dict[Period, dict]:
    """{month: {kpi key: {"value": ...}}} from the ready reports of the scope: only the values
    are read, not the names and definitions each report keeps beside them."""
    kind = AUTHORITY if scope_key == AUTHORITY else TEAM
    keys = [key for key, kpi in REGISTRY.items() if kind in kpi.scopes]
    reports = (
        MonthlyReport.objects.filter(
            scope_key=scope_key,
            period__range=(first.start, last.start),
            status=MonthlyReport.Status.READY,
        )
        .annotate(**{f"kpi_{index}": figure(key) for index, key in enumerate(keys)})
        .values_list("period", *(f"kpi_{index}" for index in range(len(keys))))
    )
    return {
        Period.of(day): {key: {"value": value} for key, value in zip(keys, values, strict=True)}
        for day, *values in reports
    }


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
            (period, number(by_month.get(period, {}).get(key, {}).get("value")))
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
                number(item.get("value")),
                number(before.get(then, {}).get(key, {}).get("value")),
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
