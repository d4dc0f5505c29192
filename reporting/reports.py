"""Building the monthly monitoring report: asking for one (beat, the catch-up, the backfill
command or a leader's rebuild) and building it in a worker.

A request for a report that is already queued or building returns that one: there is one
build at a time per report. A build computes every KPI and renders the PDF first, then saves
values and PDF together in one transaction, so a worker killed half-way leaves the report as
it was (or "building"), and the redelivered task (acks_late, reject on worker lost) builds it
again from the start."""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from pods.models import Team
from reporting.kpis import REGISTRY, Period, Scope
from reporting.models import MonthlyReport, stalled

logger = logging.getLogger(__name__)

NOT_ENDED = "{label} has not ended yet: a month is reported once it is over"
BEFORE_RECORDS = "{label} is before the service's records begin"


def scope_of(report: MonthlyReport) -> Scope:
    return Scope.of_team(report.team) if report.team_id else Scope.authority()


def period_of(report: MonthlyReport) -> Period:
    return Period.of(report.period)


def check_period(period: Period, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if period.end >= today:
        raise ValidationError({"period": NOT_ENDED.format(label=period.label)})
    if period.year < 2000:
        raise ValidationError({"period": BEFORE_RECORDS.format(label=period.label)})


def report_request(
    *,
    period: Period,
    team: Team | None = None,
    by=None,
    today: datetime.date | None = None,
    queue: bool = True,
) -> MonthlyReport:
    """Ask for the report of ``period`` for the authority (or ``team``); queue its build on
    commit, unless it is already queued or building, when the running one is returned."""
    from reporting.tasks import build_monthly_report  # the task module imports this one

    check_period(period, today)
    with transaction.atomic():
        report, created = _locked_or_created(period, team)
        if not created and report.is_running:
            return report  # one build at a time: the second request is shown the running one
        report.status = MonthlyReport.Status.QUEUED
        report.requested = timezone.now()
        report.requested_by = by
        report.error = ""
        report.save()
        if queue:
            transaction.on_commit(lambda: build_monthly_report.delay(report.pk))
    return report


def _locked_or_created(period: Period, team: Team | None) -> tuple[MonthlyReport, bool]:
    key = "authority" if team is None else f"team:{team.pk}"
    found = MonthlyReport.objects.select_for_update().filter(period=period.start, scope_key=key)
    report = found.first()
    if report is not None:
        return report, False
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(period=period.start, team=team), True
    except IntegrityError:  # asked for at the same moment by someone else
        return found.get(), False


def compute_values(period: Period, scope: Scope) -> dict:
    """Every KPI reported for the scope, as data: name, unit, direction, definition, value
    (a string for decimals, so JSON keeps them exact)."""
    values = {}
    for kpi in REGISTRY.values():
        if scope.kind not in kpi.scopes:
            continue
        value = kpi.compute(period, scope)
        values[kpi.key] = {
            "name": kpi.name,
            "unit": kpi.unit,
            "up_is_good": kpi.up_is_good,
            "definition": kpi.definition,
            "value": str(value) if isinstance(value, Decimal) else value,
        }
    return values


def report_build(report_id: int) -> MonthlyReport | None:
    """Build the report: None when there is nothing to do (it is gone, or a duplicate
    delivery finds it finished)."""
    from reporting.pdf import render_report_pdf

    report = _start(report_id)
    if report is None:
        return None
    period, scope = period_of(report), scope_of(report)
    values = compute_values(period, scope)
    pause = settings.PODS_REPORT_BUILD_PAUSE_SECONDS
    if pause:  # only the test that kills a build half-way sets this
        time.sleep(pause)
    pdf = render_report_pdf(report=report, period=period, scope=scope, values=values)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update(of=("self",)).get(pk=report_id)
        old = report.pdf.name if report.pdf else ""
        report.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
        report.values = values
        report.status = MonthlyReport.Status.READY
        report.built = timezone.now()
        report.error = ""
        report.save()
        if old:
            transaction.on_commit(lambda: report.pdf.storage.delete(old))
    return report


@transaction.atomic
def _start(report_id: int) -> MonthlyReport | None:
    report = (
        MonthlyReport.objects.select_for_update(of=("self",))
        .select_related("team")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status not in (
        MonthlyReport.Status.QUEUED,
        MonthlyReport.Status.BUILDING,  # a build whose worker died: start it again
    ):
        return None
    report.status = MonthlyReport.Status.BUILDING
    report.started = timezone.now()
    report.attempts += 1
    report.built_by = f"{socket.gethostname()}:{os.getpid()}"[:100]
    report.save()
    return report


@transaction.atomic
def report_fail(report_id: int, error: str) -> None:
    report = MonthlyReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.status == MonthlyReport.Status.READY:
        return
    report.status = MonthlyReport.Status.FAILED
    report.error = error
    report.save()


def scopes_for_month(period: Period) -> list[Team | None]:
    """The authority and every pod active in the month."""
    pods = Team.objects.active_on(period.end).filter(kind=Team.Kind.POD).order_by("name")
    return [None, *pods]


def request_month(period: Period, today: datetime.date | None = None) -> int:
    """Ask for the authority's and every pod's report of the month (idempotent)."""
    for team in scopes_for_month(period):
        report_request(period=period, team=team, today=today)
    return len(scopes_for_month(period))


def request_missing(months: int = 36, today: datetime.date | None = None) -> int:
    """The daily catch-up: any of the last ``months`` months with a report missing, failed or
    stalled (models.stalled) for the authority or a pod is asked for again, oldest first, as
    a report's charts and movement read the months before it from their reports."""
    today = today or timezone.localdate()
    last = Period.of(today).previous()
    asked = 0
    for back in range(months - 1, -1, -1):
        period = last.minus(back)
        have = set(
            MonthlyReport.objects.filter(period=period.start)
            .exclude(status=MonthlyReport.Status.FAILED)
            .exclude(stalled(timezone.now()))
            .values_list("scope_key", flat=True)
        )
        for team in scopes_for_month(period):
            key = "authority" if team is None else f"team:{team.pk}"
            if key not in have:
                report_request(period=period, team=team, today=today)
                asked += 1
    return asked
