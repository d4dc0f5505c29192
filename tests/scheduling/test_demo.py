"""The demo authority's appointments agree with the statuses the families demo generated: an
initial conference on the first day of every child protection plan of the year, after a
strategy discussion that decided on it; every statutory meeting with the clock and deadline
``scheduling.clocks`` reads back from what is stored, late ones with their reason; chairs who
are reviewing officers; visits linked to the chronology; Ash Pod's next four weeks booked with
meetings still to book, a worker away with appointments to cover and calls waiting; and a seed
gives the same rows.

The authority is built once for the module at a small scale (twice, in fact: the first build
is rolled back and kept only as a fingerprint)."""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.db.models import F, Q
from django.test import override_settings
from django.utils import timezone

from families import demo as families_demo
from families.models import ChildStatus, FamilyMember
from onestory import demo as onestory_demo
from onestory.models import Entry
from pods import demo as pods_demo
from pods.models import Absence, Team, TeamMembership, Worker
from pods.working_days import add_working_days, is_working_day, subtract_working_days
from scheduling import clocks
from scheduling import demo as scheduling_demo
from scheduling.models import Appointment, CallTaken, Invitation, Letter

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)
YEAR_START = TODAY - datetime.timedelta(days=365)
FOUR_WEEKS = TODAY + datetime.timedelta(days=27)
SCALE = 0.1
SEED = 11
Kind, Status = Appointment.Kind, Appointment.Status
SIGN_INS = {account[0] for account in pods_demo.DEMO_ACCOUNTS}


@dataclass
class Authority:
    counts: dict
    fingerprint: list
    first_fingerprint: list


def _build() -> dict:
    rng = random.Random(SEED)
    pods_demo.build(rng=rng, today=TODAY, scale=SCALE)
    families_demo.build(rng=rng, today=TODAY, scale=SCALE)
    onestory_demo.build(rng=rng, today=TODAY, scale=SCALE)
    return scheduling_demo.build(rng=rng, today=TODAY, scale=SCALE)


def _fingerprint() -> list:
    """Every appointment, call and letter by what it is (primary keys are never the same)."""
    return [
        sorted(
            Appointment.objects.values_list(
                "family__display_name",
                "kind",
                "start",
                "end",
                "status",
                "clock",
                "due",
                "late_reason",
                "outcome",
                "worker__user__username",
                "chair__user__username",
                "team__name",
                "booked_by__username",
                "entry__occurred",
            ),
            key=repr,
        ),  # fmt: skip
        sorted(
            Invitation.objects.values_list(
                "appointment__start",
                "appointment__family__display_name",
                "state",
                "sent",
                "worker__user__username",
                "member__person__first_name",
                "professional__name",
            ),
            key=repr,
        ),  # fmt: skip
        sorted(
            CallTaken.objects.values_list(
                "family__display_name",
                "received",
                "urgent",
                "for_worker__user__username",
                "taken_by__username",
                "picked_up",
                "called_back",
                "entry__what_happened",
            ),
            key=repr,
        ),  # fmt: skip
        sorted(Letter.objects.values_list("family__display_name", "to_name", "sent", "body")),
        sorted(Absence.objects.values_list("worker__user__username", "start", "end", "kind")),
    ]


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker, tmp_path_factory):
    fast = override_settings(
        PODS_GROUND_TRUTH_PATH=tmp_path_factory.mktemp("demo") / "ground_truth.json",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), fast:
        with transaction.atomic():
            _build()
            first_fingerprint = _fingerprint()
            transaction.set_rollback(True)
        assert not Team.objects.exists()
        with transaction.atomic():  # kept for the module's tests, rolled back after them
            counts = _build()
            yield Authority(counts, _fingerprint(), first_fingerprint)
            transaction.set_rollback(True)


def _ash_pod() -> Team:
    bso = Worker.objects.get(user__username="business-support")
    return TeamMembership.objects.current_on(TODAY).get(worker=bso).team


def _day(appointment: Appointment) -> datetime.date:
    return timezone.localtime(appointment.start).date()


def _cp_plans_begun_in_the_year() -> dict[tuple[int, datetime.date], set[int]]:
    plans = defaultdict(set)
    for family_id, person_id, start in ChildStatus.objects.filter(
        kind=ChildStatus.Kind.CP_PLAN, start__gte=YEAR_START, start__lt=TODAY
    ).values_list("family_id", "person_id", "start"):
        plans[(family_id, start)].add(person_id)
    return plans


