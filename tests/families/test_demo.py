"""The demo authority's families: its ground truth agrees with effective-dated queries written
independently of the generator, visibility and allocation follow the rules, children are
children, the demo sign-ins have something to show, and a seed gives the same families.

The authority is built once for the module (twice, in fact: the first build is rolled back
and kept only as a fingerprint, to check that the same seed builds the same families)."""

import datetime
import itertools
import json
import random
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.test import override_settings

from families import demo as families_demo
from families.models import (
    Allocation,
    ChildStatus,
    Episode,
    Family,
    FamilyGroupObjectPermission,
    FamilyMember,
    NeedAssessment,
    Person,
    PodAllocation,
)
from pods import demo as pods_demo
from pods.models import Team, TeamMembership, Worker, current_on
from pods.working_days import months_before

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)
SCALE = 0.1
SEED = 5
CASE_HOLDING = {
    Worker.Role.SOCIAL_WORKER,
    Worker.Role.SENIOR_SOCIAL_WORKER,
    Worker.Role.STUDENT_SOCIAL_WORKER,
}


@dataclass
class Authority:
    counts: dict
    truth: dict
    fingerprint: list
    first_truth: dict
    first_fingerprint: list


def _build() -> dict:
    rng = random.Random(SEED)
    pods_demo.build(rng=rng, today=TODAY, scale=SCALE)
    return families_demo.build(rng=rng, today=TODAY, scale=SCALE)


def _fingerprint() -> list:
    """Everything but primary keys and family references (a sequence, never rolled back)."""
    return [
        sorted(Family.objects.values_list("display_name", "postcode", "created")),
        sorted(Person.objects.values_list("first_name", "last_name", "date_of_birth", "gender")),
        sorted(
            ChildStatus.objects.values_list(
                "person__first_name",
                "person__date_of_birth",
                "kind",
                "start",
                "end",
                "cp_category",
                "legal_status",
                "uasc",
            )
        ),
        sorted(
            Allocation.objects.values_list(
                "family__display_name", "worker__user__username", "start", "end", "reason"
            )
        ),
        sorted(PodAllocation.objects.values_list("family__display_name", "team__name", "start")),
    ]


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "ground_truth.json"
    fast = override_settings(
        PODS_GROUND_TRUTH_PATH=path,
        # the demo sign-ins' passwords are not what is tested here
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), fast:
        with transaction.atomic():
            _build()
            first_truth = json.loads(path.read_text())
            first_fingerprint = _fingerprint()
            transaction.set_rollback(True)
        assert not Team.objects.exists()
        with transaction.atomic():  # kept for the module's tests, rolled back after them
            counts = _build()
            yield Authority(
                counts, json.loads(path.read_text()), _fingerprint(), first_truth, first_fingerprint
            )
            transaction.set_rollback(True)


def _eighteenth(born: datetime.date) -> datetime.date:
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # 29 February
        return datetime.date(born.year + 18, 3, 1)


def _quarter_start(month_end: datetime.date) -> datetime.date:
    day = month_end.replace(day=1)
    for _ in range(2):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return day


def _orm_figures(day: datetime.date) -> dict:
    """The monthly figures by effective-dated queries, written without the generator's help."""
    open_episode = Episode.objects.filter(current_on(day), family=OuterRef("family"))
    statuses = ChildStatus.objects.filter(current_on(day))

    def children(queryset):
        return queryset.values("person").distinct().count()

    return {
        "open_children": children(
            FamilyMember.objects.filter(relationship=FamilyMember.Relationship.CHILD).filter(
                Exists(open_episode)
            )
        ),
        "open_families": Family.objects.filter(
            Exists(Episode.objects.filter(current_on(day), family=OuterRef("pk")))
        ).count(),
        "cp_children": children(statuses.filter(kind=ChildStatus.Kind.CP_PLAN)),
        "children_in_care": children(statuses.filter(kind=ChildStatus.Kind.LOOKED_AFTER)),
        "children_in_care_excl_uasc": children(
            statuses.filter(kind=ChildStatus.Kind.LOOKED_AFTER, uasc=False)
        ),
        "care_applications_in_quarter": ChildStatus.objects.filter(
            kind=ChildStatus.Kind.CARE_PROCEEDINGS, start__gte=_quarter_start(day), start__lte=day
        )
        .values("family", "start")
        .distinct()
        .count(),
    }


