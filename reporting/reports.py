"""Asking for the monthly monitoring reports and making them, in a worker.

Figures: beat on the 1st, the daily catch-up, the backfill command and ``make run`` ask for
whole months (``request_month``, ``request_missing``), which one task computes for every
scope together (reporting.figures); a leader's rebuild asks for one report
(``report_request``), built alone by the same queries narrowed. A request for a report
already queued or building returns that one: one build at a time per report.

PDFs: rendered from the stored figures, never on the path that makes them, when someone first
asks for one (``pdf_request``) and overnight at low priority (``request_missing_pdfs``). Two
people asking for the same PDF cause one render; one asked for while its figures are being
rebuilt waits for the new figures (their save queues it)."""

from __future__ import annotations

import datetime
import os
import socket
import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pods.models import Team
from reporting import figures
from reporting.kpis import Period, Scope
from reporting.models import MonthlyReport, pdf_stalled, stalled

NOT_ENDED = "{label} has not ended yet: a month is reported once it is over"
BEFORE_RECORDS = "{label} is before the service's records begin"
FIGURES_FAILED = "The report's figures could not be built: rebuild the report first"
# Celery's Redis transport takes priorities 0 (first) to 9 (last): the overnight PDFs wait
# behind anything a person asked for.
OVERNIGHT_PRIORITY = 9
MONTHS_LOCK = 0x504F_4453_4D4F  # "PODSMO": the advisory lock of months_request


def scope_of(report: MonthlyReport) -> Scope:
    return Scope.of_team(report.team) if report.team_id else Scope.authority()


