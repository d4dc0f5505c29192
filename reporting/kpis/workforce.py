"""KPIs of the workforce: caseloads, agency staff, turnover."""

from __future__ import annotations

from pods.models import Worker
from reporting.kpis.base import (
    AUTHORITY,
    CURRENT,
    OPEN_FAMILIES,
    SOCIAL_WORKERS,
    TEAM,
    WORKER,
    Series,
    kpi,
    percent,
    ratio,
)

CASE_HOLDING = (*SOCIAL_WORKERS, Worker.Role.STUDENT_SOCIAL_WORKER)
EMPLOYED = "{w}.start_date <= {day} AND ({w}.leave_date IS NULL OR {w}.leave_date >= {day})"


@kpi("caseload", "Children per social worker FTE", "children per FTE", up_is_good=False,
     scopes=(AUTHORITY, TEAM, WORKER), finish=ratio)  # fmt: skip
def caseload(series: Series) -> list[tuple]:
    """Open children allocated at the month end to case-holding social workers, divided by
    their full-time equivalent, as the seeds' "children per social worker" counts it. The
    case-holding social workers are the social workers, senior social workers and student
    social workers employed at the month end who hold at least one open family then; teams
    that hold no families (the front door, fostering) and staff who hold none do not dilute
    it. For a team: its case-holding members at the month end and the children they hold;
    for one worker: their children divided by their FTE."""
    join, scope = series.staff("h.worker_id", "h.month_end")
    employed = EMPLOYED.format(w="w", day="o.month_end")
    return series.rows(
        f"WITH {series.months}, {OPEN_FAMILIES}, "
        "holding AS (SELECT DISTINCT o.month_start, o.month_end, a.worker_id, o.family_id "
        "FROM open_families o JOIN families_allocation a ON a.family_id = o.family_id AND "
        f"{CURRENT('a', 'o.month_end')} JOIN pods_worker w ON w.id = a.worker_id "
        f"AND w.role = ANY(%(roles)s) AND {employed}{series.where_worker('a.worker_id')}), "
        f"children AS (SELECT h.month_start, {scope} AS scope_id, "
        "COUNT(DISTINCT fm.id) AS children FROM holding h"
        f"{join} JOIN families_familymember fm ON fm.family_id = h.family_id "
        "AND fm.relationship = 'child' GROUP BY 1, 2), "
        f"fte AS (SELECT h.month_start, {scope} AS scope_id, SUM(w.fte) AS fte FROM "
        "(SELECT DISTINCT month_start, month_end, worker_id FROM holding) h"
        f"{join} JOIN pods_worker w ON w.id = h.worker_id GROUP BY 1, 2) "
        "SELECT f.month_start, f.scope_id, COALESCE(c.children, 0), f.fte FROM fte f "
        "LEFT JOIN children c ON c.month_start = f.month_start "
        "AND c.scope_id IS NOT DISTINCT FROM f.scope_id",
        roles=list(CASE_HOLDING),
    )


def _social_workers(series: Series, day: str, counts: str) -> str:
    """FROM ... for the social workers and senior social workers employed on ``day`` of each
    month (in the team then, for a team), selecting ``counts``."""
    join, scope = series.staff("w.id", day)
    return (
        f"SELECT m.month_start, {scope}, {counts} FROM months m "
        f"JOIN pods_worker w ON w.role = ANY(%(roles)s) AND {EMPLOYED.format(w='w', day=day)}"
        f"{series.where_worker('w.id')}{join} GROUP BY 1, 2"
    )


@kpi("agency_rate", "Agency social workers", "%", up_is_good=False, scopes=(AUTHORITY, TEAM),
     finish=lambda agency, headcount: percent(agency, headcount))  # fmt: skip
def agency_rate(series: Series) -> list[tuple]:
    """Agency staff among the social workers and senior social workers employed at the month
    end, as a percentage of their headcount (in the team then, for a team)."""
    counts = "COUNT(*) FILTER (WHERE w.employment = %(agency)s), COUNT(*)"
    return series.rows(
        f"WITH {series.months} {_social_workers(series, 'm.month_end', counts)}",
        roles=list(SOCIAL_WORKERS),
        agency=Worker.Employment.AGENCY,
    )


@kpi("turnover", "Social worker turnover, 12 months", "%", up_is_good=False,
     scopes=(AUTHORITY,),
     finish=lambda leavers, before, now: percent(leavers * 2, before + now))  # fmt: skip
def turnover(series: Series) -> list[tuple]:
    """Social workers and senior social workers whose last day fell in the 12 months ending
    at the month end, as a percentage of the average of their headcount on the day before
    those 12 months began and at the month end."""
    first = "(m.month_start - interval '11 months')::date"
    before = f"({first} - 1)"
    return series.rows(
        f"WITH {series.months} SELECT m.month_start, NULL::integer, "
        f"COUNT(*) FILTER (WHERE w.leave_date BETWEEN {first} AND m.month_end), "
        f"COUNT(*) FILTER (WHERE {EMPLOYED.format(w='w', day=before)}), "
        f"COUNT(*) FILTER (WHERE {EMPLOYED.format(w='w', day='m.month_end')}) "
        "FROM months m JOIN pods_worker w ON w.role = ANY(%(roles)s) GROUP BY 1, 2",
        roles=list(SOCIAL_WORKERS),
    )
