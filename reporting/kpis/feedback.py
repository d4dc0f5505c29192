"""KPIs of what families and staff say about the service (issue 14): Stage 1 complaints
received, complaint responses within their timescales, compliments received, audits graded good
or better, and the share of positive answers to each survey.

**Who a complaint or compliment belongs to.** It is about a family, a worker or a team (or
several of them). For a team, it counts when it is about the team, about one of the team's
workers (a member of the team on the day it was received), or about a family the team held
on that day; for a worker, when it is about them or about a family allocated to them on that
day; once per scope however many of these it meets. A complaint stays where it was received:
its responses count for the scope that received it, even after the family or worker moved.

**The list behind a number** (``feedback_behind.py``) is the complaints, responses, compliments
or audits the figure counts (for a percentage, the ones not in time or not good), read with the
same SQL as the figure (``ITEMS``), and shown only as far as the viewer may see them: the
complaints and compliments their role lets them open, the audits of families they may see."""

from __future__ import annotations

from django.conf import settings

from feedback.models import Audit, ComplaintStage, Grade, Statement
from feedback.models.surveys import POSITIVE_OVER, SMALLEST_GROUP
from reporting.kpis.base import AUTHORITY, CURRENT, TEAM, WORKER, Series, kpi, percent

# The survey KPIs: the instrument's slug (as the surveys' data migration creates it), the key
# and the name of its figure.
SURVEYS = {
    "parents-telephone-interview": (
        "survey_positive_parents",
        "Parents' telephone interview: answers positive",
    ),
    "children-young-people": (
        "survey_positive_children",
        "Children and young people's questionnaire: answers positive",
    ),
    "foster-carers": ("survey_positive_foster_carers", "Foster carers' survey: answers positive"),
    "your-voice": ("survey_positive_your_voice", "Your Voice (staff survey): answers positive"),
}

# The rows of the asked-for months only (a DateField day; ``{lead}`` months earlier for a
# figure of the months to the month end).
IN_RANGE = (
    "{column} BETWEEN (%(first)s::date - interval '{lead} months')::date AND "
    "(%(last)s::date + interval '1 month' - interval '1 day')::date"
)


def _about(series: Series) -> str:
    """SQL of the CTE ``scoped`` (id, scope_id): the scopes each row of ``items`` (id, day,
    family_id, worker_id, team_id) belongs to on its ``day``, as the module docstring says."""
    if series.kind == TEAM:
        parts = (
            "SELECT i.id, i.team_id AS scope_id FROM items i WHERE i.team_id IS NOT NULL"
            + series.narrowed("i.team_id"),
            "SELECT i.id, t.team_id FROM items i JOIN pods_teammembership t ON "
            f"t.worker_id = i.worker_id AND {CURRENT('t', 'i.day')}" + series.narrowed("t.team_id"),
            "SELECT i.id, h.team_id FROM items i JOIN families_podallocation h ON "
            f"h.family_id = i.family_id AND {CURRENT('h', 'i.day')}" + series.narrowed("h.team_id"),
        )
    elif series.kind == WORKER:
        parts = (
            "SELECT i.id, i.worker_id AS scope_id FROM items i WHERE i.worker_id IS NOT NULL"
            + series.narrowed("i.worker_id"),
            "SELECT i.id, a.worker_id FROM items i JOIN families_allocation a ON "
            f"a.family_id = i.family_id AND {CURRENT('a', 'i.day')}"
            + series.narrowed("a.worker_id"),
        )
    else:
        parts = ("SELECT i.id, NULL::integer AS scope_id FROM items i",)
    return "scoped AS (" + " UNION ".join(parts) + ")"