def test_every_child_protection_plan_of_the_year_begins_at_an_icpc_after_a_strategy_discussion(
    authority,
):
    plans = _cp_plans_begun_in_the_year()
    assert len(plans) >= 5
    for (family_id, start), children in plans.items():
        # On the plan's first day; the working day before when it began on a weekend or a
        # bank holiday (families.demo starts plans on any day).
        day = start if is_working_day(start) else subtract_working_days(start, 1)
        icpc = Appointment.objects.get(
            family_id=family_id, kind=Kind.ICPC, start__date=day, status=Status.HELD
        )
        assert children <= set(icpc.children.values_list("pk", flat=True))
        assert icpc.chair.role == Worker.Role.REVIEWING_OFFICER
        discussion = (
            Appointment.objects.filter(
                family_id=family_id,
                kind=Kind.STRATEGY_DISCUSSION,
                status=Status.HELD,
                outcome=Appointment.Outcome.CONFERENCE,
                start__lt=icpc.start,
                start__date__gte=day - datetime.timedelta(days=40),
            )
            .order_by("start")
            .last()
        )
        assert discussion is not None, (family_id, start)
        assert icpc.clock == Appointment.Clock.ICPC
        assert icpc.due == add_working_days(_day(discussion), 15)


def test_most_icpcs_are_within_15_working_days_and_the_late_ones_say_why(authority):
    icpcs = Appointment.objects.filter(
        kind=Kind.ICPC, status=Status.HELD, start__date__gte=YEAR_START
    )
    late = [a for a in icpcs if _day(a) > a.due]
    assert late, "some are late"
    assert len(late) < 0.4 * icpcs.count()
    assert all(a.late_reason for a in late)
    held_late = [
        a for a in Appointment.objects.statutory().filter(due__isnull=False) if _day(a) > a.due
    ]
    assert all(a.late_reason for a in held_late)
    in_time = Appointment.objects.statutory().filter(due__isnull=False, start__date__lte=F("due"))
    assert not in_time.exclude(late_reason="").exists()


def test_every_held_statutory_meeting_has_its_clock_and_deadline(authority):
    held = Appointment.objects.statutory().filter(status=Status.HELD, start__date__gte=YEAR_START)
    kinds = set(held.values_list("kind", flat=True))
    assert kinds >= {Kind.ICPC, Kind.RCPC, Kind.CORE_GROUP, Kind.CIC_REVIEW, Kind.CIN_REVIEW}
    on_a_clock = held.exclude(kind=Kind.STRATEGY_DISCUSSION).exclude(
        clock=Appointment.Clock.CORE_GROUP
    )
    assert not on_a_clock.filter(Q(clock="") | Q(due__isnull=True)).exists()
    # Core groups after the first are on no statutory clock; strategy discussions begin one.
    assert held.filter(clock=Appointment.Clock.FIRST_CORE_GROUP).exists()
    assert not held.filter(kind=Kind.STRATEGY_DISCUSSION).exclude(clock="").exists()
    assert not held.filter(kind=Kind.STRATEGY_DISCUSSION, outcome="").exists()
    assert held.filter(clock=Appointment.Clock.FIRST_RCPC).exists()
    assert held.filter(clock=Appointment.Clock.RCPC).exists()
    for clock in ("first_cic_review", "second_cic_review", "cic_review"):
        assert held.filter(clock=clock).exists(), clock


def test_the_clocks_read_back_the_clock_and_deadline_each_meeting_was_given(authority):
    sample = list(
        Appointment.objects.statutory()
        .active()
        .select_related("family")
        .prefetch_related("children")
        .order_by("start", "pk")
    )
    sample = sample[::7] + [a for a in sample if _day(a) >= TODAY]
    assert len(sample) > 50
    for appointment in sample:
        answer = clocks.deadline_for(
            family=appointment.family,
            kind=appointment.kind,
            children=list(appointment.children.all()),
            on=_day(appointment),
        )
        stored = (appointment.clock, appointment.due) if appointment.clock else None
        assert answer == stored, (appointment.pk, appointment.kind, _day(appointment))


