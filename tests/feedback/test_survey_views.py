"""The surveys screens: who may open each (an outsider gets a 404 on every wave page, as for a
wave that does not exist), starting a wave, asking people (links made and emailed, only the
token's hash kept), and a telephone interview entered through the family's door."""

import datetime
import re
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from config.celery import app
from families import services as family_services
from families.models import ChildStatus
from feedback.models import Response, SurveyLink, Wave
from feedback.surveys import links
from tests.clients import client_for
from tests.feedback.conftest import make_wave, scale_answers

pytestmark = pytest.mark.django_db


def wave_pages(wave, answer_id="00000000-0000-4000-8000-000000000000"):
    base = f"/feedback/surveys/waves/{wave.pk}/"
    return [
        base,
        f"{base}results.csv",
        f"{base}results.xlsx",
        f"{base}ask/",
        f"{base}comments/",
        f"/feedback/surveys/comments/{answer_id}/moderate/",
    ]


def test_an_outsider_gets_404_on_every_wave_page(parents_wave, outsider_client):
    for path in wave_pages(parents_wave):
        for method in ("get", "post") if "moderate" not in path else ("post",):
            response = getattr(outsider_client, method)(path)
            assert response.status_code == 404, f"{method} {path}: {response.status_code}"


def test_an_outsider_sees_no_waves_and_may_not_start_one(parents_wave, outsider_client):
    page = outsider_client.get("/feedback/surveys/")
    assert page.status_code == 200 and b"Autumn" not in page.content
    assert outsider_client.get("/feedback/surveys/waves/new/").status_code == 403


def test_another_pods_manager_gets_404_on_a_wave_for_one_pod(staff_wave, other_pod):
    from pods.models import Worker
    from tests.factories import make_worker

    manager = make_worker(role=Worker.Role.POD_MANAGER, team=other_pod)
    assert client_for(manager).get(f"/feedback/surveys/waves/{staff_wave.pk}/").status_code == 404


def test_the_owner_opens_every_wave_page(parents_wave, senior_leader_client):
    for path in wave_pages(parents_wave)[:5]:
        assert senior_leader_client.get(path).status_code == 200, path
    assert (
        senior_leader_client.get(
            f"/feedback/surveys/waves/{parents_wave.pk}/results.pdf"
        ).status_code
        == 404
    )


def test_a_wave_is_started_and_a_closing_date_before_opening_is_refused(
    instruments, senior_leader_client
):
    data = {
        "instrument": instruments["foster-carers"].pk,
        "name": "Winter",
        "opens_day": "10", "opens_month": "1", "opens_year": "2027",
        "closes_day": "9", "closes_month": "1", "closes_year": "2027",
        "who_is_asked": "Foster carers",
    }  # fmt: skip
    refused = senior_leader_client.post("/feedback/surveys/waves/new/", data)
    assert refused.status_code == 400
    assert b"The closing date must be the same as or after the opening date" in refused.content
    assert not Wave.objects.exists()
    data["closes_day"] = "31"
    created = senior_leader_client.post("/feedback/surveys/waves/new/", data)
    wave = Wave.objects.get()
    assert created.url == f"/feedback/surveys/waves/{wave.pk}/ask/"
    assert wave.closes == datetime.date(2027, 1, 31)


