"""Fixtures for calls taken and cover: the Oak Pod family of tests/families, a duty worker,
and a call waiting. Imported by the calls and cover test modules only."""

import datetime

import pytest
from django.utils import timezone

from pods import services as pod_services
from pods.models import Worker
from scheduling import calls
from tests.factories import make_worker
from tests.families.conftest import child, family, front_door  # noqa: F401


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def duty_worker(pod, today):
    """A second social worker in Oak Pod, on the duty rota today."""
    worker = make_worker(role=Worker.Role.SOCIAL_WORKER, team=pod, username="duty")
    pod_services.duty_assign(team=pod, date=today, worker=worker)
    return worker


@pytest.fixture
def call(request, social_worker, business_support):
    """A call for the family's worker, taken by business support an hour ago."""
    return calls.call_log(
        family=request.getfixturevalue("family"),
        caller="Grace Okafor, Ada's mother",
        received=timezone.now() - datetime.timedelta(hours=1),
        message="Please call about the school meeting",
        urgent=False,
        for_worker=social_worker,
        by=business_support.user,
    )