def test_conferences_and_reviews_are_chaired_by_reviewing_officers_and_cic_reviews_by_child(
    authority,
):
    chaired = Appointment.objects.filter(kind__in=Appointment.CHAIRED_KINDS)
    assert chaired.exists()
    assert not chaired.filter(chair__isnull=True).exists()
    assert not chaired.exclude(chair__role=Worker.Role.REVIEWING_OFFICER).exists()
    assert not chaired.filter(chair=F("worker")).exists()
    for review in Appointment.objects.filter(kind=Kind.CIC_REVIEW, start__date__gte=YEAR_START)[
        :300
    ]:
        (child,) = review.children.all()
        assert ChildStatus.objects.filter(
            Q(end__isnull=True) | Q(end__gte=_day(review)),
            person=child,
            kind=ChildStatus.Kind.LOOKED_AFTER,
            start__lte=_day(review),
        ).exists()


def test_nobody_is_booked_twice_at_once_in_the_weeks_ahead(authority):
    ahead = Appointment.objects.filter(status=Status.PLANNED).values_list(
        "worker_id", "chair_id", "start", "end"
    )
    busy = defaultdict(list)
    for worker_id, chair_id, start, end in ahead:
        for who in {worker_id, chair_id} - {None}:
            busy[who].append((start, end))
    for times in busy.values():
        times.sort()
        assert all(b[0] >= a[1] for a, b in zip(times, times[1:], strict=False))


def test_held_visits_are_the_chronologys_visits(authority):
    visits = Appointment.objects.filter(kind=Kind.HOME_VISIT, status=Status.HELD)
    assert visits.count() > 100
    assert not visits.filter(entry__isnull=True).exists()
    assert not visits.exclude(entry__kind=Entry.Kind.HOME_VISIT).exists()
    assert not visits.exclude(entry__family=F("family")).exists()
    assert not visits.exclude(start=F("entry__occurred")).exists()
    linked = Appointment.objects.statutory().filter(entry__isnull=False)
    assert linked.exists()
    assert not linked.exclude(entry__family=F("family")).exists()
    assert all(_day(a) == timezone.localtime(a.entry.occurred).date() for a in linked[:300])


def test_invitations_go_to_the_family_and_the_professionals_around_it(authority):
    held = Appointment.objects.filter(
        kind__in=Appointment.STATUTORY_KINDS, status=Status.HELD, start__date__gte=YEAR_START
    )
    assert not held.filter(invitations__isnull=True).exists()
    invitations = Invitation.objects.filter(appointment__in=held)
    assert set(invitations.values_list("state", flat=True)) <= {
        Invitation.State.ATTENDED,
        Invitation.State.DID_NOT_ATTEND,
        Invitation.State.SENT,
    }
    assert invitations.filter(member__isnull=False).exists()
    assert invitations.filter(professional__isnull=False).exists()
    assert (
        not invitations.filter(member__isnull=False)
        .exclude(member__family=F("appointment__family"))
        .exists()
    )
    assert (
        not invitations.filter(professional__isnull=False)
        .exclude(professional__family=F("appointment__family"))
        .exists()
    )
    assert not invitations.filter(sent__gt=F("appointment__start")).exists()
    ahead = Invitation.objects.filter(appointment__status=Status.PLANNED)
    assert ahead.filter(state=Invitation.State.TO_SEND, sent__isnull=True).exists()
    assert ahead.filter(state=Invitation.State.SENT).exists()


def test_letters_sent_for_recent_meetings_are_in_the_chronology(authority):
    letters = Letter.objects.all()
    assert letters.exists()
    assert not letters.exclude(status=Letter.Status.SENT).exists()
    assert not letters.filter(entry__isnull=True).exists()
    assert not letters.exclude(entry__kind=Entry.Kind.LETTER).exists()
    assert not letters.exclude(entry__family=F("family")).exists()
    assert not letters.filter(to_address="").exists()
    assert not letters.filter(sent__gt=F("appointment__start")).exists()
    assert Invitation.objects.filter(letter__isnull=False).count() == letters.count()


