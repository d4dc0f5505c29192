"""Every supervision page that shows a family's data writes the access log (DESIGN §5): the
agenda, a discussion, presenting mode, a 1:1 and a family discussed in it; one line for each
family the page shows, with the path asked for."""

import datetime

import pytest
from django.utils import timezone

from families import services as family_services
from families.models import AccessLogEntry
from supervision import services
from tests.clients import client_for
from tests.families.conftest import REFERRED, refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_family(family, pod, social_worker):
    other = refer(name="The Nowak family", child=("Lena", "Nowak", datetime.date(2017, 3, 4)))
    family_services.family_allocate(family=other, team=pod, worker=social_worker, start=REFERRED)
    return other


def _logged(user) -> list[tuple[int, str]]:
    return sorted(
        AccessLogEntry.objects.filter(user=user).values_list("family_id", "path"),
    )


def test_the_agenda_logs_each_family_on_it(pod, pod_manager, second_family, family, today):
    session = services.group_session_open(pod=pod, day=today, by=pod_manager)
    path = f"/supervision/group/{session.pk}/"
    assert client_for(pod_manager).get(path).status_code == 200
    assert _logged(pod_manager.user) == sorted([(family.pk, path), (second_family.pk, path)])


def test_a_discussion_logs_its_family(social_worker, session, family):
    item = session.discussions.get()
    path = f"/supervision/group/{session.pk}/discussions/{item.pk}/"
    assert client_for(social_worker).get(path).status_code == 200
    assert _logged(social_worker.user) == [(family.pk, path)]


def test_presenting_mode_logs_the_family_on_the_screen(pod_manager, session, family):
    path = f"/supervision/group/{session.pk}/present/?n=1"
    assert client_for(pod_manager).get(path).status_code == 200
    assert _logged(pod_manager.user) == [(family.pk, path)]


@pytest.fixture
def one_to_one(pod_manager, social_worker, family, second_family):
    return services.one_to_one_record(
        supervisor=pod_manager,
        supervisee=social_worker,
        date=timezone.localdate(),
        families=[family, second_family],
    )


def test_a_1_to_1_logs_each_family_discussed_in_it(pod_manager, one_to_one, family, second_family):
    path = f"/supervision/one-to-one/{one_to_one.pk}/"
    assert client_for(pod_manager).get(path).status_code == 200
    assert _logged(pod_manager.user) == sorted([(family.pk, path), (second_family.pk, path)])


def test_a_family_discussed_in_a_1_to_1_is_logged(pod_manager, one_to_one, family):
    item = one_to_one.discussions.get(family=family)
    path = f"/supervision/one-to-one/{one_to_one.pk}/discussions/{item.pk}/"
    assert client_for(pod_manager).get(path).status_code == 200
    assert _logged(pod_manager.user) == [(family.pk, path)]
