"""The family journey: referral, allocation, transfer, status, closure, re-referral and the
continuity rule, with every bad input refused and nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from families import selectors, services
from families.models import ChildStatus, Episode, Family, Person, PodAllocation
from pods.models import Worker
from tests.factories import make_worker
from tests.families.conftest import REFERRED, refer

pytestmark = pytest.mark.django_db
LATER = datetime.date(2025, 9, 1)


def test_a_referral_opens_an_episode_held_by_the_front_door(front_door):
    family = refer()
    assert family.reference.startswith("F") and len(family.reference) == 7
    episode = family.episodes.get()
    assert episode.start == REFERRED and episode.is_open
    assert selectors.current_team(family) == front_door
    assert family.members.count() == 2


def test_a_referral_needs_a_child(front_door):
    with pytest.raises(ValidationError, match="at least one child"):
        services.family_refer(
            display_name="No children",
            received=REFERRED,
            source="police",
            reason="x",
            people=[services.PersonDetails(first_name="A", last_name="B", relationship="mother")],
            recorded_by=None,
        )
    assert not Family.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused_and_nothing_is_saved(front_door):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        refer(child=("Unborn", "Baby", tomorrow))
    assert error.value.message_dict["date_of_birth"] == [
        "Date of birth must be today or in the past"
    ]
    assert not Family.objects.exists() and not Person.objects.exists()


def test_allocating_puts_the_family_in_the_pod_with_its_worker(family, pod, social_worker):
    assert selectors.current_team(family) == pod
    allocation = family.allocations.get()
    assert allocation.worker == social_worker and not allocation.is_change_of_worker
    # Referred and allocated on the same day: one stay, in the pod, and history says where it began.
    stay = PodAllocation.objects.get(family=family)
    assert stay.team == pod and stay.history.count() == 2


def test_an_allocation_to_a_worker_outside_the_pod_is_refused(family, pod, outsider):
    with pytest.raises(ValidationError) as error:
        services.family_transfer(
            family=family, team=pod, worker=outsider, start=LATER, reason="Cover"
        )
    assert "is not in Oak Pod" in error.value.message_dict["worker"][0]
    assert family.allocations.count() == 1 and family.allocations.get().end is None


def test_a_worker_who_has_left_cannot_be_allocated(family, pod):
    leaver = make_worker(team=pod, leave_date=datetime.date(2025, 5, 1))
    with pytest.raises(ValidationError, match="is not in Oak Pod"):
        services.family_transfer(family=family, team=pod, worker=leaver, start=LATER, reason="x")


def test_a_transfer_needs_a_reason(family, pod):
    colleague = make_worker(team=pod)
    with pytest.raises(ValidationError) as error:
        services.family_transfer(family=family, team=pod, worker=colleague, start=LATER, reason=" ")
    assert error.value.message_dict["reason"] == ["Enter why the family is changing worker"]


def test_a_transfer_keeps_the_history_and_counts_as_a_change_of_worker(family, pod, social_worker):
    colleague = make_worker(team=pod)
    services.family_transfer(
        family=family, team=pod, worker=colleague, start=LATER, reason="Sam went on maternity leave"
    )
    first, second = family.allocations.order_by("start")
    assert (first.worker, first.end) == (social_worker, LATER - datetime.timedelta(days=1))
    assert (second.worker, second.end, second.is_change_of_worker) == (colleague, None, True)
    assert second.reason == "Sam went on maternity leave"


def test_changes_of_worker_can_be_counted_for_any_past_date(family, pod):
    first, second = make_worker(team=pod), make_worker(team=pod)
    services.family_transfer(family=family, team=pod, worker=first, start=LATER, reason="a")
    services.family_transfer(
        family=family, team=pod, worker=second, start=datetime.date(2026, 2, 1), reason="b"
    )
    assert selectors.changes_of_worker(datetime.date(2025, 8, 31)) == 0
    assert selectors.changes_of_worker(datetime.date(2025, 12, 31)) == 1
    assert selectors.changes_of_worker(datetime.date(2026, 3, 1)) == 2
    assert selectors.changes_of_worker(datetime.date(2026, 9, 1)) == 1, (
        "a year later, one has aged out"
    )


class TestChildStatus:
    def test_statuses_of_one_kind_may_not_overlap(self, family, child):
        services.child_status_start(
            family=family,
            person=child,
            kind=ChildStatus.Kind.CP_PLAN,
            start=datetime.date(2025, 4, 1),
            cp_category="neglect",
        )
        with pytest.raises(ValidationError) as error:
            services.child_status_start(
                family=family,
                person=child,
                kind=ChildStatus.Kind.CP_PLAN,
                start=datetime.date(2025, 6, 1),
                cp_category="physical",
            )
        assert (
            "Ada already has a child protection plan from 1 April 2025"
            in error.value.message_dict["start"][0]
        )
        assert ChildStatus.objects.count() == 1

    def test_an_ended_status_does_not_block_a_later_one(self, family, child):
        status = services.child_status_start(
            family=family,
            person=child,
            kind=ChildStatus.Kind.CIN_PLAN,
            start=datetime.date(2025, 4, 1),
        )
        services.child_status_end(status=status, end=datetime.date(2025, 5, 31))
        services.child_status_start(
            family=family,
            person=child,
            kind=ChildStatus.Kind.CIN_PLAN,
            start=datetime.date(2025, 6, 1),
        )
        assert ChildStatus.objects.count() == 2

    def test_a_cp_plan_needs_its_category_and_care_its_legal_status(self, family, child):
        with pytest.raises(ValidationError, match="category"):
            services.child_status_start(
                family=family, person=child, kind=ChildStatus.Kind.CP_PLAN, start=LATER
            )
        with pytest.raises(ValidationError, match="legal status"):
            services.child_status_start(
                family=family, person=child, kind=ChildStatus.Kind.LOOKED_AFTER, start=LATER
            )

    def test_an_adult_cannot_have_a_child_status(self, family):
        mother = family.members.get(relationship="mother").person
        with pytest.raises(ValidationError, match="Choose a child"):
            services.child_status_start(
                family=family, person=mother, kind=ChildStatus.Kind.CIN_PLAN, start=LATER
            )


class TestClosure:
    def test_closing_while_a_child_has_an_open_plan_is_refused(self, family, child):
        services.child_status_start(
            family=family,
            person=child,
            kind=ChildStatus.Kind.CIN_PLAN,
            start=datetime.date(2025, 4, 1),
        )
        with pytest.raises(ValidationError) as error:
            services.episode_close(family=family, end=LATER, reason="needs_met")
        assert error.value.messages == [
            "Ada still has an open plan or status: end it before closing"
        ]
        assert family.episodes.get().is_open
        assert family.allocations.get().end is None

    def test_closing_ends_the_allocation_but_the_last_pod_still_sees_the_family(
        self, family, social_worker
    ):
        services.episode_close(family=family, end=LATER, reason="needs_met")
        assert family.allocations.get().end == LATER
        assert family.pod_allocations.get().end == LATER
        assert Family.objects.visible_to(social_worker.user).filter(pk=family.pk).exists()


class TestReReferralAndContinuity:
    def _close(self, family, end=LATER):
        services.episode_close(family=family, end=end, reason="needs_met")

    def test_re_referring_an_open_family_is_refused(self, family):
        with pytest.raises(ValidationError, match="already open to social work"):
            services.family_rerefer(
                family=family, received=LATER, source="police", reason="x", recorded_by=None
            )
        assert Episode.objects.count() == 1

    def test_within_12_months_the_family_goes_back_to_its_worker_and_pod(
        self, family, pod, social_worker
    ):
        self._close(family)
        outcome = services.family_rerefer(
            family=family,
            received=LATER + datetime.timedelta(days=200),
            source="school",
            reason="x",
            recorded_by=None,
        )
        assert outcome.continuity_worker == social_worker
        assert "goes back to them" in outcome.message
        allocation = outcome.episode.allocations.get()
        assert allocation.worker == social_worker and not allocation.is_change_of_worker
        assert selectors.current_team(family) == pod

    def test_after_12_months_it_goes_to_the_front_door(self, family, front_door):
        self._close(family)
        outcome = services.family_rerefer(
            family=family,
            received=LATER + datetime.timedelta(days=400),
            source="school",
            reason="x",
            recorded_by=None,
        )
        assert outcome.continuity_worker is None
        assert "waiting for allocation at the front door" in outcome.message
        assert selectors.current_team(family) == front_door
        assert not outcome.episode.allocations.exists()

    def test_when_the_worker_has_left_it_goes_to_the_front_door(
        self, family, front_door, social_worker
    ):
        self._close(family)
        social_worker.leave_date = LATER + datetime.timedelta(days=30)
        social_worker.save()
        outcome = services.family_rerefer(
            family=family,
            received=LATER + datetime.timedelta(days=60),
            source="school",
            reason="x",
            recorded_by=None,
        )
        assert outcome.continuity_worker is None
        assert selectors.current_team(family) == front_door

    def test_when_the_worker_moved_pod_it_goes_to_the_front_door(
        self, family, front_door, social_worker, other_pod
    ):
        from pods import services as pod_services

        self._close(family)
        membership = social_worker.memberships.get()
        pod_services.membership_end(membership=membership, end=LATER + datetime.timedelta(days=10))
        pod_services.membership_start(
            worker=social_worker, team=other_pod, start=LATER + datetime.timedelta(days=11)
        )
        outcome = services.family_rerefer(
            family=family,
            received=LATER + datetime.timedelta(days=60),
            source="school",
            reason="x",
            recorded_by=None,
        )
        assert outcome.continuity_worker is None


def test_role_lists_name_real_roles():
    from families.permissions import CASE_HOLDER_ROLES, CASE_WRITER_ROLES

    assert set(CASE_HOLDER_ROLES) <= set(Worker.Role.values)
    assert set(Worker.Role.values) >= CASE_WRITER_ROLES
    assert Worker.Role.BUSINESS_SUPPORT_OFFICER not in CASE_WRITER_ROLES