def test_the_ground_truth_covers_every_month_end_of_the_three_years(authority):
    truth = authority.truth
    assert truth["generated_for"] == TODAY.isoformat()
    assert set(truth["definitions"]) == set(families_demo.DEFINITIONS)
    month_ends = [datetime.date.fromisoformat(day) for day in truth["month_ends"]]
    assert month_ends[0] == datetime.date(2023, 10, 31)  # the month-end before the history
    assert month_ends[-1] == datetime.date(2026, 10, 31)  # the last one before today
    assert len(month_ends) == 37
    for day in month_ends:
        assert (day + datetime.timedelta(days=1)).day == 1


def test_the_ground_truth_agrees_with_effective_dated_queries(authority):
    month_ends = list(authority.truth["month_ends"])
    for day in [month_ends[0], month_ends[1], month_ends[12], month_ends[18], month_ends[-1]]:
        expected = authority.truth["month_ends"][day]
        assert _orm_figures(datetime.date.fromisoformat(day)) == expected, day


def test_the_figures_are_shaped_like_the_published_ones(authority):
    """Scaled to a tenth: about 210 open children; plans, care and care applications fall."""
    figures = list(authority.truth["month_ends"].values())
    for month in figures:
        assert 170 <= month["open_children"] <= 250
        assert month["open_families"] < month["open_children"]
        assert month["children_in_care_excl_uasc"] <= month["children_in_care"]
    first_year, last_year = figures[:12], figures[-12:]

    def mean(months, name):
        return sum(month[name] for month in months) / len(months)

    assert mean(first_year, "cp_children") > mean(last_year, "cp_children") > 0
    assert mean(first_year, "children_in_care") > mean(last_year, "children_in_care") > 0
    assert any(month["care_applications_in_quarter"] for month in figures)


def test_every_family_has_one_group_grant_to_the_team_that_holds_it_last(authority):
    grants = defaultdict(list)
    for family, group, codename in FamilyGroupObjectPermission.objects.values_list(
        "content_object_id", "group_id", "permission__codename"
    ):
        grants[family].append((group, codename))
    latest = {}
    for family, group in PodAllocation.objects.order_by("start", "pk").values_list(
        "family_id", "team__group_id"
    ):
        latest[family] = group  # the last one by start wins
    families = set(Family.objects.values_list("pk", flat=True))
    assert families and set(latest) == families
    for family in families:
        assert grants[family] == [(latest[family], "view_family")], family


def test_allocations_are_to_case_holders_in_post_in_the_pod_that_holds_the_family(authority):
    workers = {w.pk: w for w in Worker.objects.all()}
    memberships = defaultdict(list)
    for worker, team, start, end in TeamMembership.objects.values_list(
        "worker_id", "team_id", "start", "end"
    ):
        memberships[(worker, team)].append((start, end))
    pod_allocations = defaultdict(list)
    for family, team, kind, start, end in PodAllocation.objects.values_list(
        "family_id", "team_id", "team__kind", "start", "end"
    ):
        pod_allocations[family].append((team, kind, start, end))

    def covers(start, end, day):
        return start <= day and (end is None or end >= day)

    allocations = list(Allocation.objects.all())
    assert allocations
    for allocation in allocations:
        worker = workers[allocation.worker_id]
        day = allocation.start
        assert worker.role in CASE_HOLDING
        assert covers(worker.start_date, worker.leave_date, day), allocation
        (team, kind), *others = [
            (team, kind)
            for team, kind, start, end in pod_allocations[allocation.family_id]
            if covers(start, end, day)
        ]
        assert not others and kind == Team.Kind.POD, allocation
        assert any(covers(s, e, day) for s, e in memberships[(worker.pk, team)]), allocation
        # nobody holds a family after their last day: a leaver's families change worker
        if worker.leave_date and worker.leave_date < TODAY:
            assert allocation.end is not None and allocation.end <= worker.leave_date, allocation


def test_leavers_families_change_worker_on_the_day_after_their_last_day(authority):
    changes = Allocation.objects.filter(reason=families_demo.LEAVER_REASON)
    assert changes.exists()
    for change in changes.select_related("worker"):
        assert change.is_change_of_worker
        before = Allocation.objects.get(
            episode=change.episode_id, end=change.start - datetime.timedelta(days=1)
        )
        assert before.worker.leave_date == before.end
        assert before.worker_id != change.worker_id
    assert Allocation.objects.filter(is_change_of_worker=True).exclude(reason="").count() == (
        Allocation.objects.filter(is_change_of_worker=True).count()
    )


