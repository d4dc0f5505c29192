"""A senior leader opens the dashboard, drills a number down to the list behind it (counts,
not names: families are opened by break glass), and asks for the monthly report's PDF, which a
worker draws from the stored figures, and downloads it. axe-core
checks every page on the way."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from reporting import reports
from reporting.kpis import Period
from tests.e2e.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def last_months_reports(wojcik_family, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    last = Period.of(timezone.localdate()).previous()
    for team in reports.scopes_for_month(last):
        report = reports.report_request(period=last, team=team, queue=False)
        reports.report_build(report.pk)  # as the worker would
    return last


def test_a_senior_leader_reads_drills_down_and_downloads(page, live_server, last_months_reports):
    sign_in(page, live_server.url, "senior-leader")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Figures").click()
    assert page.get_by_role("heading", level=1).inner_text() == "The service's figures"
    open_children = page.get_by_test_id("kpi-open_children")
    assert "On the month" in open_children.inner_text()
    assert page.get_by_test_id("pods").get_by_role("link", name="Ash Pod").count() == 1
    assert serious_accessibility_violations(page) == []

    page.get_by_test_id("drill-open_children").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Open children: 1"
    assert "in families you cannot open" in page.get_by_test_id("hidden").inner_text()
    assert "Zofia" not in page.content()
    assert serious_accessibility_violations(page) == []

    page.go_back()
    page.get_by_role("link", name="The monthly reports").click()
    first = page.get_by_test_id("reports").get_by_role("link").first  # the authority's
    assert "Brightwater City Council" in first.inner_text()
    first.click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Monthly report, {last_months_reports.label}"
    )
    assert serious_accessibility_violations(page) == []
    # The PDF is drawn from the stored figures when first asked for, in the worker.
    page.get_by_role("button", name="Make the report's PDF").click()
    assert "The PDF is waiting for a worker" in page.get_by_test_id("pdf-progress").inner_text()
    assert serious_accessibility_violations(page) == []
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        for _ in range(60):
            page.get_by_role("link", name="Refresh this page").click()
            if page.get_by_test_id("pdf").count():
                break
            page.wait_for_timeout(500)
    with page.expect_download() as download:
        page.get_by_test_id("pdf").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert (
        download.value.suggested_filename == f"monthly-report-{last_months_reports}-authority.pdf"
    )