def _counted(series: Series, items: str, **params) -> list[tuple]:
    """Rows (month, scope id, in time, all) of ``items`` (id, day, month_day, family_id,
    worker_id, team_id, in_time): counted in the month of ``month_day``, for the scopes of
    ``day``."""
    return series.rows(
        f"WITH {series.months}, items AS ({items}), {_about(series)} "
        "SELECT m.month_start, s.scope_id, COUNT(DISTINCT i.id) FILTER (WHERE i.in_time), "
        "COUNT(DISTINCT i.id) FROM months m "
        "JOIN items i ON i.month_day BETWEEN m.month_start AND m.month_end "
        "JOIN scoped s ON s.id = i.id GROUP BY 1, 2",
        **params,
    )


def _all(in_time, all_) -> int:
    return int(all_ or 0)


def _in_time(in_time, all_):
    return percent(in_time, all_)


# The rows each complaint and compliment KPI counts (id, day, month_day, family_id, worker_id,
# team_id, in_time), shared with the list behind the number (feedback_behind.py).
COMPLAINTS_RECEIVED = (
    "SELECT c.id, c.received AS day, c.received AS month_day, c.family_id, c.worker_id, "
    "c.team_id, false AS in_time FROM feedback_complaint c "
    f"WHERE {IN_RANGE.format(column='c.received', lead=0)} AND EXISTS (SELECT 1 FROM "
    "feedback_complaintstage s WHERE s.complaint_id = c.id AND s.number = %(stage)s)"
)
RESPONSES = (
    "SELECT s.id, c.received AS day, s.responded AS month_day, c.family_id, c.worker_id, "
    "c.team_id, s.responded <= COALESCE(s.extended_to, s.due) AS in_time "
    "FROM feedback_complaintstage s JOIN feedback_complaint c ON c.id = s.complaint_id "
    f"WHERE s.number = %(stage)s AND {IN_RANGE.format(column='s.responded', lead=0)}"
)
COMPLIMENTS_RECEIVED = (
    "SELECT c.id, c.received AS day, c.received AS month_day, c.family_id, c.worker_id, "
    "c.team_id, false AS in_time FROM feedback_compliment c "
    f"WHERE {IN_RANGE.format(column='c.received', lead=0)}"
)
# key: (the rows, the stage they are of, whether the figure is a percentage in time)
ITEMS = {
    "stage_1_complaints": (COMPLAINTS_RECEIVED, ComplaintStage.Number.LOCAL_RESOLUTION, False),
    "stage_1_responses_in_time": (RESPONSES, ComplaintStage.Number.LOCAL_RESOLUTION, True),
    "stage_2_responses_in_time": (RESPONSES, ComplaintStage.Number.INVESTIGATION, True),
    "compliments": (COMPLIMENTS_RECEIVED, None, False),
}


@kpi("stage_1_complaints", "Stage 1 complaints received", "complaints", up_is_good=False,
     finish=_all)  # fmt: skip
def stage_1_complaints(series: Series) -> list[tuple]:
    """The complaints received in the month that were taken as a Stage 1 complaint (local
    resolution) under the children's statutory complaints procedure, counted on the day
    received. For a team, those about the team, about one of its workers (a member on the day
    received) or about a family it held on that day; for a worker, those about them or about a
    family allocated to them on that day."""
    return _counted(series, COMPLAINTS_RECEIVED, stage=ComplaintStage.Number.LOCAL_RESOLUTION)


def _responses_in_time(series: Series, stage: int) -> list[tuple]:
    return _counted(series, RESPONSES, stage=stage)


@kpi("stage_1_responses_in_time", "Stage 1 responses within timescale", "%", up_is_good=True,
     finish=_in_time)  # fmt: skip
def stage_1_responses_in_time(series: Series) -> list[tuple]:
    """Of the Stage 1 complaint responses sent in the month, the percentage sent on or before
    their deadline as stamped when the complaint was received: 10 working days on, or the day
    it was extended to (once, to at most 20 working days, with a reason), weekends and England
    and Wales bank holidays skipped. A complaint not yet answered is not counted until its
    response is sent. For a team or worker, the complaints that were theirs on the day
    received (about the team, one of its workers or a family it held; about the worker or a
    family allocated to them)."""
    return _responses_in_time(series, ComplaintStage.Number.LOCAL_RESOLUTION)


