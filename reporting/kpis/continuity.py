"""KPIs of continuity: changes of social worker, and re-referrals going back to the worker
who knew the family (the continuity rule, families.services.within_continuity_window)."""

from __future__ import annotations

from families.services import CONTINUITY_MONTHS
from reporting.kpis.base import (
    AUTHORITY,
    OPEN_FAMILIES,
    TEAM,
    Series,
    kpi,
    per_child,
    percent,
)

CHANGES = (
    # Changes of social worker in the 12 months ending at each month end, in the families
    # open then: an allocation that replaced another worker in the same episode.
    "changes AS (SELECT o.month_start, o.family_id, COUNT(a.id) AS changes "
    "FROM open_families o JOIN families_allocation a ON a.family_id = o.family_id "
    "AND a.is_change_of_worker AND a.start BETWEEN (o.month_start - interval '11 months')::date "
    "AND o.month_end GROUP BY 1, 2)"
)


def _children_and_changes(series: Series) -> list[tuple]:
    join, scope = series.held("o.family_id", "o.month_end")
    return series.rows(
        f"WITH {series.months}, {OPEN_FAMILIES}, {CHANGES}, "
        "children AS (SELECT family_id, COUNT(*) AS children FROM families_familymember "
        "WHERE relationship = 'child' GROUP BY 1) "
        f"SELECT o.month_start, {scope}, "
        "COALESCE(SUM(c.changes), 0), "
        "COALESCE(SUM(k.children), 0), "
        "COALESCE(SUM(k.children) FILTER (WHERE c.changes IS NULL), 0) "
        f"FROM open_families o{join} "
        "LEFT JOIN changes c ON c.month_start = o.month_start AND c.family_id = o.family_id "
        "LEFT JOIN children k ON k.family_id = o.family_id GROUP BY 1, 2"
    )


@kpi("changes_of_worker", "Changes of social worker per child, 12 months", "per child",
     up_is_good=False, scopes=(AUTHORITY, TEAM),
     finish=lambda changes, children, _steady: per_child(changes, children))  # fmt: skip
def changes_of_worker(series: Series) -> list[tuple]:
    """Changes of social worker in the 12 months ending at the month end (an allocation that
    replaced another worker in the same episode; an episode's first allocation is not a
    change) in the families open at the month end, per open child."""
    return _children_and_changes(series)


@kpi("one_worker_12_months", "Children with one social worker in 12 months", "%",
     up_is_good=True, scopes=(AUTHORITY, TEAM),
     finish=lambda _changes, children, steady: percent(steady, children))  # fmt: skip
def one_worker_12_months(series: Series) -> list[tuple]:
    """Open children at the month end whose family had no change of social worker in the 12
    months ending then, as a percentage of open children."""
    return _children_and_changes(series)


RE_REFERRALS = (
    # Episodes beginning in each month within 12 calendar months of the end of the family's
    # previous episode (the one that ended last before it began), with the worker who last
    # held the previous episode and the new episode's first worker.
    "re_referrals AS (SELECT m.month_start, e.id, "
    "(SELECT a.worker_id FROM families_allocation a WHERE a.episode_id = p.id "
    "ORDER BY a.start DESC, a.id DESC LIMIT 1) AS last_worker, "
    "(SELECT a.worker_id FROM families_allocation a WHERE a.episode_id = e.id "
    "ORDER BY a.start, a.id LIMIT 1) AS first_worker "
    "FROM months m JOIN families_episode e ON e.start BETWEEN m.month_start AND m.month_end "
    'JOIN LATERAL (SELECT p.id, p."end" FROM families_episode p '
    'WHERE p.family_id = e.family_id AND p."end" < e.start ORDER BY p."end" DESC, p.id DESC '
    'LIMIT 1) p ON p."end" >= (e.start - make_interval(months => %(window)s))::date)'
)


def _re_referrals(series: Series) -> list[tuple]:
    return series.rows(
        f"WITH {series.months}, {RE_REFERRALS} SELECT month_start, NULL::integer, COUNT(*), "
        "COUNT(*) FILTER (WHERE last_worker = first_worker) FROM re_referrals GROUP BY 1, 2",
        window=CONTINUITY_MONTHS,
    )


@kpi("re_referrals", "Re-referrals within 12 months", "families", up_is_good=False,
     scopes=(AUTHORITY,), finish=lambda all_, _same: all_)  # fmt: skip
def re_referrals(series: Series) -> list[tuple]:
    """Families whose episode began in the month within 12 calendar months of the end of
    their previous episode (a family closed on 28 February 2025 and open again on 28 February
    2026 counts; on 1 March 2026 it does not)."""
    return _re_referrals(series)


@kpi("re_referrals_same_worker", "Re-referrals back to the same worker", "%", up_is_good=True,
     scopes=(AUTHORITY,), finish=lambda all_, same: percent(same, all_))  # fmt: skip
def re_referrals_same_worker(series: Series) -> list[tuple]:
    """Of the re-referrals in the month, the percentage whose first social worker was the one
    who last held the family's previous episode (the continuity rule)."""
    return _re_referrals(series)
