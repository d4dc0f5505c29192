"""Celery tasks of reporting: each takes ids or months and calls reporting.reports.

Beat (config/celery.py, Europe/London) asks for last month's figures on the 1st, runs the
catch-up daily and queues the PDFs not yet rendered overnight; each only queues work."""

import logging

from celery import shared_task
from django.utils import timezone

from reporting import reports
from reporting.kpis import Period

logger = logging.getLogger(__name__)
FAILED = "The report could not be built. Try again, and tell the service desk if it fails again."
PDF_FAILED = "The PDF could not be made. Try again, and tell the service desk if it fails again."


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), max_retries=3,
             retry_backoff=True)  # fmt: skip
def build_monthly_report(self, report_id: int) -> str:
    """Build one report's figures. A failure, or a build still running at the tasks' time
    limit (settings.PODS_TASK_TIME_LIMIT_SECONDS), is retried with backoff; after the last
    try the report is marked failed, with a message a leader can act on."""
    try:
        report = reports.report_build(report_id)
    except Exception:
        if self.request.retries >= self.max_retries:
            logger.exception("Monthly report %s failed after its last try", report_id)
            reports.report_fail(report_id, FAILED)
        raise
    return report.status if report is not None else "nothing to do"


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), max_retries=3,
             retry_backoff=True)  # fmt: skip
def build_figures(self, months: list[str]) -> int:
    """Compute and save the figures of the months (``YYYY-MM``) for the authority and every
    pod, a month at a time. Killed half-way, the months saved stay saved and the redelivered
    task computes them all again; after the last try the months' reports not built are
    marked failed."""
    periods = [Period.parse(text) for text in months]
    try:
        return reports.months_build(periods)
    except Exception:
        if self.request.retries >= self.max_retries:
            logger.exception("The figures of %s failed after their last try", months)
            reports.months_fail(periods, FAILED)
        raise


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), max_retries=3,
             retry_backoff=True)  # fmt: skip
def render_report_pdf(self, report_id: int) -> str:
    """Render one report's PDF from its stored figures."""
    try:
        report = reports.pdf_render(report_id)
    except Exception:
        if self.request.retries >= self.max_retries:
            logger.exception("The PDF of monthly report %s failed after its last try", report_id)
            reports.pdf_fail(report_id, PDF_FAILED)
        raise
    return report.pdf_status if report is not None else "nothing to do"


@shared_task(acks_late=True)
def request_last_months_reports() -> int:
    """On the 1st: last month's figures for the authority and every pod."""
    return reports.request_month(Period.of(timezone.localdate()).previous())


@shared_task(acks_late=True)
def request_missing_reports() -> int:
    """Daily: any of the last 36 months missing a report is built."""
    return reports.request_missing()


@shared_task(acks_late=True)
def request_missing_pdfs() -> int:
    """Overnight: the PDFs not rendered yet, at the lowest priority."""
    return reports.request_missing_pdfs()


@shared_task(acks_late=True)
def build_statutory_return(return_id: int) -> str:
    """Build and validate one collection year's statutory returns (reporting.returns.services).
    A failure marks the return failed with its reason, for the performance officer to see and
    build again; it is not retried on its own, as the same record would fail the same way."""
    from reporting.returns.services import return_build

    return return_build(return_id)
