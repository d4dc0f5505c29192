"""Shared fixtures: a pod with people in every role, and signed-in clients named by role."""

import importlib

import pytest
from django.apps import apps
from pytest_django.plugin import blocking_manager_key

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


# What data migrations put in every database, which a transactional test's flush removes.
SEEDED_BY_MIGRATIONS = [
    ("feedback.migrations.0002_seed_themes", "seed", "feedback.Theme"),
    ("feedback.migrations.0003_surveys_instruments", "create", "feedback.Instrument"),
    ("dataprotection.migrations.0002_seed_rules", "seed", "dataprotection.RetentionRule"),
]


def _is_transactional(item):
    """Whether the test ran outside a transaction: through the ``transactional_db`` fixture
    (a live server asks for it) or through ``django_db(transaction=True)``."""
    if "transactional_db" in item.fixturenames:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction", marker.args[0] if marker.args else False))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (a live server, a real Celery worker) ends by flushing every
    table, data migrations' rows included; put those back for the tests after it, whatever
    order a worker of pytest-xdist runs them in. This runs after every fixture's teardown, the
    flush included (an autouse fixture of ours would be torn down before the flush of a test
    marked ``django_db(transaction=True)``, whose database pytest-django's own autouse fixture
    sets up first)."""
    result = yield
    # After the last test (nextitem None) the session's fixtures are torn down too, the test
    # database with them: there is nothing to put back, nor anywhere to put it.
    if nextitem is not None and _is_transactional(item):
        with item.config.stash[blocking_manager_key].unblock():
            for module, function, model in SEEDED_BY_MIGRATIONS:
                if not apps.get_model(model).objects.exists():
                    getattr(importlib.import_module(module), function)(apps, None)
    return result
