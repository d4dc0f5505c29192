"""The figures of whole months: every KPI for the authority and every pod active in the
month, computed together (one query per KPI and kind of scope for the whole range, however
many months and pods) and saved month by month, each month in one transaction, into the
months' MonthlyReport rows. A backfill killed half-way leaves each month complete or as it
was, and running it again finishes the job.

The PDFs are not made here: a report whose PDF was rendered (or asked for) before its figures
changed has its PDF queued again, from the new figures, once they are saved."""

from __future__ import annotations

import time
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pods.models import Team
from reporting.kpis import AUTHORITY, REGISTRY, Period, Scope
from reporting.kpis.base import shared_rows
from reporting.models import MonthlyReport

# Memory for the sorts and hashes of the few large queries of a backfill (a worker's session
# only), so PostgreSQL does them in memory rather than on disk.
WORK_MEM = "256MB"
SAVED_FIELDS = ["values", "status", "built", "built_by", "error", "attempts", "requested",
                "pdf", "pdf_status", "pdf_requested"]  # fmt: skip


def scopes_for_month(period: Period) -> list[Scope]:
    """The authority and every pod active at the month end, by name."""
    pods = Team.objects.active_on(period.end).filter(kind=Team.Kind.POD).order_by("name")
    return [Scope.authority(), *(Scope.of_team(pod) for pod in pods)]


def as_data(kpi, value) -> dict:
    """One KPI's figure as the report keeps it: name, unit, direction, definition, value (a
    string for decimals, so JSON keeps them exact)."""
    return {
        "name": kpi.name,
        "unit": kpi.unit,
        "up_is_good": kpi.up_is_good,
        "definition": kpi.definition,
        "value": str(value) if isinstance(value, Decimal) else value,
    }


def compute(first: Period, last: Period) -> dict[Period, dict[str, dict]]:
    """{month: {scope key: {kpi key: figure as data}}} for every month from ``first`` to
    ``last`` and the authority and every pod active in each: one query per KPI and kind."""
    months = Period.span(first, last)
    scopes = {period: scopes_for_month(period) for period in months}
    every = {scope.key: scope for period in months for scope in scopes[period]}.values()
    by_cell: dict[tuple[Period, str], dict] = {}
    with transaction.atomic(), shared_rows():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = %s", [WORK_MEM])
        for kpi in REGISTRY.values():
            for (period, key), value in kpi.cells(first, last, list(every)).items():
                by_cell.setdefault((period, key), {})[kpi.key] = as_data(kpi, value)
    return {
        period: {scope.key: by_cell.get((period, scope.key), {}) for scope in scopes[period]}
        for period in months
    }


def compute_one(period: Period, scope: Scope) -> dict:
    """Every KPI reported for one scope and month: the same queries narrowed to them."""
    return {
        kpi.key: as_data(kpi, kpi.value(period, scope))
        for kpi in REGISTRY.values()
        if scope.kind in kpi.scopes
    }


def backfill(first: Period, last: Period, *, only: set[Period] | None = None, by="") -> int:
    """Compute every month from ``first`` to ``last`` (or only those in ``only``) and save
    them, oldest first, one transaction a month. Returns the reports saved."""
    figures = compute(first, last)
    saved = 0
    for period, by_scope in figures.items():
        if only is not None and period not in only:
            continue
        pause = settings.PODS_REPORT_BUILD_PAUSE_SECONDS
        if pause and saved:  # only the test that kills a backfill half-way sets this
            time.sleep(pause)
        saved += len(save_month(period, by_scope, built_by=by))
    return saved


@transaction.atomic
def save_month(
    period: Period, by_scope: dict[str, dict], *, built_by: str = "", new_attempt: bool = True
) -> list:
    """Save one month's figures for every scope in ``by_scope`` in one transaction: each
    scope's report is created or has its figures replaced, and is ready. A PDF drawn from
    the old figures is deleted on commit and, when it had been rendered or asked for, a new
    one is queued from these."""
    from reporting.reports import pdf_render_queue  # reports imports this module

    now = timezone.now()
    existing = {
        report.scope_key: report
        for report in MonthlyReport.objects.select_for_update().filter(period=period.start)
    }
    new, changed, stale, to_render = [], [], [], []
    for key, values in by_scope.items():
        report = existing.get(key)
        if report is None:
            team_id = None if key == AUTHORITY else int(key.split(":")[1])
            report = MonthlyReport(period=period.start, team_id=team_id, scope_key=key,
                                   requested=now)  # fmt: skip
            new.append(report)
        else:
            changed.append(report)
            if report.pdf:
                stale.append(report.pdf.name)
                report.pdf = ""
            if report.pdf_status in (MonthlyReport.PdfStatus.READY, MonthlyReport.PdfStatus.QUEUED,
                                     MonthlyReport.PdfStatus.RENDERING):  # fmt: skip
                report.pdf_status = MonthlyReport.PdfStatus.QUEUED
                report.pdf_requested = now
                to_render.append(report)
            else:
                report.pdf_status = MonthlyReport.PdfStatus.NONE
        report.values = values
        report.status = MonthlyReport.Status.READY
        report.built = now
        report.built_by = built_by[:100]
        report.error = ""
        report.attempts += new_attempt  # a single report's build counted its own start
    if new:
        bulk_create_with_history(new, MonthlyReport, batch_size=500)
    if changed:
        bulk_update_with_history(changed, MonthlyReport, SAVED_FIELDS, batch_size=500)
    if stale:
        storage = MonthlyReport._meta.get_field("pdf").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in stale])
    ids = [report.pk for report in to_render]
    if ids:
        transaction.on_commit(lambda: pdf_render_queue(ids))
    return new + changed
