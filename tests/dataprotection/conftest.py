"""Data protection fixtures: two data protection officers, and a family whose record passed
its retention date years ago (referred in 2015, closed with no further action in 2016, so
early help's six years ran out in 2022)."""

import datetime

import pytest
from django.utils import timezone

from families import services
from families.models import Family
from pods.models import Team, Worker
from tests.factories import make_team, make_worker
from tests.families.conftest import refer

REVIEW_DAY = datetime.date(2026, 12, 1)
# Records old enough to have passed their dates need teams and workers from before them.
SINCE = datetime.date(2010, 1, 4)


@pytest.fixture
def front_door(db):
    return make_team(name="Front Door for Families", kind=Team.Kind.FRONT_DOOR, active_from=SINCE)


@pytest.fixture
def pod(db):
    return make_team(name="Oak Pod", active_from=SINCE)


@pytest.fixture
def social_worker(pod):
    return make_worker(role=Worker.Role.SOCIAL_WORKER, team=pod, username="sw", start_date=SINCE)


@pytest.fixture
def leadership(db):
    return make_team(name="Leadership Team", kind=Team.Kind.LEADERSHIP)


@pytest.fixture
def dpo(leadership):
    return make_worker(
        role=Worker.Role.DATA_PROTECTION_OFFICER, team=leadership, username="dpo"
    ).user


@pytest.fixture
def second_dpo(leadership):
    return make_worker(
        role=Worker.Role.DATA_PROTECTION_OFFICER, team=leadership, username="dpo2"
    ).user


def closed_family(*, name, received, closed, reason="no_further_action", born=None) -> Family:
    born = born or datetime.date(2012, 4, 2)
    family = refer(name=name, child=("Ada", name.split()[1], born), received=received)
    services.episode_close(family=family, end=closed, reason=reason)
    return family


@pytest.fixture
def old_family(front_door):
    return closed_family(
        name="The Okafor family",
        received=datetime.date(2015, 3, 3),
        closed=datetime.date(2016, 1, 11),
    )


@pytest.fixture
def today():
    return timezone.localdate()
