"""KPIs of practice: assessments and visits to their timescales, supervision and reflective
practice."""

from __future__ import annotations

from django.conf import settings

from onestory.models import Entry
from onestory.timeliness import in_time_since
from pods.models import Team, Worker
from reporting.kpis.base import (
    AUTHORITY,
    CURRENT,
    TEAM,
    Period,
    Series,
    kpi,
    percent,
    ratio,
)
from reporting.kpis.workforce import EMPLOYED


def _in_time(in_time, all_):
    return percent(in_time, all_)


@kpi("assessments_in_timescale", "Assessments completed within 45 working days", "%",
     up_is_good=True, scopes=(AUTHORITY, TEAM), finish=_in_time)  # fmt: skip
def assessments_in_timescale(series: Series) -> list[tuple]:
    """Of the assessments completed in the month, the percentage completed by their due date
    (45 working days from the start, England and Wales bank holidays skipped); for a team,
    the families it held at the month end."""
    join, scope = series.held("a.family_id", "m.month_end")
    return series.rows(
        f"WITH {series.months} SELECT m.month_start, {scope}, "
        "COUNT(DISTINCT a.id) FILTER (WHERE a.completed <= a.due), COUNT(DISTINCT a.id) "
        "FROM months m JOIN onestory_assessment a "
        f"ON a.completed BETWEEN m.month_start AND m.month_end{join} GROUP BY 1, 2"
    )


def _cut_offs(series: Series) -> dict:
    """For each month and status kind with statutory visits, ``in_time_since`` of its month
    end (worked out here: working days skip bank holidays), as arrays for ``unnest``."""
    months, kinds, since = [], [], []
    for period in Period.span(series.first, series.last):
        for kind in settings.PODS_VISIT_INTERVALS:
            months.append(period.start)
            kinds.append(kind)
            since.append(in_time_since(kind, period.end))
    return {"cut_months": months, "cut_kinds": kinds, "cut_since": since}


@kpi("visits_in_timescale", "Children seen within timescale", "%", up_is_good=True,
     finish=lambda in_time, all_: percent(in_time, all_))  # fmt: skip
def visits_in_timescale(series: Series) -> list[tuple]:
    """Children on a child protection or child in need plan, or looked after, at the month end
    who were not overdue a statutory visit then (seen on a final home visit within the
    interval for their status: 10 working days on a CP plan, 6 weeks looked after, 20 working
    days on a CIN plan, by default), as a percentage of them. A child with more than one
    status is overdue when any of them is. Working days skip weekends and England and Wales
    bank holidays."""
    join, scope = series.held("s.family_id", "m.month_end")
    local_day = "(en.occurred AT TIME ZONE %(zone)s)::date"
    return series.rows(
        f"WITH {series.months}, "
        "cut_offs AS (SELECT * FROM unnest(%(cut_months)s::date[], %(cut_kinds)s::text[], "
        "%(cut_since)s::date[]) AS c(month_start, kind, since)), "
        # Each status that needs visits, at each month end it is current in an open family.
        f"statuses AS (SELECT m.month_start, {scope} AS scope_id, s.person_id, s.start, "
        "c.since FROM months m JOIN families_childstatus s ON s.kind = ANY(%(kinds)s) AND "
        f"{CURRENT('s', 'm.month_end')}{join} JOIN cut_offs c ON c.month_start = m.month_start "
        "AND c.kind = s.kind WHERE EXISTS (SELECT 1 FROM families_episode e WHERE "
        f"e.family_id = s.family_id AND {CURRENT('e', 'm.month_end')})), "
        # The last day of each month each child was seen on a final home visit ...
        f"seen AS (SELECT cs.person_id, date_trunc('month', {local_day})::date AS month_start, "
        f"MAX({local_day}) AS day FROM onestory_childseen cs "
        "JOIN onestory_entry en ON en.id = cs.entry_id "
        "WHERE en.kind = %(home_visit)s AND en.status = %(final)s "
        "AND cs.person_id IN (SELECT person_id FROM statuses) GROUP BY 1, 2), "
        # ... and, for each child and month end they need visits at, the last day they were
        # seen on or before it: a running maximum over their months.
        "last_seen AS (SELECT person_id, month_start, MAX(day) OVER (PARTITION BY person_id "
        "ORDER BY month_start) AS day, needed FROM ("
        "SELECT person_id, month_start, day, false AS needed FROM seen UNION ALL "
        "SELECT DISTINCT person_id, month_start, NULL::date, true FROM statuses) AS u) "
        "SELECT s.month_start, s.scope_id, "
        "COUNT(DISTINCT s.person_id) - COUNT(DISTINCT s.person_id) FILTER (WHERE "
        "s.start < s.since AND (l.day IS NULL OR l.day < s.since)), "
        "COUNT(DISTINCT s.person_id) FROM statuses s "
        "JOIN last_seen l ON l.needed AND l.person_id = s.person_id "
        "AND l.month_start = s.month_start GROUP BY 1, 2",
        **_cut_offs(series),
        kinds=list(settings.PODS_VISIT_INTERVALS),
        home_visit=Entry.Kind.HOME_VISIT,
        final=Entry.Status.FINAL,
        zone=settings.TIME_ZONE,
    )


