"""The monthly report: asked for once per month and scope, built through a real Celery worker
(twice or at once: one report), rebuilt on retry after its worker is killed half-way, stopped
at its time limit and marked failed after its last retry, backfilled by the command, caught
up daily (lost tasks too), and rendered as a tagged PDF with charts and their numbers."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from config.celery import app
from reporting import reports
from reporting.kpis import Period
from reporting.models import MonthlyReport
from reporting.tasks import build_monthly_report
from tests.onestory.test_pdf import structure_of, text_of

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LAST_MONTH = Period.of(timezone.localdate()).previous()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _wait(report, until, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if until(report):
            return report
        time.sleep(0.2)
    raise AssertionError(f"report still {report.status} after {seconds}s: {report.error}")


@pytest.mark.django_db
class TestAsking:
    def test_this_month_and_the_future_are_refused(self):
        for period in (Period.of(timezone.localdate()), Period.of(timezone.localdate()).next()):
            with pytest.raises(ValidationError, match="has not ended yet"):
                reports.report_request(period=period)
        assert not MonthlyReport.objects.exists()

    def test_a_malformed_month_is_named(self):
        with pytest.raises(CommandError, match="'2025-13' is not a month"):
            call_command("build_monthly_reports", "--from", "2025-13", "--to", "2025-12")
        with pytest.raises(CommandError, match="before --from"):
            call_command("build_monthly_reports", "--from", "2025-03", "--to", "2025-01")

    def test_asking_again_while_it_is_queued_gives_the_one_queued(self, pod):
        first = reports.report_request(period=LAST_MONTH, queue=False)
        again = reports.report_request(period=LAST_MONTH, queue=False)
        assert again.pk == first.pk and MonthlyReport.objects.count() == 1

    def test_a_report_whose_task_was_lost_is_asked_for_again(self, pod):
        reports.request_month(LAST_MONTH)  # queued on commit, which this test never reaches
        assert reports.request_missing(months=1) == 0, "queued a moment ago: waiting, not lost"
        now = timezone.now()
        waited = MonthlyReport.objects.filter(scope_key="authority")
        waited.update(requested=now - datetime.timedelta(days=2))
        assert reports.request_missing(months=1) == 1
        assert waited.get().requested > now and waited.get().status == "queued"
        # A build that started two hours ago and never finished: its worker is gone.
        waited.update(status="building", started=now - datetime.timedelta(hours=2))
        asked = reports.report_request(period=LAST_MONTH, queue=False)
        assert asked.status == "queued" and MonthlyReport.objects.count() == 2
        # One building for a minute is running: asking again shows it.
        waited.update(status="building", started=timezone.now())
        assert reports.report_request(period=LAST_MONTH, queue=False).status == "building"

    def test_the_catch_up_asks_for_the_oldest_month_first(self, pod):
        reports.request_missing(months=3)
        asked = MonthlyReport.objects.filter(scope_key="authority").order_by("requested", "pk")
        assert [report.period for report in asked] == [
            LAST_MONTH.minus(2).start, LAST_MONTH.minus(1).start, LAST_MONTH.start
        ]  # fmt: skip


@pytest.mark.django_db
class TestTheDocument:
    def test_an_empty_month_is_zeros_in_a_tagged_pdf_with_charts_and_tables(self, pod):
        report = reports.report_request(period=LAST_MONTH, queue=False)
        built = reports.report_build(report.pk)
        assert built.status == MonthlyReport.Status.READY
        assert built.values["open_children"]["value"] == 0
        assert built.values["caseload"]["value"] is None
        pdf = built.pdf.read()
        text = text_of(pdf)
        assert (
            f"Monthly monitoring report {reports.scope_of(built).label}, {LAST_MONTH.label}" in text
        )
        assert "Open children" in text and "Children in care, excluding UASC" in text
        tags = structure_of(pdf)
        assert "Table" in tags and "Figure" in tags and "H1" in tags

    def test_the_command_backfills_every_pod_and_running_it_twice_leaves_one_each(
        self, pod, other_pod
    ):
        months = [LAST_MONTH.minus(1), LAST_MONTH]
        for _ in range(2):
            call_command(
                "build_monthly_reports", "--from", str(months[0]), "--to", str(months[1]), "--here"
            )
        assert MonthlyReport.objects.count() == 2 * 3  # the authority and two pods, two months
        assert set(MonthlyReport.objects.values_list("status", flat=True)) == {"ready"}


@pytest.mark.django_db(transaction=True)
class TestThroughAWorker:
    def test_a_worker_builds_it_and_a_second_build_leaves_one_report(self, pod):
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            report = reports.report_request(period=LAST_MONTH)
            report = _wait(report, lambda r: r.status == "ready")
            first_pdf = report.pdf.name
            rebuilt = reports.report_request(period=LAST_MONTH)  # a leader's rebuild
            rebuilt = _wait(rebuilt, lambda r: r.status == "ready" and r.attempts == 2)
        assert MonthlyReport.objects.count() == 1
        assert rebuilt.pdf.name != first_pdf and rebuilt.pdf.storage.exists(rebuilt.pdf.name)
        assert not rebuilt.pdf.storage.exists(first_pdf), "the old PDF is deleted"

    def test_the_daily_catch_up_builds_missing_months(self, pod):
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            asked = reports.request_missing(months=2)
            assert asked == 2 * 2  # the authority and the pod, two months
            for report in MonthlyReport.objects.all():
                _wait(report, lambda r: r.status == "ready")
            assert reports.request_missing(months=2) == 0

    def test_a_build_killed_half_way_is_built_again_on_retry(self, pod, media_root):
        """A real worker process (prefork, one child) whose child is killed while the report
        is building: the task is given back (acks_late, reject on worker lost) and the new
        child builds it from the start."""
        app.control.purge()  # nothing left over from other tests for this worker to take
        report = reports.report_request(period=LAST_MONTH)
        worker = _worker_process(media_root, pause_seconds=4)
        try:
            building = _wait(report, lambda r: r.status == "building" and r.built_by)
            killed = building.built_by
            child_pid = int(killed.rsplit(":", 1)[1])
            os.kill(child_pid, signal.SIGKILL)
            done = _wait(report, lambda r: r.status == "ready", seconds=180)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        assert done.attempts == 2 and done.built_by != killed, "a new child built it"
        assert done.values["open_families"]["value"] == 0 and done.pdf

    def test_a_build_still_running_at_the_time_limit_is_retried_then_marked_failed(
        self, pod, media_root
    ):
        app.control.purge()
        report = reports.report_request(period=LAST_MONTH, queue=False)
        # The sender puts the limits in the message (settings.PODS_TASK_TIME_LIMIT_SECONDS
        # when report_request queues it), and each retry keeps them.
        build_monthly_report.apply_async((report.pk,), soft_time_limit=2, time_limit=30)
        worker = _worker_process(media_root, pause_seconds=60)
        try:
            failed = _wait(report, lambda r: r.status == "failed", seconds=180)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        assert failed.attempts == 4, "the first try and three retries, each stopped at 2 s"
        assert failed.error.startswith("The report could not be built") and not failed.pdf


def _worker_process(media_root, pause_seconds):
    # The test database, by its unix socket (a host in the query: django-environ's OPTIONS).
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@/{database['NAME']}?host={database['HOST']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        # With DATABASE_URL the worker is configured as a deployment is, key and all.
        "DJANGO_SECRET_KEY": "a-test-worker-secret-key-" + "k3Wq8" * 8,
        "MEDIA_ROOT": str(media_root),
        "PODS_REPORT_BUILD_PAUSE_SECONDS": str(pause_seconds),
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
               "--concurrency", "1", "--loglevel", "warning", "--without-heartbeat",
               "--without-gossip", "--without-mingle"]  # fmt: skip
    return subprocess.Popen(command, cwd=BASE_DIR, env=env)
