"""Scheduling fixtures shared by every module here: the Oak Pod family of tests/families
(referred and allocated to the social worker), a reviewing officer, and a time to book."""

import datetime

import pytest
from django.utils import timezone

from pods.models import Team, Worker
from tests.factories import make_team, make_worker
from tests.families.conftest import child, family, front_door  # noqa: F401


@pytest.fixture
def reviewing_officer(db):
    safeguarding = make_team(name="Safeguarding Unit", kind=Team.Kind.SPECIALIST)
    return make_worker(role=Worker.Role.REVIEWING_OFFICER, team=safeguarding, username="iro")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A Europe/London time on ``day``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def next_week():
    """Monday of next week: far enough ahead that nothing in it has started."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())
