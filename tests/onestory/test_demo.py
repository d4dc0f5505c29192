"""The demo authority's One Story records: entries written by the people who held the family,
never in the future, students countersigned; a summary for every open family; visits mostly in
time today; one family with a thousand entries for the benchmark; plans for today's statuses;
assessments whose outcomes match what followed; and a seed gives the same records.

The authority is built once for the module at a small scale (twice, in fact: the first build
is rolled back and kept only as a fingerprint, to check that the same seed builds the same
records)."""

import datetime
import random
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.test import override_settings
from django.utils import timezone

from families import demo as families_demo
from families.models import Allocation, ChildStatus, Episode, Family, FamilyMember, PodAllocation
from onestory import demo as onestory_demo
from onestory.demo.chronology import DRAFT_DAYS
from onestory.demo.recording import LONG_FAMILY_ENTRIES
from onestory.models import Assessment, CaseSummary, ChildSeen, Entry, Plan
from onestory.timeliness import visits_due
from pods import demo as pods_demo
from pods.models import Team, TeamMembership, Worker
from pods.working_days import add_working_days, is_working_day

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)
HISTORY_START = datetime.date(2023, 11, 1)
SCALE = 0.1
SEED = 5


@dataclass
class Authority:
    counts: dict
    first_counts: dict
    fingerprint: list
    first_fingerprint: list


def _build() -> dict:
    rng = random.Random(SEED)
    pods_demo.build(rng=rng, today=TODAY, scale=SCALE)
    families_demo.build(rng=rng, today=TODAY, scale=SCALE)
    return onestory_demo.build(rng=rng, today=TODAY, scale=SCALE)


def _fingerprint() -> list:
    """The first entries and summaries, without primary keys (sequences are never rolled
    back)."""
    return [
        list(
            Entry.objects.order_by(
                "occurred", "kind", "what_happened", "author__username", "childs_voice"
            ).values_list(
                "occurred", "kind", "status", "what_happened", "childs_voice", "author__username"
            )[:50]
        ),
        sorted(CaseSummary.objects.values_list("family__display_name", "version", "plan"))[:50],
    ]


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker, tmp_path_factory):
    fast = override_settings(
        PODS_GROUND_TRUTH_PATH=tmp_path_factory.mktemp("demo") / "ground_truth.json",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), fast:
        with transaction.atomic():
            first_counts = _build()
            first_fingerprint = _fingerprint()
            transaction.set_rollback(True)
        assert not Team.objects.exists()
        with transaction.atomic():  # kept for the module's tests, rolled back after them
            counts = _build()
            yield Authority(counts, first_counts, _fingerprint(), first_fingerprint)
            transaction.set_rollback(True)


def _open_families():
    return Family.objects.filter(
        Exists(Episode.objects.filter(family=OuterRef("pk"), end__isnull=True))
    )


def test_entries_are_never_in_the_future_and_happen_in_working_hours(authority):
    assert not Entry.objects.filter(occurred__gt=timezone.now()).exists()
    assert not Entry.objects.filter(occurred__date__gte=TODAY).exists()
    assert not Entry.objects.filter(created__lt=F("occurred")).exists()
    for occurred in Entry.objects.values_list("occurred", flat=True)[:5000]:
        local = timezone.localtime(occurred)
        assert is_working_day(local.date()), local
        assert datetime.time(9) <= local.time() <= datetime.time(17, 30), local


def test_every_author_held_the_family_or_was_in_its_pod_that_day(authority):
    day = OuterRef("day")
    held = Allocation.objects.filter(
        Q(end__isnull=True) | Q(end__gte=day),
        family=OuterRef("family"),
        worker__user=OuterRef("author"),
        start__lte=day,
    )
    outer_day = OuterRef(OuterRef("day"))  # the pod is looked up inside the membership query
    pod = PodAllocation.objects.filter(
        Q(end__isnull=True) | Q(end__gte=outer_day),
        family=OuterRef(OuterRef("family")),
        start__lte=outer_day,
    ).values("team")
    in_pod = TeamMembership.objects.filter(
        Q(end__isnull=True) | Q(end__gte=day),
        worker__user=OuterRef("author"),
        team__in=pod,
        start__lte=day,
    )
    entries = Entry.objects.annotate(day=TruncDate("occurred"))
    assert entries.exists()
    assert not entries.exclude(Exists(held) | Exists(in_pod)).exists()
    # Nearly all are by the allocated worker: the pod covers now and then.
    assert entries.filter(Exists(held)).count() > 0.85 * entries.count()


