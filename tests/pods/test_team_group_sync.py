"""The nightly sync takes team groups away from anyone without a current membership, including
an account with no Worker at all (say, one an administrator once put in a pod's group)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import SecurityEvent
from pods import services
from tests.factories import make_team, make_worker

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


def test_an_account_with_no_worker_loses_its_team_groups():
    team = make_team(name="Oak Pod")
    account = get_user_model().objects.create_user("no.worker")
    account.groups.add(team.group)
    services.sync_all_team_groups(today=TODAY)
    assert not account.groups.exists()


def test_the_removal_from_an_account_with_no_worker_is_in_the_security_log():
    team = make_team(name="Oak Pod")
    account = get_user_model().objects.create_user("no.worker")
    account.groups.add(team.group)
    services.sync_all_team_groups(today=TODAY)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TEAM_CHANGED)
    assert (event.target_type, event.target_id) == ("auth.user", str(account.pk))
    assert event.detail == "Removed from Team: Oak Pod by the nightly sync: no Worker"


def test_other_groups_of_an_account_with_no_worker_are_left_alone():
    auditors = Group.objects.create(name="Auditors")
    account = get_user_model().objects.create_user("no.worker")
    account.groups.add(auditors)
    services.sync_all_team_groups(today=TODAY)
    assert list(account.groups.all()) == [auditors]


def test_a_worker_put_in_a_team_group_without_a_membership_loses_it():
    team = make_team(name="Oak Pod")
    worker = make_worker()
    worker.user.groups.add(team.group)
    services.sync_all_team_groups(today=TODAY)
    assert not worker.user.groups.exists()


def test_a_current_member_keeps_the_group():
    team = make_team(name="Oak Pod")
    worker = make_worker(team=team)
    services.sync_all_team_groups(today=TODAY)
    assert list(worker.user.groups.all()) == [team.group]
