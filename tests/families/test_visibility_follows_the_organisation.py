"""Visibility follows the organisation at the moment of the request (DESIGN §5): seeing a
family through its pod needs a membership of that pod current today and a worker who has not
left, whatever the team groups say and whenever the nightly sync last ran."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from families.models import Family
from pods import services
from pods.models import TeamMembership, Worker
from tests.clients import client_for, signed_in_client
from tests.factories import make_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def yesterday(today):
    return today - datetime.timedelta(days=1)


def sees(user, family) -> bool:
    return Family.objects.visible_to(user).filter(pk=family.pk).exists()


def _in_group(worker, team) -> bool:
    return worker.user.groups.filter(pk=team.group_id).exists()


def _family_page(worker, family):
    return client_for(worker).get(f"/families/{family.pk}/")


class TestAMembershipThatEndedYesterday:
    @pytest.fixture
    def ended(self, family, pod, social_worker, yesterday):
        """The social worker's Oak Pod membership ended yesterday; the nightly sync has not
        run since, so they are still in the pod's group."""
        membership = TeamMembership.objects.get(worker=social_worker, team=pod)
        services.membership_end(membership=membership, end=yesterday, today=yesterday)
        assert _in_group(social_worker, pod), "the test needs the stale group"
        return social_worker

    def test_the_family_page_is_404_today(self, ended, family):
        assert _family_page(ended, family).status_code == 404

    def test_the_family_is_missing_from_their_lists(self, ended, family):
        assert not sees(ended.user, family)
        response = client_for(ended).get("/families/")
        assert response.status_code == 200
        assert family.display_name not in response.content.decode()

    def test_on_its_last_day_the_membership_still_counts(self, family, pod, social_worker, today):
        membership = TeamMembership.objects.get(worker=social_worker, team=pod)
        services.membership_end(membership=membership, end=today, today=today)
        assert sees(social_worker.user, family)


class TestALeaverWhoseLastDayWasYesterday:
    @pytest.fixture
    def leaver(self, family, pod, social_worker, yesterday):
        """Their leave date, set weeks ago, was yesterday; their membership runs on, and the
        nightly sync has neither taken their group nor switched their sign-in off."""
        Worker.objects.filter(pk=social_worker.pk).update(leave_date=yesterday)
        social_worker.refresh_from_db()
        assert _in_group(social_worker, pod) and social_worker.user.is_active
        return social_worker

    def test_the_family_page_is_404_today(self, leaver, family):
        assert _family_page(leaver, family).status_code == 404

    def test_the_family_is_missing_from_their_lists(self, leaver, family):
        assert not sees(leaver.user, family)
        assert family.display_name not in client_for(leaver).get("/families/").content.decode()

    def test_on_their_last_day_they_still_see_it(self, family, social_worker, today):
        Worker.objects.filter(pk=social_worker.pk).update(leave_date=today)
        assert sees(social_worker.user, family)


class TestACurrentMember:
    def test_still_sees_the_family(self, family, social_worker, pod_manager):
        assert _family_page(social_worker, family).status_code == 200
        assert _family_page(pod_manager, family).status_code == 200

    def test_who_joined_today_before_the_sync_ran_sees_it(self, family, pod, today, yesterday):
        """The membership came due overnight; the group is the sync's to add, but the
        organisation already says they are in the pod."""
        newcomer = make_worker()
        services.membership_start(worker=newcomer, team=pod, start=today, today=yesterday)
        assert not _in_group(newcomer, pod)
        assert sees(newcomer.user, family)


class TestTheTeamGroupAloneGivesNothing:
    def test_an_account_with_no_worker_put_in_the_pods_group_sees_nothing(self, family, pod):
        account = get_user_model().objects.create_user("no.worker")
        account.groups.add(pod.group)
        assert not sees(account, family)
        assert signed_in_client(account).get(f"/families/{family.pk}/").status_code == 404

    def test_a_worker_in_the_pods_group_without_a_membership_sees_nothing(self, family, pod):
        stranger = make_worker()
        stranger.user.groups.add(pod.group)
        assert not sees(stranger.user, family)

    def test_a_membership_of_another_team_does_not_open_this_pods_families(
        self, family, outsider, pod
    ):
        outsider.user.groups.add(pod.group)
        assert not sees(outsider.user, family)


def test_visible_to_is_still_one_query(family, social_worker, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert list(Family.objects.visible_to(social_worker.user)) == [family]
