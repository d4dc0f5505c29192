"""Reporting screens: who sees which report and dashboard, the list behind a number filtered
by visibility, a rebuild while one is running, exports, and bad months."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from families import services as family_services
from families.models import AccessLogEntry, ChildStatus
from reporting import reports
from reporting.kpis import Period
from reporting.models import MonthlyReport
from tests.clients import client_for
from tests.families.conftest import REFERRED

pytestmark = pytest.mark.django_db
LAST_MONTH = Period.of(timezone.localdate()).previous()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def built(family, child, pod):
    """A CP child in the pod, and last month's reports built for the authority and the pod."""
    family_services.child_status_start(
        family=family, person=child, kind=ChildStatus.Kind.CP_PLAN, cp_category="neglect",
        start=REFERRED,
    )  # fmt: skip
    made = []
    for team in (None, pod):
        report = reports.report_request(period=LAST_MONTH, team=team, queue=False)
        made.append(reports.report_build(report.pk))
    return made


def test_a_leader_sees_the_dashboard_and_drills_down_to_counts_not_names(
    built, senior_leader, child
):
    client = client_for(senior_leader)
    page = client.get("/reports/dashboard/")
    assert page.status_code == 200
    card = [c for c in page.context["cards"] if c["key"] == "cp_children"][0]
    assert card["value"] == 1
    drill = client.get(f"/reports/children/cp_children/{LAST_MONTH}/authority/")
    assert drill.context["total"] == 1 and drill.context["children"] == []
    assert child.first_name not in drill.content.decode(), "a leader opens families by break glass"


def test_the_pod_manager_sees_their_pod_and_the_children_behind_its_numbers(
    built, pod, pod_manager, child
):
    client = client_for(pod_manager)
    assert client.get(f"/reports/dashboard/pods/{pod.pk}/").status_code == 200
    drill = client.get(f"/reports/children/cp_children/{LAST_MONTH}/team-{pod.pk}/")
    assert [m.person for m in drill.context["children"]] == [child]
    assert client.get("/reports/dashboard/").status_code == 404, "the authority is for leaders"
    authority = MonthlyReport.objects.get(scope_key="authority")
    assert client.get(f"/reports/{authority.pk}/").status_code == 404


def test_the_children_behind_a_number_are_written_to_the_access_log(
    built, pod, pod_manager, family
):
    path = f"/reports/children/cp_children/{LAST_MONTH}/team-{pod.pk}/"
    assert client_for(pod_manager).get(path).status_code == 200
    logged = AccessLogEntry.objects.filter(user=pod_manager.user)
    assert list(logged.values_list("family_id", "path")) == [(family.pk, path)]


def test_people_outside_a_pod_get_404_on_its_reports(built, pod, outsider, social_worker):
    pod_report = MonthlyReport.objects.get(team=pod)
    for worker in (outsider, social_worker):
        client = client_for(worker)
        for path in (
            f"/reports/{pod_report.pk}/",
            f"/reports/{pod_report.pk}/pdf/",
            f"/reports/{pod_report.pk}/csv/",
            f"/reports/dashboard/pods/{pod.pk}/",
            f"/reports/children/cp_children/{LAST_MONTH}/team-{pod.pk}/",
            f"/reports/export/team-{pod.pk}.csv",
            "/reports/dashboard/",
        ):
            assert client.get(path).status_code == 404, (worker.user.username, path)
        assert client.post(f"/reports/{pod_report.pk}/rebuild/").status_code == 404
        assert client.post(f"/reports/{pod_report.pk}/pdf/make/").status_code == 404
    pod_report.refresh_from_db()
    assert pod_report.pdf_status == "", "nothing asked for by those who may not see it"


def test_everyone_sees_their_own_figures(built, social_worker):
    page = client_for(social_worker).get("/reports/my-figures/")
    assert page.status_code == 200
    assert page.context["families"] == 1 and page.context["children"] == 1


def test_a_rebuild_while_one_is_running_shows_the_running_one(built, senior_leader):
    report = built[0]
    client = client_for(senior_leader)
    client.post(f"/reports/{report.pk}/rebuild/")
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.QUEUED
    again = client.post(f"/reports/{report.pk}/rebuild/", follow=True)
    assert "already being built" in again.content.decode()
    assert MonthlyReport.objects.filter(scope_key="authority").count() == 1
    assert 'data-auto-refresh="3"' in again.content.decode()


def test_a_report_whose_task_was_lost_can_be_rebuilt(built, senior_leader):
    report = built[0]
    client = client_for(senior_leader)
    client.post(f"/reports/{report.pk}/rebuild/")
    lost = timezone.now() - datetime.timedelta(days=2)
    MonthlyReport.objects.filter(pk=report.pk).update(requested=lost)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "its task was lost" in page and "disabled" not in page
    again = client.post(f"/reports/{report.pk}/rebuild/", follow=True)
    assert "is being rebuilt" in again.content.decode()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.QUEUED and report.requested > lost


def test_exports_as_csv_and_xlsx(built, senior_leader):
    client = client_for(senior_leader)
    text = client.get("/reports/export/authority.csv").content.decode()
    assert text.splitlines()[0].startswith("measure,unit,") and str(LAST_MONTH) in text
    assert "Children on child protection plans" in text
    workbook = load_workbook(io.BytesIO(client.get("/reports/export/authority.xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    cp = [row for row in rows if row[0] == "Children on child protection plans"][0]
    assert cp[-1] == 1
    report_csv = client.get(f"/reports/{built[0].pk}/csv/").content.decode()
    assert "Open children,1,children" in report_csv
    assert client.get(f"/reports/{built[0].pk}/pdf/").status_code == 404, "not made yet"
    assert client.get(f"/reports/{built[0].pk}/pdf/make/").status_code == 405
    asked = client.post(f"/reports/{built[0].pk}/pdf/make/")
    assert asked.status_code == 302
    built[0].refresh_from_db()
    assert built[0].pdf_status == "queued"
    page = client.get(f"/reports/{built[0].pk}/").content.decode()
    assert "The PDF is waiting for a worker" in page and 'data-auto-refresh="3"' in page
    reports.pdf_render(built[0].pk)  # as the worker would
    page = client.get(f"/reports/{built[0].pk}/").content.decode()
    assert "Download the report (PDF)" in page and "data-auto-refresh" not in page
    pdf = client.get(f"/reports/{built[0].pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"


def test_a_month_in_the_future_or_malformed_is_404(built, senior_leader):
    client = client_for(senior_leader)
    future = Period.of(timezone.localdate() + datetime.timedelta(days=40))
    for month in (str(future), "2025-13", "soon"):
        assert client.get(f"/reports/children/cp_children/{month}/authority/").status_code == 404
        assert client.get(f"/reports/dashboard/?month={month}").status_code == 404


def test_the_dashboard_shows_movement_on_the_month(family, child, senior_leader):
    """Two months built: a child came onto a CP plan in the later one."""
    status_start = LAST_MONTH.start
    family_services.child_status_start(
        family=family, person=child, kind=ChildStatus.Kind.CP_PLAN, cp_category="neglect",
        start=status_start,
    )  # fmt: skip
    for period in (LAST_MONTH.previous(), LAST_MONTH):
        report = reports.report_request(period=period, queue=False)
        reports.report_build(report.pk)
    page = client_for(senior_leader).get("/reports/dashboard/")
    card = [c for c in page.context["cards"] if c["key"] == "cp_children"][0]
    assert (card["value"], card["movement"]["month"], card["movement"]["year"]) == (1, 1, None)
    assert card["chart"].startswith("data:image/svg+xml;base64,")
