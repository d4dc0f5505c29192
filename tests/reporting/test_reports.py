"""The monthly report: asked for once per month and scope, its figures built through a real
Celery worker (twice or at once: one report), whole months at a time (a backfill killed
half-way leaves each month complete or as it was, and finishes on retry), stopped at its time
limit and marked failed after its last retry, backfilled by the command, caught up daily
(lost tasks too); its PDF rendered apart from the figures when first asked for (two asking
cause one render; one asked for while the figures are rebuilt waits for them), as a tagged
PDF with charts and their numbers."""

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

    def test_the_catch_up_asks_for_every_missing_month_and_scope(self, pod):
        assert reports.missing_months(months=3) == [
            LAST_MONTH.minus(2), LAST_MONTH.minus(1), LAST_MONTH
        ]  # fmt: skip
        assert reports.request_missing(months=3) == 3
        assert MonthlyReport.objects.filter(status="queued").count() == 3 * 2
        assert reports.missing_months(months=3) == []


@pytest.mark.django_db
class TestTheDocument:
    def test_an_empty_month_is_zeros_in_a_tagged_pdf_with_charts_and_tables(self, pod):
        report = reports.report_request(period=LAST_MONTH, queue=False)
        built = reports.report_build(report.pk)
        assert built.status == MonthlyReport.Status.READY
        assert built.values["open_children"]["value"] == 0
        assert built.values["caseload"]["value"] is None
        assert not built.pdf and built.pdf_status == "", "the figures alone: no PDF"
        reports.pdf_request(built)
        built = reports.pdf_render(built.pk)
        assert built.pdf_status == "ready" and built.pdf_attempts == 1
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
    def test_the_figures_then_the_pdf_when_asked_for_and_two_asking_cause_one_render(self, pod):
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            report = reports.report_request(period=LAST_MONTH)
            report = _wait(report, lambda r: r.status == "ready")
            assert not report.pdf and report.pdf_status == "", "figures never wait for a PDF"
            first = reports.pdf_request(report)
            second = reports.pdf_request(report)  # someone else, a moment later
            assert (first.pdf_status, second.pdf_status) == ("queued", "queued")
            report = _wait(report, lambda r: r.pdf_status == "ready")
            assert report.pdf_attempts == 1, "two asking: one render"
            first_pdf = report.pdf.name
            rebuilt = reports.report_request(period=LAST_MONTH)  # a leader's rebuild
            rebuilt = _wait(rebuilt, lambda r: r.attempts == 2 and r.pdf_status == "ready")
        assert MonthlyReport.objects.count() == 1
        assert rebuilt.pdf.name != first_pdf and rebuilt.pdf.storage.exists(rebuilt.pdf.name)
        assert not rebuilt.pdf.storage.exists(first_pdf), "the PDF of the old figures is gone"
        assert rebuilt.pdf_rendered > rebuilt.built, "drawn from the new figures"

    def test_a_pdf_asked_for_while_the_figures_are_rebuilt_waits_for_them(self, pod):
        report = reports.report_request(period=LAST_MONTH, queue=False)  # figures queued
        asked = reports.pdf_request(report)
        assert asked.pdf_status == "queued"
        assert reports.pdf_render(report.pk) is None, "no PDF from figures not there yet"
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            from reporting.tasks import build_monthly_report as task

            task.delay(report.pk)
            done = _wait(report, lambda r: r.pdf_status == "ready")
        assert done.status == "ready" and done.pdf_rendered > done.built

    def test_the_daily_catch_up_builds_missing_months_in_one_task(self, pod):
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            asked = reports.request_missing(months=2)
            assert asked == 2  # two months, each for the authority and the pod
            for report in MonthlyReport.objects.all():
                _wait(report, lambda r: r.status == "ready")
            assert MonthlyReport.objects.count() == 2 * 2
            assert reports.request_missing(months=2) == 0
        assert not MonthlyReport.objects.exclude(pdf="").exists(), "PDFs only when asked for"

    def test_the_overnight_pdfs_wait_behind_what_people_ask_for(self, pod):
        call_command("build_monthly_reports", "--from", str(LAST_MONTH.minus(1)), "--to",
                     str(LAST_MONTH), "--here")  # fmt: skip
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            assert reports.request_missing_pdfs(months=2) == 4
            for report in MonthlyReport.objects.all():
                _wait(report, lambda r: r.pdf_status == "ready")
        assert reports.request_missing_pdfs(months=2) == 0

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
        assert done.values["open_families"]["value"] == 0 and not done.pdf

    def test_a_backfill_killed_half_way_leaves_whole_months_and_finishes_on_retry(
        self, pod, other_pod, media_root
    ):
        """Three months through a real worker, which pauses between saving one month and
        the next; its child is killed after the first month is saved. Each month is then
        complete (every scope's figures from the one save) or as it was, never half; the
        redelivered task builds all three."""
        app.control.purge()
        months = [LAST_MONTH.minus(2), LAST_MONTH.minus(1), LAST_MONTH]
        reports.months_request(months)
        worker = _worker_process(media_root, pause_seconds=6)
        try:
            deadline = time.monotonic() + 120
            while not MonthlyReport.objects.filter(status="ready").exists():
                assert time.monotonic() < deadline, "no month was saved"
                time.sleep(0.1)
            builder = MonthlyReport.objects.filter(status="ready").first().built_by
            os.kill(int(builder.rsplit(":", 1)[1]), signal.SIGKILL)
            by_month = {}
            for report in MonthlyReport.objects.all():
                by_month.setdefault(report.period, set()).add((report.status, report.built))
            for period, states in by_month.items():
                assert len(states) == 1, f"{period}: half a month saved: {states}"
            saved = [period for period, states in by_month.items() if ("ready" in dict(states))]
            assert len(saved) in (1, 2), "killed between two months"
            for report in MonthlyReport.objects.all():
                _wait(report, lambda r: r.status == "ready", seconds=180)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        assert MonthlyReport.objects.count() == 3 * 3
        assert set(MonthlyReport.objects.values_list("built_by", flat=True)) != {builder}

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