def test_ash_pod_has_the_next_four_weeks_booked_and_meetings_still_to_book(authority):
    pod = _ash_pod()
    ahead = Appointment.objects.filter(
        team=pod, status=Status.PLANNED, start__date__gte=TODAY, start__date__lte=FOUR_WEEKS
    )
    kinds = set(ahead.values_list("kind", flat=True))
    assert {Kind.HOME_VISIT, Kind.PROFESSIONALS_MEETING, Kind.SUPERVISION} <= kinds
    assert kinds & {Kind.CORE_GROUP, Kind.RCPC, Kind.CIC_REVIEW, Kind.CIN_REVIEW}
    assert (
        ahead.filter(start__date=TODAY).exists()
        or ahead.filter(start__date=add_working_days(TODAY, 1)).exists()
    )
    families = set(ahead.exclude(family=None).values_list("family_id", flat=True))
    to_book = [m for m in clocks.meetings_due(families, TODAY) if m.booked is None]
    assert to_book
    icpc = [m for m in to_book if m.kind == Kind.ICPC]
    assert icpc, "a strategy discussion last week decided on a conference not yet booked"
    discussion = Appointment.objects.get(
        family_id=icpc[0].family_id, kind=Kind.STRATEGY_DISCUSSION, start__date__lt=TODAY,
        start__date__gte=TODAY - datetime.timedelta(days=10),
    )  # fmt: skip
    assert discussion.outcome == Appointment.Outcome.CONFERENCE
    assert discussion.entry.kind == Entry.Kind.STRATEGY


def _away_with_appointments(pod: Team) -> list[tuple[Absence, list[Appointment]]]:
    """Ash Pod's absences today, with the appointments their workers have booked in them.
    Only the worker taken ill has any: the weeks ahead are booked round everyone's leave."""
    absences = Absence.objects.filter(start__lte=TODAY, end__gte=TODAY).filter(
        worker__in=TeamMembership.objects.current_on(TODAY).filter(team=pod).values("worker")
    )
    return [
        (absence, list(appointments))
        for absence in absences.select_related("worker__user")
        if (
            appointments := Appointment.objects.filter(
                worker=absence.worker,
                status=Status.PLANNED,
                start__date__gte=TODAY,
                start__date__lte=absence.end,
            )
        )
    ]


def test_an_ash_pod_social_worker_is_away_with_appointments_to_cover(authority):
    ((absence, to_cover),) = _away_with_appointments(_ash_pod())
    assert absence.kind == Absence.Kind.SICKNESS
    assert absence.worker.role in (Worker.Role.SOCIAL_WORKER, Worker.Role.SENIOR_SOCIAL_WORKER)
    assert absence.worker.user.username not in SIGN_INS
    assert len(to_cover) >= 3
    assert authority.counts["appointments to cover"] == len(to_cover)


def test_calls_wait_for_the_worker_away_one_urgent_each_in_the_chronology(authority):
    ((absence, _to_cover),) = _away_with_appointments(_ash_pod())
    waiting = CallTaken.objects.filter(for_worker=absence.worker, picked_up__isnull=True)
    assert waiting.count() >= 2
    assert waiting.filter(urgent=True).count() == 1
    bso = Worker.objects.get(user__username="business-support").user
    for call in waiting.select_related("entry"):
        assert call.taken_by == bso
        assert call.received < timezone.now()
        assert call.pick_up_by == add_working_days(timezone.localtime(call.received).date(), 1)
        assert call.entry.kind == Entry.Kind.CONTACT
        assert call.entry.family_id == call.family_id
        assert f"taken by {bso.get_full_name()} for {absence.worker.name}" in (
            call.entry.what_happened
        )
        assert FamilyMember.objects.filter(family=call.family).exists()


def test_a_year_of_calls_mostly_picked_up_within_a_working_day(authority):
    calls = CallTaken.objects.filter(received__date__lt=subtract_working_days(TODAY, 1))
    assert calls.count() > 50
    assert not calls.filter(picked_up__isnull=True).exists()
    in_time = calls.filter(picked_up__date__lte=F("pick_up_by")).count()
    assert 0.7 * calls.count() < in_time < calls.count()
    assert not calls.filter(picked_up__lt=F("received")).exists()
    assert not CallTaken.objects.filter(entry__isnull=True).exists()


def test_every_row_has_its_history(authority):
    assert Appointment.history.count() == Appointment.objects.count()
    assert Invitation.history.count() == Invitation.objects.count()
    assert CallTaken.history.count() == CallTaken.objects.count()
    appointment = Appointment.objects.select_related("booked_by").filter(status="held").first()
    assert appointment.history.get().history_user == appointment.booked_by


def test_the_same_seed_builds_the_same_appointments(authority):
    assert authority.fingerprint == authority.first_fingerprint
    assert authority.fingerprint[0], "there are appointments"
