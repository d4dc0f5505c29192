"""The demo's complaints and compliments: stage 1 complaints falling by about half over the
three years and compliments rising several-fold, about real demo families, workers and pods;
each stage's deadline the one its clock gives; most stage 1 responses in time; some stage 2s
and actions with owners; open complaints in Ash Pod for the pod manager; the same seed gives
the same rows. Built once for the module on a small authority."""

import datetime
import random
from collections import Counter

import pytest
from django.db import transaction
from django.test import override_settings

from families import demo as families_demo
from feedback.complaints import clocks, selectors
from feedback.demo import complaints as complaints_demo
from feedback.models import Complaint, ComplaintAction, ComplaintStage, Compliment
from pods import demo as pods_demo
from pods.models import Team, Worker

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)
START = datetime.date(2023, 11, 1)
SEED = 7


def _build() -> dict:
    rng = random.Random(SEED)
    pods_demo.build(rng=rng, today=TODAY, scale=0.1)
    families_demo.build(rng=rng, today=TODAY, scale=0.1)
    return complaints_demo.build(rng=rng, today=TODAY, scale=1.0)


def _fingerprint() -> list:
    return sorted(
        ComplaintStage.objects.values_list(
            "complaint__reference", "complaint__family__display_name", "number", "due",
            "responded", "outcome",
        )
    )  # fmt: skip


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker, tmp_path_factory):
    fast = override_settings(
        PODS_GROUND_TRUTH_PATH=tmp_path_factory.mktemp("demo") / "ground_truth.json",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), fast:
        with transaction.atomic():
            _build()
            first = _fingerprint()
            transaction.set_rollback(True)
        with transaction.atomic():
            counts = _build()
            yield counts, first
            transaction.set_rollback(True)


def _per_year(model) -> list[int]:
    years = Counter()
    for received in model.objects.values_list("received", flat=True):
        years[min(2, (received - START).days // 365)] += 1
    return [years[0], years[1], years[2]]


def test_stage_1_complaints_fall_by_about_half_and_compliments_rise_several_fold(authority):
    first, second, third = _per_year(Complaint)
    assert 110 <= first <= 135 and 50 <= third <= 70 and first > second > third
    kind_first, _, kind_last = _per_year(Compliment)
    assert kind_first <= 20 and kind_last >= 90


def test_every_stage_is_due_when_its_clock_says_and_most_stage_1s_are_in_time(authority):
    stages = list(ComplaintStage.objects.all())
    assert all(stage.due == clocks.stage_due(stage.number, stage.opened) for stage in stages)
    answered = [s for s in stages if s.number == 1 and s.responded]
    in_time = [s for s in answered if s.responded <= s.deadline]
    assert 0.75 <= len(in_time) / len(answered) < 1
    assert any(s.extended_to for s in answered)
    assert ComplaintStage.objects.filter(number=2).exists()
    assert ComplaintAction.objects.exclude(owner=None).exists()


def test_complaints_are_about_demo_families_and_their_pods(authority):
    about_families = Complaint.objects.exclude(family=None)
    assert about_families.count() > 0.7 * Complaint.objects.count()
    assert not Complaint.objects.filter(family=None, worker=None, team=None).exists()
    child = Complaint.objects.filter(from_kind="child")
    assert not child.filter(advocate_offered=None).exists()


def test_the_demo_pod_manager_sees_open_complaints_of_ash_pod(authority):
    manager = Worker.objects.get(user__username="pod-manager")
    visible = selectors.complaints_visible_to(manager.user, today=TODAY)
    ash = Team.objects.get(name="Ash Pod")
    assert visible.open().filter(team=ash).count() >= 2


def test_the_demo_social_worker_has_a_compliment_not_yet_seen(authority):
    assert Compliment.objects.filter(
        worker__user__username="social-worker", seen_by_worker=None
    ).exists()


def test_the_same_seed_gives_the_same_complaints(authority):
    _, first = authority
    assert _fingerprint() == first
