"""The data protection figure of the KPI registry: subject access requests answered within
time. Registered from this app (``apps.ready``) rather than reporting's own modules, since
reporting sits below data protection in the layers; the monthly reports and dashboards read
it from the registry like any other figure."""

from __future__ import annotations

from dataprotection.models import SubjectAccessRequest
from reporting.kpis.base import AUTHORITY, Series, kpi, percent

# Answered: the records sent, nothing held, or refused (a refusal is an answer, due on the
# same clock). A withdrawn request needs no answer and is not counted.
ANSWERED = [
    SubjectAccessRequest.Outcome.SENT,
    SubjectAccessRequest.Outcome.NOTHING_HELD,
    SubjectAccessRequest.Outcome.REFUSED,
]


def _in_time(in_time, all_):
    return percent(in_time, all_)


@kpi("sars_answered_in_time", "Subject access requests answered within time", "%",
     up_is_good=True, scopes=(AUTHORITY,), finish=_in_time)  # fmt: skip
def sars_answered_in_time(series: Series) -> list[tuple]:
    """Of the subject access requests answered in the month (the records sent, nothing held,
    or refused; a withdrawn request is not counted), the percentage answered on or before their
    deadline: one calendar month from receipt (a deadline on a weekend or bank holiday moves to
    the next working day), or the date it was extended to, at most three months from receipt,
    when the requester was told why within the first month. For the authority only: a request
    is about a person, not a team's work."""
    return series.rows(
        f"WITH {series.months} SELECT m.month_start, NULL::integer, "
        "COUNT(s.id) FILTER (WHERE s.closed <= COALESCE(s.extended_to, s.due)), COUNT(s.id) "
        "FROM months m JOIN dataprotection_subjectaccessrequest s "
        "ON s.closed BETWEEN m.month_start AND m.month_end AND s.outcome = ANY(%(answered)s) "
        "GROUP BY 1, 2",
        answered=[str(outcome) for outcome in ANSWERED],
    )
