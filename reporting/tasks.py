"""Celery tasks of reporting: each takes ids or a month and calls reporting.reports.

Beat (config/celery.py, Europe/London) asks for last month's reports on the 1st and runs the
catch-up daily; both only queue builds, one task per report."""

import logging

from celery import shared_task
from django.utils import timezone

from reporting import reports
from reporting.kpis import Period

logger = logging.getLogger(__name__)
FAILED = "The report could not be built. Try again, and tell the service desk if it fails again."


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), max_retries=3,
             retry_backoff=True)  # fmt: skip
def build_monthly_report(self, report_id: int) -> str:
    """Build one report. A failure, or a build still running at the tasks' time limit
    (settings.PODS_TASK_TIME_LIMIT_SECONDS), is retried with backoff; after the last try the
    report is marked failed, with a message a leader can act on."""
    try:
        report = reports.report_build(report_id)
    except Exception:
        if self.request.retries >= self.max_retries:
            logger.exception("Monthly report %s failed after its last try", report_id)
            reports.report_fail(report_id, FAILED)
        raise
    return report.status if report is not None else "nothing to do"


@shared_task(acks_late=True)
def request_last_months_reports() -> int:
    """On the 1st: last month's report for the authority and every pod."""
    return reports.request_month(Period.of(timezone.localdate()).previous())


@shared_task(acks_late=True)
def request_missing_reports() -> int:
    """Daily: any of the last 36 months missing a report is built."""
    return reports.request_missing()
