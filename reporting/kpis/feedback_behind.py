"""What is behind a feedback figure, for the list behind a number: the complaints, responses,
compliments or audits it counts (for a percentage, those not in time or not good or better),
read with the same SQL as the figure (``feedback.ITEMS``) and returned as ids, which the view
narrows to what the viewer may open."""

from __future__ import annotations

from django.db import connection

from feedback.models import Audit, Grade
from reporting.kpis.base import TEAM, WORKER, Period, Scope, Series
from reporting.kpis.feedback import ITEMS, _about

AUDITS = "audits_good_or_better"
DRILLABLE = frozenset({*ITEMS, AUDITS})
# What each figure's list is of.
COMPLAINTS, STAGES, COMPLIMENTS = "complaints", "stages", "compliments"
LISTS = {
    "stage_1_complaints": COMPLAINTS,
    "stage_1_responses_in_time": STAGES,
    "stage_2_responses_in_time": STAGES,
    "compliments": COMPLIMENTS,
    AUDITS: "audits",
}


def ids_behind(key: str, period: Period, scope: Scope) -> list[int]:
    """The ids the figure ``key`` counts for ``scope`` in ``period`` (for a percentage, the
    ones it counts as missed)."""
    series = Series(period, period, scope.kind, None if scope.id is None else (scope.id,))
    if key == AUDITS:
        return _audits_not_good(series)
    items, stage, is_percentage = ITEMS[key]
    missed = " WHERE NOT i.in_time" if is_percentage else ""
    sql = (
        f"WITH {series.months}, items AS ({items}), {_about(series)} "
        "SELECT DISTINCT i.id FROM months m "
        "JOIN items i ON i.month_day BETWEEN m.month_start AND m.month_end "
        f"JOIN scoped s ON s.id = i.id{missed}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {**series.params, "stage": stage})
        return [row[0] for row in cursor.fetchall()]


def _audits_not_good(series: Series) -> list[int]:
    first = series.first.minus(2).start
    last = series.last.end
    # As the figure: moderated in the three months to the month end (the day in London).
    audits = Audit.objects.filter(
        status=Audit.Status.MODERATED, overall__gt=Grade.GOOD, moderated__date__range=(first, last)
    )
    if series.kind == TEAM:
        audits = audits.filter(team_id__in=series.ids)
    elif series.kind == WORKER:
        audits = audits.filter(worker_id__in=series.ids)
    return list(audits.values_list("pk", flat=True))