def period_of(report: MonthlyReport) -> Period:
    return Period.of(report.period)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def check_period(period: Period, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if period.end >= today:
        raise ValidationError({"period": NOT_ENDED.format(label=period.label)})
    if period.year < 2000:
        raise ValidationError({"period": BEFORE_RECORDS.format(label=period.label)})


# --- the figures of one report ------------------------------------------------------------------


def report_request(
    *,
    period: Period,
    team: Team | None = None,
    by=None,
    today: datetime.date | None = None,
    queue: bool = True,
) -> MonthlyReport:
    """Ask for the figures of ``period`` for the authority (or ``team``); queue their build on
    commit, unless it is already queued or building, when the running one is returned."""
    from reporting.tasks import build_monthly_report  # the task module imports this one

    check_period(period, today)
    with transaction.atomic():
        report, created = _locked_or_created(period, team)
        if not created and report.is_running:
            return report  # one build at a time: the second request is shown the running one
        _mark_queued(report, by)
        report.save()
        if queue:
            transaction.on_commit(lambda: build_monthly_report.delay(report.pk))
    return report


def _mark_queued(report: MonthlyReport, by=None) -> None:
    report.status = MonthlyReport.Status.QUEUED
    report.requested = timezone.now()
    report.requested_by = by
    report.error = ""


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


def report_build(report_id: int) -> MonthlyReport | None:
    """Build one report's figures: None when there is nothing to do (it is gone, or a
    duplicate delivery finds it finished)."""
    report = _start(report_id)
    if report is None:
        return None
    period, scope = period_of(report), scope_of(report)
    values = figures.compute_one(period, scope)
    pause = settings.PODS_REPORT_BUILD_PAUSE_SECONDS
    if pause:  # only the tests that kill or time out a build half-way set this
        time.sleep(pause)
    figures.save_month(
        period, {report.scope_key: values}, built_by=report.built_by, new_attempt=False
    )
    report.refresh_from_db()
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
    report.built_by = _worker_name()
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


# --- the figures of whole months ---------------------------------------------------------------


def scopes_for_month(period: Period) -> list[Team | None]:
    """The authority and every pod active in the month."""
    return [scope.team for scope in figures.scopes_for_month(period)]


def months_request(months: list[Period], today: datetime.date | None = None,
                   queue: bool = True) -> int:  # fmt: skip
    """Ask for the figures of ``months`` for the authority and every pod (idempotent): each
    scope's report shows as queued (unless its own build is running), and one task computes
    them all. Returns the number of reports asked for."""
    from reporting.tasks import build_figures

    if not months:
        return 0
    for period in months:
        check_period(period, today)
    now = timezone.now()
    scopes = {period: figures.scopes_for_month(period) for period in months}
    with transaction.atomic():
        # One request for months at a time (beat, the catch-up and a command may meet), so two
        # never insert the same missing report.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MONTHS_LOCK])
        existing = {
            (report.period, report.scope_key): report
            for report in MonthlyReport.objects.select_for_update().filter(
                period__in=[period.start for period in months]
            )
        }
        new, again = [], []
        for period in months:
            for scope in scopes[period]:
                report = existing.get((period.start, scope.key))
                if report is None:
                    new.append(MonthlyReport(period=period.start, team=scope.team,
                                             scope_key=scope.key, requested=now))  # fmt: skip
                elif not report.is_running:
                    _mark_queued(report)
                    again.append(report)
        # Thousands of reports for a backfill: written in bulk, with their history rows.
        bulk_create_with_history(new, MonthlyReport, batch_size=500)
        bulk_update_with_history(
            again, MonthlyReport, ["status", "requested", "requested_by", "error"],
            batch_size=500,
        )  # fmt: skip
        asked = sum(len(found) for found in scopes.values())
        if queue:
            texts = [str(period) for period in months]
            transaction.on_commit(lambda: build_figures.delay(texts))
    return asked


def months_build(months: list[Period]) -> int:
    """Compute and save the figures of ``months`` (one transaction a month)."""
    if not months:
        return 0
    MonthlyReport.objects.filter(
        period__in=[period.start for period in months], status=MonthlyReport.Status.QUEUED
    ).update(status=MonthlyReport.Status.BUILDING, started=timezone.now())
    return figures.backfill(min(months), max(months), only=set(months), by=_worker_name())


def months_fail(months: list[Period], error: str) -> None:
    """Mark the months' reports still queued or building failed."""
    with transaction.atomic():
        for report in MonthlyReport.objects.select_for_update().filter(
            period__in=[period.start for period in months],
            status__in=[MonthlyReport.Status.QUEUED, MonthlyReport.Status.BUILDING],
        ):
            report.status = MonthlyReport.Status.FAILED
            report.error = error
            report.save()


def request_month(period: Period, today: datetime.date | None = None) -> int:
    """Ask for the authority's and every pod's figures of the month (beat, on the 1st)."""
    return months_request([period], today)


def missing_months(months: int = 36, today: datetime.date | None = None) -> list[Period]:
    """Any of the last ``months`` months with a report missing, failed or stalled
    (models.stalled) for the authority or a pod, oldest first."""
    today = today or timezone.localdate()
    last = Period.of(today).previous()
    first = last.minus(months - 1)
    have: dict[datetime.date, set[str]] = {}
    for day, key in (
        MonthlyReport.objects.filter(period__range=(first.start, last.start))
        .exclude(status=MonthlyReport.Status.FAILED)
        .exclude(stalled(timezone.now()))
        .values_list("period", "scope_key")
    ):
        have.setdefault(day, set()).add(key)
    wanted = Team.objects.filter(kind=Team.Kind.POD).values_list("pk", "active_from", "active_to")
    pods = list(wanted)
    missing = []
    for period in Period.span(first, last):
        keys = {"authority"} | {
            f"team:{pk}"
            for pk, start, end in pods
            if start <= period.end and (end is None or end >= period.end)
        }
        if not keys <= have.get(period.start, set()):
            missing.append(period)
    return missing


def request_missing(months: int = 36, today: datetime.date | None = None) -> int:
    """The daily catch-up: the months of the last ``months`` missing a report for the
    authority or a pod are asked for again, in one task. Returns the months asked for."""
    missing = missing_months(months, today)
    months_request(missing, today)
    return len(missing)


# --- PDFs ---------------------------------------------------------------------------------------


def pdf_request(report: MonthlyReport, by=None) -> MonthlyReport:
    """Ask for the report's PDF: rendered in the worker from its stored figures (or, while
    they are being built, from the new figures once saved). Asking while it is queued or
    rendering, or ready, changes nothing. ValidationError when the figures failed."""
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if report.pdf_status == MonthlyReport.PdfStatus.READY and report.pdf:
            return report
        if report.pdf_is_running:
            return report  # one render at a time: the second person is shown this one
        if report.status == MonthlyReport.Status.FAILED:
            raise ValidationError(FIGURES_FAILED)
        report.pdf_status = MonthlyReport.PdfStatus.QUEUED
        report.pdf_requested = timezone.now()
        report.pdf_error = ""
        report.save()
        if report.status == MonthlyReport.Status.READY:
            transaction.on_commit(lambda: pdf_render_queue([report.pk]))
        # Otherwise the figures are queued or building: their save queues the render.
    return report


def pdf_render_queue(ids: list[int], *, priority: int | None = None) -> None:
    from reporting.tasks import render_report_pdf

    options = {} if priority is None else {"priority": priority}
    for pk in ids:
        render_report_pdf.apply_async((pk,), **options)


def pdf_render(report_id: int) -> MonthlyReport | None:
    """Render the report's PDF from its stored figures: None when there is nothing to do (it
    is gone, not asked for, already rendered, or its figures are being rebuilt, whose save
    queues it again)."""
    from reporting.pdf import render_report_pdf

    with transaction.atomic():
        report = (
            MonthlyReport.objects.select_for_update(of=("self",))
            .select_related("team")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.status != MonthlyReport.Status.READY:
            return None
        if report.pdf_status not in (MonthlyReport.PdfStatus.QUEUED,
                                     MonthlyReport.PdfStatus.RENDERING):  # fmt: skip
            return None
        report.pdf_status = MonthlyReport.PdfStatus.RENDERING
        report.pdf_started = timezone.now()
        report.pdf_attempts += 1
        report.save()
    figures_of = report.built
    pdf = render_report_pdf(
        report=report, period=period_of(report), scope=scope_of(report), values=report.values
    )
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update(of=("self",)).get(pk=report_id)
        if report.built != figures_of or report.status != MonthlyReport.Status.READY:
            return None  # the figures changed while it rendered: their save queued another
        old = report.pdf.name if report.pdf else ""
        report.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
        report.pdf_status = MonthlyReport.PdfStatus.READY
        report.pdf_rendered = timezone.now()
        report.pdf_error = ""
        report.save()
        if old:
            transaction.on_commit(lambda: report.pdf.storage.delete(old))
    return report


@transaction.atomic
def pdf_fail(report_id: int, error: str) -> None:
    report = MonthlyReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.pdf_status == MonthlyReport.PdfStatus.READY:
        return
    report.pdf_status = MonthlyReport.PdfStatus.FAILED
    report.pdf_error = error
    report.save()


def request_missing_pdfs(months: int = 36, today: datetime.date | None = None) -> int:
    """Overnight: every ready report of the last ``months`` months without a PDF (never asked
    for, failed, or lost) is queued at the lowest priority, newest month first."""
    today = today or timezone.localdate()
    first = Period.of(today).previous().minus(months - 1)
    now = timezone.now()
    with transaction.atomic():
        waiting = MonthlyReport.objects.select_for_update().filter(
            status=MonthlyReport.Status.READY, period__gte=first.start
        ).filter(
            pdf_status__in=[MonthlyReport.PdfStatus.NONE, MonthlyReport.PdfStatus.FAILED]
        ) | MonthlyReport.objects.filter(
            pdf_stalled(now), status=MonthlyReport.Status.READY, period__gte=first.start
        )
        ids = list(waiting.order_by("-period", "scope_key").values_list("pk", flat=True))
        MonthlyReport.objects.filter(pk__in=ids).update(
            pdf_status=MonthlyReport.PdfStatus.QUEUED, pdf_requested=now, pdf_error=""
        )
        transaction.on_commit(lambda: pdf_render_queue(ids, priority=OVERNIGHT_PRIORITY))
    return len(ids)