@kpi("one_to_ones_in_timescale", "1:1 supervision within timescale", "%", up_is_good=True,
     scopes=(AUTHORITY, TEAM), finish=_in_time)  # fmt: skip
def one_to_ones_in_timescale(series: Series) -> list[tuple]:
    """Pod staff other than pod managers, employed and in a pod at the month end (in the team
    then, for a team), whose last 1:1 supervision on or before the month end was within their
    interval (every 4 weeks; 2 for the newly qualified), as a percentage of them."""
    if series.kind == TEAM:
        scope, pods_only = "tm.team_id", ""
        narrowed = series.narrowed("tm.team_id")
    else:
        scope, narrowed = "NULL::integer", ""
        pods_only = " JOIN pods_team pt ON pt.id = tm.team_id AND pt.kind = %(pod)s"
    return series.rows(
        f"WITH {series.months} SELECT m.month_start, {scope}, "
        "COUNT(DISTINCT w.id) FILTER (WHERE EXISTS (SELECT 1 FROM "
        "supervision_onetoonesupervision o WHERE o.supervisee_id = w.id AND o.date <= m.month_end "
        "AND o.date >= m.month_end - CASE WHEN w.newly_qualified THEN %(newly)s "
        "ELSE %(regular)s END)), COUNT(DISTINCT w.id) FROM months m "
        "JOIN pods_worker w ON w.role <> %(manager)s AND "
        f"{EMPLOYED.format(w='w', day='m.month_end')} "
        f"JOIN pods_teammembership tm ON tm.worker_id = w.id AND {CURRENT('tm', 'm.month_end')}"
        f"{narrowed}{pods_only} GROUP BY 1, 2",
        manager=Worker.Role.POD_MANAGER,
        pod=Team.Kind.POD,
        regular=settings.PODS_ONE_TO_ONE_DAYS,
        newly=settings.PODS_ONE_TO_ONE_DAYS_NEWLY_QUALIFIED,
    )


@kpi("group_supervision_sessions", "Group supervision sessions per pod", "sessions",
     up_is_good=True, scopes=(AUTHORITY, TEAM), finish=ratio)  # fmt: skip
def group_supervision_sessions(series: Series) -> list[tuple]:
    """Group supervision sessions held in the month, per pod active at the month end (for a
    pod: its sessions)."""
    active = CURRENT("t", "m.month_end", "active_from", "active_to")
    held = "g.pod_id = t.id AND g.date BETWEEN m.month_start AND m.month_end"
    if series.kind == TEAM:
        narrowed = series.narrowed("t.id")
        sql = (
            f"WITH {series.months} SELECT m.month_start, t.id, COUNT(g.id), 1 FROM months m "
            f"JOIN pods_team t ON t.kind = %(pod)s AND {active}{narrowed} "
            f"LEFT JOIN supervision_groupsupervision g ON {held} GROUP BY 1, 2"
        )
    else:
        sql = (
            f"WITH {series.months} SELECT m.month_start, NULL::integer, "
            "(SELECT COUNT(*) FROM supervision_groupsupervision g "
            "WHERE g.date BETWEEN m.month_start AND m.month_end), "
            f"(SELECT COUNT(*) FROM pods_team t WHERE t.kind = %(pod)s AND {active}) FROM months m"
        )
    return series.rows(sql, pod=Team.Kind.POD)


@kpi("rpg_attendance", "Reflective practice group attendance", "%", up_is_good=True,
     scopes=(AUTHORITY,), finish=_in_time)  # fmt: skip
def rpg_attendance(series: Series) -> list[tuple]:
    """Attendances at reflective practice group sessions held in the month, as a percentage
    of the places (each group's members and facilitators at each session)."""
    in_month = "s.date BETWEEN m.month_start AND m.month_end"
    places = "(SELECT COUNT(*) FROM supervision_rpgsession s JOIN {table} p ON " \
        "p.reflectivepracticegroup_id = s.group_id WHERE " + in_month + ")"  # fmt: skip
    return series.rows(
        f"WITH {series.months} SELECT m.month_start, NULL::integer, "
        "(SELECT COUNT(*) FROM supervision_rpgsession_attendees a JOIN supervision_rpgsession s "
        f"ON s.id = a.rpgsession_id WHERE {in_month}), "
        f"{places.format(table='supervision_reflectivepracticegroup_members')} + "
        f"{places.format(table='supervision_reflectivepracticegroup_facilitators')} FROM months m"
    )
