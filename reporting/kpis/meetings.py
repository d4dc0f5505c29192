"""KPIs of business support: statutory meetings held to their timescales (the chain of clocks,
scheduling/clocks.py) and calls taken for an absent worker picked up in time.

A meeting's deadline is the one its clock gave it when it was booked (``due``), so a figure
does not move when the settings do; the meeting counts in the month it was held (its local
day), for the team or worker that held the family on that day."""

from __future__ import annotations

from django.conf import settings

from reporting.kpis.base import Series, kpi, percent
from scheduling.models import Appointment

Clock = Appointment.Clock

# Each meeting KPI and the clocks whose meetings it counts (also read by the drill-down).
CLOCKS = {
    "icpc_in_time": (Clock.ICPC,),
    "first_core_group_in_time": (Clock.FIRST_CORE_GROUP,),
    "review_conferences_in_time": (Clock.FIRST_RCPC, Clock.RCPC),
    "cic_reviews_in_time": (Clock.FIRST_CIC_REVIEW, Clock.SECOND_CIC_REVIEW, Clock.CIC_REVIEW),
}
CALLS = "calls_picked_up_in_time"

# The months' bounds as instants, so that only the rows of the asked-for months are read.
IN_RANGE = (
    "{column} >= (%(first)s::date)::timestamp AT TIME ZONE %(zone)s AND {column} < "
    "((%(last)s::date + interval '1 month')::date)::timestamp AT TIME ZONE %(zone)s"
)


def _in_time(in_time, all_):
    return percent(in_time, all_)


def _meetings_in_time(series: Series, key: str) -> list[tuple]:
    join, scope = series.held("a.family_id", "a.day")
    return series.rows(
        f"WITH {series.months}, held AS (SELECT a.id, a.family_id, a.due, "
        "(a.start AT TIME ZONE %(zone)s)::date AS day FROM scheduling_appointment a "
        "WHERE a.status = %(held)s AND a.clock = ANY(%(clocks)s) AND a.due IS NOT NULL AND "
        f"{IN_RANGE.format(column='a.start')}) "
        f"SELECT m.month_start, {scope}, COUNT(DISTINCT a.id) FILTER (WHERE a.day <= a.due), "
        "COUNT(DISTINCT a.id) FROM months m "
        f"JOIN held a ON a.day BETWEEN m.month_start AND m.month_end{join} GROUP BY 1, 2",
        held=Appointment.Status.HELD,
        clocks=list(CLOCKS[key]),
        zone=settings.TIME_ZONE,
    )


@kpi("icpc_in_time", "ICPCs within 15 working days of the strategy discussion", "%",
     up_is_good=True, finish=_in_time)  # fmt: skip
def icpc_in_time(series: Series) -> list[tuple]:
    """Of the initial child protection conferences held in the month after a strategy
    discussion that decided on one, the percentage held on or before their deadline: 15
    working days after the strategy discussion (weekends and England and Wales bank holidays
    skipped; the interval is a setting). For a team or worker, the families they held on the
    day of the conference."""
    return _meetings_in_time(series, "icpc_in_time")


@kpi("first_core_group_in_time", "First core groups within 10 working days of the ICPC", "%",
     up_is_good=True, finish=_in_time)  # fmt: skip
def first_core_group_in_time(series: Series) -> list[tuple]:
    """Of the first core groups held in the month after an initial child protection
    conference, the percentage held on or before their deadline: 10 working days after the
    conference (weekends and England and Wales bank holidays skipped). For a team or worker,
    the families they held on the day of the meeting."""
    return _meetings_in_time(series, "first_core_group_in_time")


@kpi("review_conferences_in_time", "Review conferences in time", "%", up_is_good=True,
     finish=_in_time)  # fmt: skip
def review_conferences_in_time(series: Series) -> list[tuple]:
    """Of the review child protection conferences held in the month, the percentage held on or
    before their deadline: the first within 3 months of the initial conference, each later
    one within 6 months of the review before it (counted from when that was held). For a
    team or worker, the families they held on the day of the conference."""
    return _meetings_in_time(series, "review_conferences_in_time")


@kpi("cic_reviews_in_time", "Child in care reviews in time", "%", up_is_good=True,
     finish=_in_time)  # fmt: skip
def cic_reviews_in_time(series: Series) -> list[tuple]:
    """Of the child in care reviews held in the month, the percentage held on or before their
    deadline: the first within 20 working days of the child becoming looked after, the
    second within 3 months of the first, each later one within 6 months of the review
    before it. For a team or worker, the families they held on the day of the review."""
    return _meetings_in_time(series, "cic_reviews_in_time")


@kpi(CALLS, "Calls picked up within one working day", "%", up_is_good=True,
     finish=_in_time)  # fmt: skip
def calls_picked_up_in_time(series: Series) -> list[tuple]:
    """Of the calls from families taken for an absent worker and received in the month, the
    percentage picked up by someone on or before the next working day after the call (a call
    not picked up yet is not in time). For a team or worker, the families they held on the
    day of the call."""
    join, scope = series.held("c.family_id", "c.day")
    return series.rows(
        f"WITH {series.months}, calls AS (SELECT c.id, c.family_id, c.pick_up_by, "
        "(c.received AT TIME ZONE %(zone)s)::date AS day, "
        "(c.picked_up AT TIME ZONE %(zone)s)::date AS picked_up FROM scheduling_calltaken c "
        f"WHERE {IN_RANGE.format(column='c.received')}) "
        f"SELECT m.month_start, {scope}, "
        "COUNT(DISTINCT c.id) FILTER (WHERE c.picked_up <= c.pick_up_by), COUNT(DISTINCT c.id) "
        f"FROM months m JOIN calls c ON c.day BETWEEN m.month_start AND m.month_end{join} "
        "GROUP BY 1, 2",
        zone=settings.TIME_ZONE,
    )
