"""Shared fixtures: a pod with people in every role, and signed-in clients named by role."""

import pytest

from pods.models import Team, Worker
from tests.clients import client_for
from tests.factories import make_team, make_worker


@pytest.fixture
def pod(db):
    return make_team(name="Oak Pod")


@pytest.fixture
def other_pod(db):
    return make_team(name="Ash Pod")


@pytest.fixture
def social_worker(pod):
    return make_worker(role=Worker.Role.SOCIAL_WORKER, team=pod, username="sw")


@pytest.fixture
def pod_manager(pod):
    return make_worker(role=Worker.Role.POD_MANAGER, team=pod, username="pm")


@pytest.fixture
def business_support(pod):
    return make_worker(role=Worker.Role.BUSINESS_SUPPORT_OFFICER, team=pod, username="bso")


@pytest.fixture
def senior_leader(db):
    leadership = make_team(name="Leadership Team", kind=Team.Kind.LEADERSHIP)
    return make_worker(role=Worker.Role.SENIOR_LEADER, team=leadership, username="leader")


@pytest.fixture
def outsider(other_pod):
    """A social worker in another pod."""
    return make_worker(role=Worker.Role.SOCIAL_WORKER, team=other_pod, username="outsider")


@pytest.fixture
def social_worker_client(social_worker):
    return client_for(social_worker)


@pytest.fixture
def pod_manager_client(pod_manager):
    return client_for(pod_manager)


@pytest.fixture
def business_support_client(business_support):
    return client_for(business_support)


@pytest.fixture
def senior_leader_client(senior_leader):
    return client_for(senior_leader)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)