def test_students_entries_are_countersigned_by_a_colleague_in_the_pod(authority):
    by_students = Entry.objects.filter(author__worker__role=Worker.Role.STUDENT_SOCIAL_WORKER)
    final = by_students.filter(status=Entry.Status.FINAL)
    assert final.exists()
    assert not final.filter(countersigned__isnull=True).exists()
    assert not final.filter(countersigned_by=F("author")).exists()
    assert not final.filter(countersigned__lt=F("occurred")).exists()
    assert not final.filter(
        countersigned_by__worker__role=Worker.Role.STUDENT_SOCIAL_WORKER
    ).exists()
    same_pod = TeamMembership.objects.filter(
        worker__user=OuterRef("countersigned_by"),
        team__in=PodAllocation.objects.filter(family=OuterRef(OuterRef("family"))).values("team"),
    )
    assert not final.exclude(Exists(same_pod)).exists()
    assert (
        not Entry.objects.exclude(author__worker__role=Worker.Role.STUDENT_SOCIAL_WORKER)
        .filter(Q(countersigned__isnull=False) | Q(status=Entry.Status.AWAITING_COUNTERSIGNATURE))
        .exists()
    )


def test_drafts_are_few_and_recent(authority):
    drafts = Entry.objects.filter(status=Entry.Status.DRAFT)
    assert drafts.exists()
    assert drafts.count() < 0.01 * Entry.objects.count()
    recent = TODAY - datetime.timedelta(days=DRAFT_DAYS + 1)
    assert not drafts.filter(occurred__date__lt=recent).exists()


def test_children_seen_are_children_of_the_family_born_by_then(authority):
    seen = ChildSeen.objects.filter(entry__kind=Entry.Kind.HOME_VISIT)
    assert seen.count() > 0.5 * Entry.objects.filter(kind=Entry.Kind.HOME_VISIT).count()
    child_here = FamilyMember.objects.filter(
        family=OuterRef("entry__family"),
        person=OuterRef("person"),
        relationship=FamilyMember.Relationship.CHILD,
    )
    assert not ChildSeen.objects.exclude(Exists(child_here)).exists()
    assert not ChildSeen.objects.filter(
        person__date_of_birth__gt=TruncDate("entry__occurred")
    ).exists()
    assert seen.filter(seen_alone=True).exists() and seen.filter(bedroom_seen=True).exists()


def test_every_record_has_its_history(authority):
    assert Entry.history.count() == Entry.objects.count()
    assert ChildSeen.history.count() == ChildSeen.objects.count()
    assert Plan.history.count() == Plan.objects.count()
    entry = Entry.objects.select_related("author").first()
    assert entry.history.get().history_user == entry.author


def test_every_open_family_has_a_summary_with_every_version_in_its_history(authority):
    assert not _open_families().filter(summary__isnull=True).exists()
    closed = Family.objects.exclude(pk__in=_open_families()).filter(
        episodes__end__gte=HISTORY_START
    )
    assert closed.filter(summary__isnull=False).exists()
    versions = dict(
        CaseSummary.history.values("id").annotate(n=Count("history_id")).values_list("id", "n")
    )
    summaries = CaseSummary.objects.values_list("pk", "version")
    assert all(versions[pk] == version for pk, version in summaries)
    assert any(version > 3 for _pk, version in summaries)
    summary = CaseSummary.objects.filter(family__in=_open_families()).first()
    assert all(getattr(summary, section) for section in CaseSummary.SECTIONS)
    assert summary.updated_by is not None


