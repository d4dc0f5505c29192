"""The demo authority's supervision: a year of weekly group supervision per pod run by its
manager, scores that move, decisions owned in the pod and written to the chronology, some
actions still open and overdue, 1:1s by the right supervisor (some late), RPG attendance that
is not perfect, and requests waiting for this week's sessions.

Built once for the module at a small scale, in a transaction rolled back afterwards."""

import datetime
import random
from collections import defaultdict

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings

from families import demo as families_demo
from onestory import demo as onestory_demo
from onestory.models import Entry
from pods import demo as pods_demo
from pods.models import Team, TeamMembership, Worker
from supervision import demo as supervision_demo
from supervision import permissions, selectors
from supervision.models import (
    CaseDiscussion,
    Decision,
    DiscussionRequest,
    GroupSupervision,
    OneToOneSupervision,
    RPGSession,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)
SCALE = 0.1


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker, tmp_path_factory):
    fast = override_settings(
        PODS_GROUND_TRUTH_PATH=tmp_path_factory.mktemp("demo") / "ground_truth.json",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        rng = random.Random(7)
        pods_demo.build(rng=rng, today=TODAY, scale=SCALE)
        families_demo.build(rng=rng, today=TODAY, scale=SCALE)
        onestory_demo.build(rng=rng, today=TODAY, scale=SCALE)
        yield supervision_demo.build(rng=rng, today=TODAY, scale=SCALE)
        transaction.set_rollback(True)


def _member_on(worker_id, team_id, day):
    return TeamMembership.objects.current_on(day).filter(worker_id=worker_id, team_id=team_id)


def test_a_year_of_weekly_sessions_in_every_pod_run_by_its_manager(counts):
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    assert not GroupSupervision.objects.filter(date__gte=monday).exists(), "this week is open"
    assert not GroupSupervision.objects.filter(status="open").exists()
    for pod in Team.objects.filter(kind=Team.Kind.POD):
        held = GroupSupervision.objects.filter(pod=pod).count()
        assert 40 <= held <= 52, (pod.name, held)
    for session in GroupSupervision.objects.select_related("facilitator")[:200]:
        assert session.facilitator.role == Worker.Role.POD_MANAGER
        assert _member_on(session.facilitator_id, session.pod_id, session.date).exists()
        assert session.date < monday


def test_scores_stay_0_to_10_and_move(counts):
    assert not CaseDiscussion.objects.filter(Q(scaling_score__lt=0) | Q(scaling_score__gt=10))
    trends = defaultdict(list)
    for family_id, score in CaseDiscussion.objects.order_by("discussed").values_list(
        "family_id", "scaling_score"
    ):
        trends[family_id].append(score)
    long = [scores for scores in trends.values() if len(scores) >= 4]
    assert long
    assert sum(len(set(scores)) > 1 for scores in long) / len(long) > 0.8


def test_each_discussion_wrote_its_decisions_to_the_familys_chronology(counts):
    sample = CaseDiscussion.objects.select_related(
        "entry", "group_session__facilitator"
    ).prefetch_related("decisions__owner__user")[:300]
    for discussion in sample:
        entry = discussion.entry
        assert entry.family_id == discussion.family_id
        assert entry.kind == Entry.Kind.SUPERVISION_DECISION and entry.is_final
        assert entry.author_id == discussion.group_session.facilitator.user_id
        assert entry.occurred.date() == discussion.group_session.date
        for decision in discussion.decisions.all():
            assert decision.text in entry.next_steps
            assert decision.owner.name in entry.next_steps


def test_decision_owners_are_in_the_pod_and_some_actions_are_overdue(counts):
    for decision in Decision.objects.select_related("discussion__group_session")[:500]:
        session = decision.discussion.group_session
        assert _member_on(decision.owner_id, session.pod_id, session.date).exists()
    total = Decision.objects.count()
    done = Decision.objects.filter(done__isnull=False).count()
    overdue = Decision.objects.filter(done__isnull=True, due__lt=TODAY).count()
    assert 0.7 < done / total < 0.97
    assert overdue > 0


def test_one_to_ones_are_held_by_the_supervisor_of_the_day_and_some_are_late(counts):
    sample = OneToOneSupervision.objects.select_related("supervisor", "supervisee")[:300]
    for supervision in sample:
        supervisors = permissions.supervisors_of(supervision.supervisee, supervision.date)
        if supervision.supervisee.role != Worker.Role.POD_MANAGER:
            assert supervisors.filter(pk=supervision.supervisor_id).exists()
    managers = Worker.objects.filter(role=Worker.Role.POD_MANAGER, leave_date__isnull=True)
    rows = [row for m in managers for row in selectors.one_to_ones_due(m, TODAY)]
    late = sum(row.is_overdue(TODAY) for row in rows)
    assert rows and 0 < late < len(rows) / 2


def test_rpg_attendance_is_real_but_not_perfect(counts):
    sessions = RPGSession.objects.annotate(came=Count("attendees"))
    assert sessions.exists()
    rates = []
    for session in sessions.prefetch_related("group__members")[:100]:
        size = session.group.members.count() + 1
        rates.append(session.came / size)
        assert session.minutes in (60, 75, 90)
    assert 0.5 < sum(rates) / len(rates) < 0.95


def test_workers_have_asked_to_bring_families_this_week(counts):
    assert DiscussionRequest.objects.filter(answered_by__isnull=True).exists()
    assert counts["group supervision sessions"] == GroupSupervision.objects.count()
