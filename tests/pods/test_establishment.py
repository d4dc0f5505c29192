import datetime

import pytest
from django.utils import timezone

from pods.establishment import deviations, establishment_lines
from pods.models import Worker
from pods.selectors import team_with_establishment
from tests.factories import make_membership, make_pod_to_model, make_team, make_worker

pytestmark = pytest.mark.django_db


def _deviations(team, as_of=None):
    return deviations(team_with_establishment(team.pk, as_of or timezone.localdate()))


def test_a_pod_staffed_as_the_model_has_no_deviations():
    assert _deviations(make_pod_to_model()) == []


def test_every_line_of_the_model_is_reported_with_its_actual_staffing():
    team = team_with_establishment(make_pod_to_model().pk, timezone.localdate())
    lines = {line.rule.key: line.actual_text for line in establishment_lines(team)}
    assert lines == {
        "pod_manager": "1 FTE",
        "senior_social_worker": "2 FTE",
        "social_worker": "5 FTE",
        "student_social_worker": "1 person",
        "business_support_officer": "1 person",
    }


def test_it_shows_a_part_time_pod_manager_and_a_missing_student():
    team = make_team()
    make_worker(role=Worker.Role.POD_MANAGER, team=team, fte="0.8")
    make_worker(role=Worker.Role.SOCIAL_WORKER, team=team)
    make_worker(role=Worker.Role.BUSINESS_SUPPORT_OFFICER, team=team)
    assert _deviations(team) == [
        "Pod manager: 0.8 FTE, 0.2 FTE below the model",
        "Social workers in training: 0 people, 1 below the model",
    ]


def test_it_shows_social_workers_above_the_model_without_blocking_them():
    team = make_pod_to_model()
    extra = make_worker(role=Worker.Role.SOCIAL_WORKER, team=team, fte="0.5")
    assert extra.memberships.exists()
    assert _deviations(team) == ["Social workers: 5.5 FTE, 0.5 FTE above the model"]


def test_it_counts_only_people_in_post_on_the_day():
    team = make_pod_to_model()
    today = timezone.localdate()
    leaver = make_worker(
        role=Worker.Role.SOCIAL_WORKER,
        start_date=datetime.date(2021, 1, 1),
        leave_date=today - datetime.timedelta(days=1),
    )
    make_membership(worker=leaver, team=team, start=datetime.date(2021, 1, 1))
    joiner = make_worker(
        role=Worker.Role.SOCIAL_WORKER, start_date=today + datetime.timedelta(days=7)
    )
    make_membership(worker=joiner, team=team, start=today + datetime.timedelta(days=7))
    assert _deviations(team, today) == []
    next_month = today + datetime.timedelta(days=30)
    assert _deviations(team, next_month) == ["Social workers: 6 FTE, 1 FTE above the model"]
