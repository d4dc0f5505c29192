"""The statutory returns' screens: the performance officer builds a year's returns (a real
Celery worker builds and validates them), reads the findings by child reference and downloads
the zip; each pod's data-quality page lists its own families' findings with a link to the form
that puts the fact right; the list shrinks when the record is corrected and the return rebuilt.
On the small authority of conftest.py, whose 2025/26 returns have no errors, with planted ones."""

import datetime
import io
import time
import zipfile

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from accounts.models import SecurityEvent
from config.celery import app
from families.models import ChildStatus
from pods.models import Team, Worker
from reporting.models import ReturnIssue, StatutoryReturn
from reporting.returns import services
from reporting.returns.period import ReturnYearNotEnded
from tests.clients import client_for
from tests.factories import make_team, make_worker

YEAR = 2026
D = datetime.date


@pytest.fixture
def performance_officer(db):
    performance = make_team(name="Performance and Intelligence", kind=Team.Kind.LEADERSHIP)
    return make_worker(role=Worker.Role.PERFORMANCE_OFFICER, team=performance, username="po")


def plant_errors(authority):
    """Ben's CP plan moved to before his referral (as an imported record might hold it; the
    service refuses it): CIN rule 1105. Finn's period of care with no legal status: Pods' own
    check, as the DfE's rules let a blank through. Returns how to put both right."""
    plan = ChildStatus.objects.get(person=authority.ben, kind=ChildStatus.Kind.CP_PLAN)
    started, plan.start = plan.start, D(2025, 5, 20)
    plan.save()
    care = ChildStatus.objects.filter(person=authority.finn, kind=ChildStatus.Kind.LOOKED_AFTER)
    legal_status = care.get().legal_status
    care.update(legal_status="")

    def put_right():
        plan.start = started
        plan.save()
        care.update(legal_status=legal_status)

    return put_right


def built(year=YEAR, by=None) -> StatutoryReturn:
    """Queue (the task is not sent: these tests run in a transaction) and build here."""
    statutory_return = services.return_request(year=year, by=by)
    services.return_build(statutory_return.pk)
    statutory_return.refresh_from_db()
    return statutory_return


def test_only_the_performance_officer_sees_the_returns(
    performance_officer, pod_manager_client, senior_leader_client, social_worker_client
):
    for client in (pod_manager_client, senior_leader_client, social_worker_client):
        assert client.get(reverse("returns_index")).status_code == 404
        assert client.get(reverse("return_detail", args=[YEAR])).status_code == 404
    page = client_for(performance_officer).get(reverse("returns_index"))
    assert page.status_code == 200
    assert "2025/26 (1 April 2025 to 31 March 2026)" in page.content.decode()


def test_a_year_that_has_not_ended_is_refused_and_nothing_is_kept(performance_officer):
    with pytest.raises(ReturnYearNotEnded, match="ends on 31 March 2027"):
        services.return_request(year=2027, by=performance_officer.user)
    page = client_for(performance_officer).post(reverse("returns_index"), {"year": "2027"})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert not StatutoryReturn.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_and_checks_them_and_the_officer_downloads_them(
    small_authority, performance_officer
):
    plant_errors(small_authority)
    client = client_for(performance_officer)
    response = client.post(reverse("returns_index"), {"year": str(YEAR)})
    assert response.status_code == 302
    statutory_return = StatutoryReturn.objects.get(year=YEAR)
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        deadline = time.monotonic() + 120
        while statutory_return.status != StatutoryReturn.Status.READY:
            assert statutory_return.status != StatutoryReturn.Status.FAILED, statutory_return.error
            assert time.monotonic() < deadline, "the return was not built in two minutes"
            time.sleep(0.3)
            statutory_return.refresh_from_db()
    errors = {(i.rule, i.child_ref) for i in statutory_return.issues.filter(kind="error")}
    assert ("1105", small_authority.ben.child_id) in errors
    assert ("PODS-LS", small_authority.finn.child_id) in errors
    assert {rule for rule, _child in errors} == {"1105", "2885", "PODS-LS"}  # 2885: not on its ICPC

    page = client.get(reverse("return_detail", args=[YEAR])).content.decode()
    assert small_authority.ben.child_id in page
    assert small_authority.families["Brook"].reference in page
    assert "Ben" not in page and "Brook family" not in page  # references only, never names

    download = client.get(reverse("return_download", args=[YEAR]))
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert f"CIN_census_{YEAR}.xml" in names
    assert len([n for n in names if n.startswith(f"SSDA903_{YEAR}/")]) == 11
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.RETURN_DOWNLOADED, user=performance_officer.user
    ).exists()


def test_the_pod_sees_its_findings_follows_the_link_and_the_rebuilt_list_shrinks(
    small_authority, performance_officer
):
    put_right = plant_errors(small_authority)
    built(by=performance_officer.user)
    manager = client_for(small_authority.recorder.manager)
    page = manager.get(reverse("data_quality")).content.decode()
    assert "Ben Brook" in page and "Finn Fox" in page
    finn_issue = ReturnIssue.objects.get(rule="PODS-LS")
    care = reverse("family_care", args=[finn_issue.family_id, small_authority.finn.pk])
    assert care in page
    assert manager.get(care).status_code == 200

    put_right()
    assert built(by=performance_officer.user).errors == 0
    page = manager.get(reverse("data_quality")).content.decode()
    assert "No errors for your pod" in page


def test_another_pod_sees_nothing_of_these_families(small_authority, performance_officer):
    plant_errors(small_authority)
    built(by=performance_officer.user)
    elsewhere = make_team(name="Ash Pod")
    other_manager = make_worker(role=Worker.Role.POD_MANAGER, team=elsewhere)
    page = client_for(other_manager).get(reverse("data_quality")).content.decode()
    assert "Ben" not in page and "Finn" not in page and "Brook" not in page
    assert "No errors for your pod" in page


def test_the_performance_officer_cannot_open_a_familys_record(small_authority, performance_officer):
    family = small_authority.families["Ashby"]
    response = client_for(performance_officer).get(reverse("family_detail", args=[family.pk]))
    assert response.status_code == 404