def test_re_referrals_within_a_year_go_back_to_their_worker_when_still_in_the_pod(authority):
    """The continuity rule: closed less than 12 months ago and the last worker still in post
    in the same pod, the family goes straight back to them, not through the front door."""
    in_pod = defaultdict(list)
    for worker, team, start, end, joined, left in TeamMembership.objects.values_list(
        "worker_id", "team_id", "start", "end", "worker__start_date", "worker__leave_date"
    ):
        in_pod[(worker, team)].append((max(start, joined), min(d for d in (end, left, TODAY) if d)))
    applied = 0
    for family in Family.objects.filter(episodes__end__isnull=False).distinct():
        episodes = list(family.episodes.order_by("start"))
        pods = list(family.pod_allocations.order_by("start").select_related("team"))
        for previous, episode in itertools.pairwise(episodes):
            if previous.end < months_before(episode.start, 12):
                continue
            last_worker = previous.allocations.order_by("-start").first()
            last_team = [p for p in pods if p.start <= previous.end][-1].team
            first = episode.allocations.order_by("start").first()
            still_there = last_worker is not None and any(
                s <= episode.start <= e for s, e in in_pod[(last_worker.worker_id, last_team.pk)]
            )
            if still_there and last_team.kind == Team.Kind.POD:
                applied += 1
                assert first.worker_id == last_worker.worker_id, episode
                assert first.start == episode.start and first.reason.startswith("Continuity")
                assert [p.team for p in pods if p.start == episode.start] == [last_team]
            else:
                assert first is None or not first.reason.startswith("Continuity"), episode
    assert applied > 0


def test_new_episodes_wait_at_the_front_door_for_at_most_ten_days(authority):
    stays = PodAllocation.objects.filter(team__kind=Team.Kind.FRONT_DOOR, end__isnull=False)
    assert stays.exists()
    for stay in stays:
        assert (stay.end - stay.start).days <= 10, stay


def test_children_are_under_18_while_their_family_is_open_and_statuses_sit_in_episodes(authority):
    episodes = defaultdict(list)
    for family, start, end in Episode.objects.values_list("family_id", "start", "end"):
        episodes[family].append((start, end or TODAY))
    for family, born in FamilyMember.objects.filter(
        relationship=FamilyMember.Relationship.CHILD
    ).values_list("family_id", "person__date_of_birth"):
        assert born <= TODAY
        for start, end in episodes[family]:
            assert born <= start
            assert end < _eighteenth(born), (family, born, end)
    for status in ChildStatus.objects.all():
        end = status.end or TODAY
        assert any(s <= status.start and end <= e for s, e in episodes[status.family_id]), status
        if status.kind == ChildStatus.Kind.CP_PLAN:
            assert status.cp_category
        if status.kind == ChildStatus.Kind.LOOKED_AFTER:
            assert status.legal_status
        else:
            assert not status.uasc
    # a closed episode has no status still open
    closed = Episode.objects.filter(end__isnull=False, family=OuterRef("family"))
    assert (
        not ChildStatus.objects.filter(end__isnull=True)
        .filter(Exists(closed.filter(start__lte=OuterRef("start"), end__gte=OuterRef("start"))))
        .exists()
    )


def test_every_open_child_has_a_level_of_need(authority):
    open_children = FamilyMember.objects.filter(
        relationship=FamilyMember.Relationship.CHILD,
        family__episodes__end__isnull=True,
    )
    assert open_children.exists()
    assessed = NeedAssessment.objects.filter(
        child=OuterRef("person"), family=OuterRef("family"), level__gte=2
    )
    assert not open_children.exclude(Exists(assessed)).exists()


@pytest.mark.parametrize("username", ["social-worker", "senior-social-worker"])
def test_the_demo_case_holders_have_families_on_plans_and_in_care(authority, username):
    families = Allocation.objects.current_on(TODAY).filter(
        worker__user__username=username, episode__end__isnull=True
    )
    held = families.values("family")
    statuses = ChildStatus.objects.current_on(TODAY).filter(family__in=held)
    assert statuses.filter(kind=ChildStatus.Kind.CP_PLAN).exists()
    assert statuses.filter(kind=ChildStatus.Kind.LOOKED_AFTER).exists()
    children = FamilyMember.objects.filter(
        family__in=held, relationship=FamilyMember.Relationship.CHILD
    ).count()
    assert children >= 3


def test_the_same_seed_builds_the_same_families(authority):
    assert authority.truth == authority.first_truth
    assert authority.fingerprint == authority.first_fingerprint


def test_the_summary_counts_agree_with_the_database(authority):
    counts = authority.counts
    assert counts["families"] == Family.objects.count()
    assert counts["people"] == Person.objects.count()
    open_today = Episode.objects.filter(Q(end__isnull=True) | Q(end__gte=TODAY))
    assert counts["open families"] == open_today.count()