def test_most_children_on_plans_are_visited_in_time_today_and_some_are_overdue(authority):
    due = visits_due(_open_families(), TODAY)
    overdue = [visit for visit in due if visit.is_overdue]
    assert 0.78 <= 1 - len(overdue) / len(due) <= 0.93
    assert len({visit.overdue_days for visit in overdue}) > 3, "overdue by varying amounts"
    assert authority.counts["children overdue a visit"] == len(overdue)


def test_one_family_the_social_worker_holds_has_a_thousand_entries(authority):
    sizes = Entry.objects.values("family").annotate(entries=Count("id"))
    long = [row for row in sizes if row["entries"] >= LONG_FAMILY_ENTRIES]
    assert len(long) == 1
    assert Allocation.objects.filter(
        family=long[0]["family"], end__isnull=True, worker__user__username="social-worker"
    ).exists()
    calls = Entry.objects.filter(family=long[0]["family"], kind=Entry.Kind.CONTACT)
    assert calls.count() > 300
    assert authority.counts["entries in the long family"] == long[0]["entries"]


def test_every_child_on_a_plan_or_in_care_today_has_a_plan_of_that_kind(authority):
    kinds = {"cin_plan": "cin", "cp_plan": "cp", "looked_after": "child_in_care"}
    statuses = ChildStatus.objects.current_on(TODAY).filter(
        kind__in=kinds, family__in=_open_families()
    )
    assert statuses.count() > 50
    for status in statuses:
        plan = Plan.objects.get(child=status.person, kind=kinds[status.kind])
        assert plan.start == status.start and plan.family_id == status.family_id
        assert plan.review_date >= max(plan.start, TODAY)
        goals = list(plan.goals.annotate(actions_count=Count("actions")))
        assert 2 <= len(goals) <= 4
        assert all(1 <= goal.actions_count <= 3 for goal in goals)
    progress = Plan.objects.filter(goals__progress__isnull=False)
    assert not progress.filter(goals__progress__date__lt=F("start")).exists()
    assert not progress.filter(goals__progress__date__gt=TODAY).exists()


def test_assessments_follow_each_referral_and_their_outcomes_match_what_followed(authority):
    # Every referral but those closed at the front door (no further action: never assessed).
    allocated = Allocation.objects.filter(episode=OuterRef("pk"))
    episodes = Episode.objects.filter(start__gte=HISTORY_START, start__lte=TODAY).filter(
        Q(end__isnull=True) | Exists(allocated)
    )
    assessments = Assessment.objects.all()
    assert abs(assessments.count() - episodes.count()) <= 0.03 * episodes.count()
    for assessment in assessments.filter(started__gte=datetime.date(2026, 6, 1)):
        assert assessment.due == add_working_days(assessment.started, 45)
    done = assessments.filter(completed__isnull=False)
    assert not done.filter(outcome="").exists()
    assert not assessments.filter(completed__isnull=True).exclude(outcome="").exists()
    assert assessments.filter(completed__isnull=True).exists()
    signed = done.filter(signed_off_by__isnull=False)
    assert signed.count() > 0.8 * done.count()
    assert not signed.exclude(signed_off_by__worker__role=Worker.Role.POD_MANAGER).exists()
    cp_followed = ChildStatus.objects.filter(
        family=OuterRef("family"),
        kind=ChildStatus.Kind.CP_PLAN,
        start__gte=OuterRef("started") - datetime.timedelta(days=10),
        start__lte=OuterRef("completed") + datetime.timedelta(days=30),
    )
    icpc = done.filter(outcome=Assessment.Outcome.ICPC)
    assert icpc.exists()
    assert icpc.filter(Exists(cp_followed)).count() > 0.9 * icpc.count()


def test_the_same_seed_builds_the_same_records(authority):
    assert authority.counts == authority.first_counts
    assert authority.fingerprint == authority.first_fingerprint
    assert authority.counts["entries"] == Entry.objects.count()
    assert 0.8 * 100_000 * SCALE < Entry.objects.count() < 1.2 * 100_000 * SCALE + 1_100
