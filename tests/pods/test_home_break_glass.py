"""A pod manager's home page shows the senior leaders who broke glass on the pod's families in
the last 30 days: who, when, why, until when, and a link to the family's access log."""

import datetime

import pytest
from django.utils import timezone

from families import services
from families.models import FamilyGrant
from pods.models import Worker
from tests.clients import signed_in_client
from tests.factories import make_worker
from tests.families.conftest import REFERRED, front_door, refer  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(front_door, pod, social_worker):  # noqa: F811
    family = refer()
    services.family_allocate(family=family, team=pod, worker=social_worker, start=REFERRED)
    return family


def _break_glass(family, senior_leader, reason="Complaint from the MP"):
    return services.break_glass(family=family, user=senior_leader.user, reason=reason)


def _rows(response):
    return response.context["break_glass"]


class TestBreakGlassOnThePodManagersHome:
    def test_the_pod_manager_sees_who_opened_the_record_why_and_until_when(
        self, family, senior_leader, pod_manager
    ):
        grant = _break_glass(family, senior_leader)
        response = signed_in_client(pod_manager.user).get("/")
        assert _rows(response) == [grant]
        content = response.content.decode()
        assert senior_leader.user.get_full_name() in content
        assert "Complaint from the MP" in content
        assert f"{timezone.localtime(grant.expires):%-d %b %Y %H:%M}" in content
        assert f'href="/families/{family.pk}/access-log/"' in content

    def test_a_break_glass_over_30_days_ago_is_no_longer_shown(
        self, family, senior_leader, pod_manager
    ):
        grant = _break_glass(family, senior_leader)
        long_ago = timezone.now() - datetime.timedelta(days=31)
        FamilyGrant.objects.filter(pk=grant.pk).update(
            starts=long_ago, expires=long_ago + datetime.timedelta(hours=4)
        )
        assert _rows(signed_in_client(pod_manager.user).get("/")) == []

    def test_another_pods_manager_does_not_see_it(self, family, senior_leader, other_pod):
        other_manager = make_worker(role=Worker.Role.POD_MANAGER, team=other_pod)
        _break_glass(family, senior_leader)
        response = signed_in_client(other_manager.user).get("/")
        assert _rows(response) == []
        assert "Okafor" not in response.content.decode()

    def test_other_grants_are_not_break_glass(self, family, outsider, pod_manager):
        services.grant_give(
            family=family,
            user=outsider.user,
            kind=FamilyGrant.Kind.COVER,
            reason="Covering leave",
            expires=timezone.now() + datetime.timedelta(days=3),
            granted_by=pod_manager.user,
        )
        assert _rows(signed_in_client(pod_manager.user).get("/")) == []