@pytest.mark.django_db(transaction=True)
def test_asking_the_staff_emails_each_a_link_through_the_worker_that_works_once(
    instruments, senior_leader, social_worker, pod_manager, pod
):
    staff_wave = make_wave(instruments["your-voice"], senior_leader, team=pod)
    for worker in (social_worker, pod_manager):
        worker.user.email = f"{worker.user.username}@brightwater.example"
        worker.user.save()
    client = client_for(senior_leader)
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        response = client.post(f"/feedback/surveys/waves/{staff_wave.pk}/ask/")
        deadline = time.monotonic() + 30
        while len(mail.outbox) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
    assert response.status_code == 302
    assert {m.to[0] for m in mail.outbox} == {"sw@brightwater.example", "pm@brightwater.example"}
    message = mail.outbox[0]
    token = re.search(r"/survey/([\w-]+)/", message.body).group(1)
    assert SurveyLink.objects.filter(token_hash=links.token_hash(token)).exists()
    assert not SurveyLink.objects.filter(token_hash=token).exists()  # only the hash is kept
    assert "Your Voice" in message.subject
    answer = client.post(f"/survey/{token}/", scale_answers(staff_wave.instrument))
    assert answer.status_code == 302
    # Asking again asks nobody twice.
    again = client.post(f"/feedback/surveys/waves/{staff_wave.pk}/ask/", follow=True)
    assert b"Everyone there has been asked already" in again.content
    assert SurveyLink.objects.count() == 2


def test_parents_are_asked_by_family_reference_and_address(
    parents_wave, family, child, senior_leader, pod_manager, django_capture_on_commit_callbacks
):
    parents_wave.owner = pod_manager.user
    parents_wave.save()
    family_services.child_status_start(
        family=family, person=child, kind=ChildStatus.Kind.CIN_PLAN, start=datetime.date(2025, 4, 1)
    )
    client = client_for(senior_leader)  # runs surveys, but cannot see the family
    path = f"/feedback/surveys/waves/{parents_wave.pk}/ask/"
    refused = client.post(
        path, {"addresses": f"{family.reference}, grace@example.com\nnot-an-address"}
    )
    assert refused.status_code == 400
    assert b"Line 1: start with the reference of a family you can see" in refused.content
    assert b"Line 2 is not an email address" in refused.content
    assert not SurveyLink.objects.exists()
    # The pod manager sees the family: the link is made for it, and emailed once committed.
    with django_capture_on_commit_callbacks() as callbacks:
        asked = client_for(pod_manager).post(
            path, {"addresses": f"{family.reference}, grace@example.com"}
        )
    assert asked.status_code == 302 and len(callbacks) == 1
    link = SurveyLink.objects.get()
    assert link.family == family and link.email == "grace@example.com" and link.sent is None


def test_an_interviewer_enters_a_telephone_interview_through_the_familys_door(
    parents_wave, family, pod_manager_client, pod_manager, outsider_client
):
    path = f"/families/{family.pk}/surveys/{parents_wave.pk}/interview/"
    assert path in pod_manager_client.get(f"/families/{family.pk}/").content.decode(), "linked"
    assert outsider_client.get(path).status_code == 404
    assert outsider_client.post(path, scale_answers(parents_wave.instrument)).status_code == 404
    assert pod_manager_client.get(path).status_code == 200
    bad = pod_manager_client.post(path, scale_answers(parents_wave.instrument, explains_role=0))
    assert bad.status_code == 400 and not Response.objects.exists()
    saved = pod_manager_client.post(path, scale_answers(parents_wave.instrument))
    assert saved.status_code == 302
    response = Response.objects.get()
    assert response.mode == Response.Mode.TELEPHONE and response.family == family
    assert response.interviewer == pod_manager.user and response.given_on == timezone.localdate()


def test_there_is_no_interview_for_an_anonymous_survey(staff_wave, family, pod_manager_client):
    path = f"/families/{family.pk}/surveys/{staff_wave.pk}/interview/"
    assert path not in pod_manager_client.get(f"/families/{family.pk}/").content.decode()
    assert pod_manager_client.get(path).status_code == 404
    assert pod_manager_client.post(path, scale_answers(staff_wave.instrument)).status_code == 404
    assert not Response.objects.exists()


def test_there_is_no_interview_after_the_wave_has_closed(
    instruments, senior_leader, family, pod_manager_client
):
    closed = make_wave(
        instruments["parents-telephone-interview"],
        senior_leader,
        opens=timezone.localdate() - datetime.timedelta(days=30),
        closes=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert (
        pod_manager_client.get(f"/families/{family.pk}/surveys/{closed.pk}/interview/").status_code
        == 404
    )