@kpi("stage_2_responses_in_time", "Stage 2 investigations within timescale", "%",
     up_is_good=True, finish=_in_time)  # fmt: skip
def stage_2_responses_in_time(series: Series) -> list[tuple]:
    """Of the Stage 2 investigation responses sent in the month, the percentage sent on or
    before their deadline as stamped when escalation was asked for: 25 working days on, or the
    day it was extended to (at most 65 working days), weekends and England and Wales bank holidays
    skipped. An investigation not yet answered is not counted. For a team or worker, the
    complaints that were theirs on the day the complaint was first received."""
    return _responses_in_time(series, ComplaintStage.Number.INVESTIGATION)


@kpi("compliments", "Compliments received", "compliments", up_is_good=True, finish=_all)
def compliments(series: Series) -> list[tuple]:
    """The compliments received in the month, from families, children, carers, professionals
    or anyone else, counted on the day received. For a team, those about the team, about one
    of its workers (a member on the day received) or about the work with a family it held on
    that day; for a worker, those about them or about a family allocated to them on that
    day."""
    return _counted(series, COMPLIMENTS_RECEIVED)


@kpi("audits_good_or_better", "Audits graded good or better", "%", up_is_good=True,
     finish=_in_time)  # fmt: skip
def audits_good_or_better(series: Series) -> list[tuple]:
    """Of the quality-assurance audits moderated in the three months to the month end (the
    month and the two before it), the percentage whose moderated overall grade is good or
    outstanding on the four-point scale. Three months, because audits are drawn and moderated
    quarterly: at the end of March, June, September and December the figure is that
    quarter's, and a single month would often hold a pod's audits of no quarter or half of
    one. For a team, the audits of families sampled from that pod; for a worker, of families
    they held when the sample was drawn."""
    if series.kind == TEAM:
        scope = "a.team_id"
    elif series.kind == WORKER:
        scope = "a.worker_id"
    else:
        scope = "NULL::integer"
    return series.rows(
        f"WITH {series.months}, moderated AS (SELECT a.id, a.team_id, a.worker_id, a.overall, "
        "(a.moderated AT TIME ZONE %(zone)s)::date AS day FROM feedback_audit a "
        "WHERE a.status = %(moderated)s AND a.moderated IS NOT NULL AND a.overall IS NOT NULL) "
        f"SELECT m.month_start, {scope}, COUNT(a.id) FILTER (WHERE a.overall <= %(good)s), "
        "COUNT(a.id) FROM months m JOIN moderated a ON a.day BETWEEN "
        "(m.month_start - interval '2 months')::date AND m.month_end"
        f"{series.narrowed(scope)} "
        f"WHERE {IN_RANGE.format(column='a.day', lead=2)} GROUP BY 1, 2",
        zone=settings.TIME_ZONE,
        moderated=Audit.Status.MODERATED,
        good=Grade.GOOD,
    )


def _positive(positive, answered, responded):
    """No figure for fewer than SMALLEST_GROUP respondents: a group so small could be told
    apart (staff answers are anonymous by design)."""
    if (responded or 0) < SMALLEST_GROUP:
        return None
    return percent(positive, answered)


