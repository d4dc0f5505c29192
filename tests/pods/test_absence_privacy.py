"""Why a worker is away is theirs: sickness is health data. Colleagues and service-wide roles
see "Away"; the worker themself and their line manager see the kind (home pages, the pod page,
a team's page)."""

import datetime

import pytest
from django.utils import timezone

from pods import permissions, services
from pods.models import Absence, Worker
from tests.clients import client_for
from tests.factories import make_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def sick_worker(pod, social_worker):
    today = timezone.localdate()
    services.absence_record(
        worker=social_worker,
        start=today - datetime.timedelta(days=1),
        end=today + datetime.timedelta(days=3),
        kind=Absence.Kind.SICKNESS,
    )
    return social_worker


@pytest.fixture
def colleague(pod):
    return make_worker(role=Worker.Role.SENIOR_SOCIAL_WORKER, team=pod, username="colleague")


def _text(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_colleague_sees_a_sick_worker_as_away(sick_worker, colleague, pod):
    client = client_for(colleague)
    for path in ("/", "/my-pod/", f"/teams/{pod.pk}/"):
        text = _text(client, path)
        assert "Sickness" not in text and "sickness" not in text, path
        assert "Away" in text or "away until" in text, path


def test_a_senior_leader_sees_a_sick_worker_as_away(sick_worker, senior_leader, pod):
    text = _text(client_for(senior_leader), f"/teams/{pod.pk}/")
    assert "Sickness" not in text and "sickness" not in text
    assert "Away" in text


def test_the_worker_sees_their_own_sickness(sick_worker, pod):
    client = client_for(sick_worker)
    assert "Sickness" in _text(client, "/my-pod/")
    assert "sickness until" in _text(client, "/")


def test_only_the_worker_and_their_line_manager_may_see_the_kind(
    sick_worker, colleague, pod_manager, senior_leader
):
    assert permissions.can_user_see_absence_kind(sick_worker.user, sick_worker)
    for reader in (colleague, pod_manager, senior_leader):
        assert not permissions.can_user_see_absence_kind(reader.user, sick_worker)


def test_the_line_manager_sees_the_kind(sick_worker, pod_manager, pod):
    Worker.objects.filter(pk=sick_worker.pk).update(line_manager=pod_manager)
    sick_worker.refresh_from_db()
    assert permissions.can_user_see_absence_kind(pod_manager.user, sick_worker)
    assert "Sickness" in _text(client_for(pod_manager), "/my-pod/")