def _survey_positive(series: Series, slug: str) -> list[tuple]:
    if series.kind == TEAM:
        teams = (
            "SELECT DISTINCT r.team_id FROM feedback_response r JOIN waves w ON w.id = "
            f"r.wave_id WHERE r.team_id IS NOT NULL{series.narrowed('r.team_id')}"
        )
        asks, theirs = "(w.team_id IS NULL OR w.team_id = t.team_id)", "r.team_id = l.scope_id"
    else:
        teams, asks, theirs = "SELECT NULL::integer AS team_id", "w.team_id IS NULL", "true"
    return series.rows(
        f"WITH {series.months}, waves AS (SELECT w.id, w.opens, w.closes, w.team_id "
        "FROM feedback_wave w JOIN feedback_instrument i ON i.id = w.instrument_id "
        f"WHERE i.slug = %(slug)s), teams AS ({teams}), "
        "latest AS (SELECT m.month_start, t.team_id AS scope_id, (SELECT w.id FROM waves w "
        f"WHERE w.closes <= m.month_end AND {asks} "
        "ORDER BY w.closes DESC, w.opens DESC, w.id DESC LIMIT 1) AS wave_id "
        "FROM months m CROSS JOIN teams t) "
        "SELECT l.month_start, l.scope_id, COUNT(a.id) FILTER (WHERE a.value > %(over)s), "
        "COUNT(a.id), COUNT(DISTINCT r.id) FROM latest l "
        f"JOIN feedback_response r ON r.wave_id = l.wave_id AND {theirs} "
        "JOIN feedback_answer a ON a.response_id = r.id AND a.value IS NOT NULL "
        "JOIN feedback_statement s ON s.id = a.statement_id AND s.kind = %(scale)s "
        "GROUP BY 1, 2",
        slug=slug,
        over=POSITIVE_OVER,
        scale=Statement.Kind.SCALE,
    )


@kpi(*SURVEYS["parents-telephone-interview"], "%", up_is_good=True, scopes=(AUTHORITY, TEAM),
     finish=_positive)  # fmt: skip
def survey_positive_parents(series: Series) -> list[tuple]:
    """Of the parents' answers on the 1 to 5 scale in the latest wave of the parents'
    telephone interview that closed on or before the month end, the percentage over 3 (agree
    or strongly agree): the wave's own figure, kept until the next wave closes; no figure when
    fewer than five parents answered. For the authority, the latest wave that asked the whole
    service; for a team, the latest that asked the whole service or that team, and the
    interviews given for that team."""
    return _survey_positive(series, "parents-telephone-interview")


@kpi(*SURVEYS["children-young-people"], "%", up_is_good=True, scopes=(AUTHORITY, TEAM),
     finish=_positive)  # fmt: skip
def survey_positive_children(series: Series) -> list[tuple]:
    """Of the answers on the 1 to 5 scale that children and young people gave in the latest
    wave of their questionnaire closed on or before the month end, the percentage over 3: the
    wave's figure until the next wave closes, and none when fewer than five children answered
    for the scope. The authority's is the latest wave asking the whole service; a team's, the
    latest asking the whole service or the team, from the answers given for the team."""
    return _survey_positive(series, "children-young-people")


@kpi(*SURVEYS["foster-carers"], "%", up_is_good=True, scopes=(AUTHORITY, TEAM),
     finish=_positive)  # fmt: skip
def survey_positive_foster_carers(series: Series) -> list[tuple]:
    """The percentage of foster carers' answers on the 1 to 5 scale over 3 (agree or strongly
    agree), in the latest wave of the foster carers' survey closed by the month end, which
    stays the figure until the next one closes. Suppressed (no figure) for fewer than five
    carers answering. A team's figure: the latest wave that asked the service or the team,
    the carers' answers given for the team; the authority's: the latest asking everyone."""
    return _survey_positive(series, "foster-carers")


@kpi(*SURVEYS["your-voice"], "%", up_is_good=True, scopes=(AUTHORITY, TEAM),
     finish=_positive)  # fmt: skip
def survey_positive_your_voice(series: Series) -> list[tuple]:
    """The staff survey Your Voice: of the staff's answers on the 1 to 5 scale in its latest
    wave closed on or before the month end, the percentage over 3, held until the next wave
    closes. Staff answer anonymously, so there is no figure for fewer than five respondents
    in the scope. For the authority, the latest wave asking all staff; for a team, the latest
    asking all staff or that team's, and the answers of the team's staff."""
    return _survey_positive(series, "your-voice")
