"""Booking, moving, cancelling and holding appointments (scheduling/services.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from onestory.models import Entry
from pods.models import Absence
from scheduling import services
from scheduling.models import Appointment, Invitation
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


def book(family, worker, by, start, minutes=60, **extra):
    return services.appointment_book(
        family=family,
        kind=extra.pop("kind", Appointment.Kind.HOME_VISIT),
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        worker=worker,
        by=by,
        **extra,
    )


class TestBooking:
    def test_it_books_a_visit_in_the_family_pods_calendar_and_invites_the_worker(
        self, family, social_worker, business_support, pod, next_week
    ):
        appointment = book(family, social_worker, business_support.user, at(next_week, 10))
        assert appointment.team == pod
        assert appointment.status == Appointment.Status.PLANNED
        assert [i.worker for i in appointment.invitations.all()] == [social_worker]
        assert appointment.history.count() == 1

    def test_an_appointment_ending_before_it_starts_is_refused_and_nothing_is_saved(
        self, family, social_worker, business_support, next_week
    ):
        with pytest.raises(ValidationError) as error:
            book(family, social_worker, business_support.user, at(next_week, 10), minutes=-30)
        assert error.value.message_dict == {"end": [services.ENDS_BEFORE_IT_STARTS]}
        assert not Appointment.objects.exists()

    def test_a_double_booked_worker_is_named_with_the_time_and_booking_goes_ahead_only_deliberately(
        self, family, social_worker, business_support, next_week
    ):
        book(family, social_worker, business_support.user, at(next_week, 10))
        with pytest.raises(services.Clash) as error:
            book(family, social_worker, business_support.user, at(next_week, 10, 30))
        name = social_worker.user.get_full_name()
        assert error.value.problems == [
            f"{name} already has home visit from 10:00 to 11:00 on {next_week:%-d %B}"
        ]
        assert Appointment.objects.count() == 1
        book(
            family, social_worker, business_support.user, at(next_week, 10, 30), allow_clashes=True
        )
        assert Appointment.objects.count() == 2

    def test_a_worker_who_is_away_that_day_is_named(
        self, family, social_worker, business_support, next_week
    ):
        Absence.objects.create(
            worker=social_worker, start=next_week, end=next_week, kind="training"
        )
        with pytest.raises(services.Clash) as error:
            book(family, social_worker, business_support.user, at(next_week, 10))
        assert error.value.problems == [
            f"{social_worker.user.get_full_name()} is away on {next_week:%-d %B}"
        ]

    def test_a_conference_needs_a_chair_who_is_not_the_worker(
        self, family, social_worker, business_support, next_week
    ):
        with pytest.raises(ValidationError) as error:
            book(
                family,
                social_worker,
                business_support.user,
                at(next_week, 10),
                kind=Appointment.Kind.ICPC,
            )
        assert "chair" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            book(
                family,
                social_worker,
                business_support.user,
                at(next_week, 10),
                kind=Appointment.Kind.ICPC,
                chair=social_worker,
            )
        assert error.value.message_dict == {"chair": [services.CHAIR_IS_THE_WORKER]}

    def test_a_chair_who_is_double_booked_is_named(
        self, family, social_worker, business_support, reviewing_officer, next_week, child
    ):
        _strategy_discussion_held(family, social_worker, business_support, next_week)
        other = book(
            family,
            social_worker,
            business_support.user,
            at(next_week, 14),
            kind=Appointment.Kind.PROFESSIONALS_MEETING,
        )
        other.chair = reviewing_officer
        other.save()
        # Another pod's family would do as well: the chair's calendar is what matters.
        with pytest.raises(services.Clash) as error:
            book(
                family,
                make_colleague(social_worker),
                business_support.user,
                at(next_week, 14, 30),
                kind=Appointment.Kind.ICPC,
                chair=reviewing_officer,
                children=[child],
            )
        assert error.value.problems == [
            f"{reviewing_officer.user.get_full_name()} already has professionals meeting "
            f"from 14:00 to 15:00 on {next_week:%-d %B}"
        ]

    def test_a_meeting_booked_after_its_deadline_needs_a_reason(
        self, family, social_worker, business_support, reviewing_officer, child, next_week
    ):
        held = _strategy_discussion_held(family, social_worker, business_support, next_week)
        late_day = held.day + datetime.timedelta(days=40)
        with pytest.raises(ValidationError) as error:
            book(
                family,
                social_worker,
                business_support.user,
                at(late_day, 10),
                kind=Appointment.Kind.ICPC,
                chair=reviewing_officer,
                children=[child],
            )
        assert list(error.value.message_dict) == ["late_reason"]
        assert "say why it cannot be held by then" in error.value.message_dict["late_reason"][0]
        icpc = book(
            family,
            social_worker,
            business_support.user,
            at(late_day, 10),
            kind=Appointment.Kind.ICPC,
            chair=reviewing_officer,
            children=[child],
            late_reason="The police could not attend sooner",
        )
        assert icpc.clock == Appointment.Clock.ICPC
        assert icpc.is_late

    def test_an_icpc_in_its_window_carries_its_deadline(
        self, family, social_worker, business_support, reviewing_officer, child, next_week
    ):
        held = _strategy_discussion_held(family, social_worker, business_support, next_week)
        icpc = book(
            family,
            social_worker,
            business_support.user,
            at(held.day + datetime.timedelta(days=7), 10),
            kind=Appointment.Kind.ICPC,
            chair=reviewing_officer,
            children=[child],
        )
        assert icpc.clock == Appointment.Clock.ICPC
        assert icpc.due > icpc.day
        assert not icpc.is_late
        assert {i.kind for i in icpc.invitations.all()} == {"worker"}
        assert icpc.invitations.count() == 2  # the worker and the chair


def make_colleague(worker):
    from tests.factories import make_worker

    return make_worker(team=worker.memberships.first().team)


def _strategy_discussion_held(family, social_worker, business_support, next_week):
    """A strategy discussion held three weeks ago that decided a conference is needed."""
    day = next_week - datetime.timedelta(days=21)
    discussion = Appointment.objects.create(
        family=family,
        team=family.pod_allocations.first().team,
        kind=Appointment.Kind.STRATEGY_DISCUSSION,
        start=at(day, 9),
        end=at(day, 10),
        worker=social_worker,
        status=Appointment.Status.HELD,
        outcome=Appointment.Outcome.CONFERENCE,
        booked_by=business_support.user,
    )
    return discussion


class TestMovingAndCancelling:
    def test_moving_keeps_the_old_one_with_the_reason_and_invites_everyone_again(
        self, family, social_worker, business_support, next_week
    ):
        old = book(family, social_worker, business_support.user, at(next_week, 10))
        invitation = old.invitations.get()
        invitation.state = Invitation.State.SENT
        invitation.save()
        new = services.appointment_move(
            appointment=old,
            start=at(next_week, 14),
            end=at(next_week, 15),
            reason="The family asked for the afternoon",
            by=business_support.user,
        )
        old.refresh_from_db()
        assert old.status == Appointment.Status.MOVED
        assert old.status_reason == "The family asked for the afternoon"
        assert old.moved_to == new
        assert [i.state for i in new.invitations.all()] == [Invitation.State.TO_SEND]

    def test_moving_needs_a_reason_and_changes_nothing_without_one(
        self, family, social_worker, business_support, next_week
    ):
        old = book(family, social_worker, business_support.user, at(next_week, 10))
        with pytest.raises(ValidationError):
            services.appointment_move(
                appointment=old,
                start=at(next_week, 14),
                end=at(next_week, 15),
                reason=" ",
                by=business_support.user,
            )
        assert Appointment.objects.count() == 1
        old.refresh_from_db()
        assert old.status == Appointment.Status.PLANNED

    def test_cancelling_records_why(self, family, social_worker, business_support, next_week):
        appointment = book(family, social_worker, business_support.user, at(next_week, 10))
        services.appointment_cancel(
            appointment=appointment, reason="Family on holiday", by=business_support.user
        )
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.CANCELLED
        assert appointment.status_reason == "Family on holiday"
        with pytest.raises(ValidationError):
            services.appointment_cancel(
                appointment=appointment, reason="Twice", by=business_support.user
            )


class TestHeldAndRecorded:
    def _past_visit(self, family, social_worker, business_support):
        start = timezone.now() - datetime.timedelta(hours=3)
        return book(family, social_worker, business_support.user, start, allow_clashes=True)

    def test_a_held_visit_is_written_up_as_an_entry_linked_to_it(
        self, family, social_worker, business_support, child
    ):
        appointment = self._past_visit(family, social_worker, business_support)
        entry = services.appointment_record(
            appointment=appointment,
            author=social_worker.user,
            entry_fields={
                "kind": Entry.Kind.HOME_VISIT,
                "occurred": appointment.start,
                "final": True,
                "entry": None,
                "children": [],
                "significant": False,
                "what_happened": "Saw Ada and her mother at home",
            },
        )
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.HELD
        assert appointment.entry == entry
        assert entry.what_happened == "Saw Ada and her mother at home"
        assert appointment.invitations.get().state == Invitation.State.ATTENDED

    def test_an_appointment_cannot_be_held_before_it_starts(
        self, family, social_worker, business_support, next_week
    ):
        appointment = book(family, social_worker, business_support.user, at(next_week, 10))
        with pytest.raises(ValidationError) as error:
            services.appointment_held(appointment=appointment, by=business_support.user)
        assert error.value.messages == [services.HELD_IN_FUTURE]

    def test_a_strategy_discussion_held_says_what_it_decided(
        self, family, social_worker, business_support
    ):
        start = timezone.now() - datetime.timedelta(hours=3)
        discussion = book(
            family,
            social_worker,
            business_support.user,
            start,
            kind=Appointment.Kind.STRATEGY_DISCUSSION,
            allow_clashes=True,
        )
        with pytest.raises(ValidationError) as error:
            services.appointment_held(appointment=discussion, by=business_support.user)
        assert error.value.message_dict == {"outcome": [services.NEEDS_AN_OUTCOME]}
        services.appointment_held(
            appointment=discussion,
            by=business_support.user,
            outcome=Appointment.Outcome.CONFERENCE,
        )
        discussion.refresh_from_db()
        assert discussion.outcome == Appointment.Outcome.CONFERENCE

    def test_a_meeting_held_late_records_why(
        self, family, social_worker, business_support, reviewing_officer, child
    ):
        start = timezone.now() - datetime.timedelta(hours=3)
        icpc = book(
            family,
            social_worker,
            business_support.user,
            start,
            kind=Appointment.Kind.ICPC,
            chair=reviewing_officer,
            children=[child],
            allow_clashes=True,
        )
        icpc.due = icpc.day - datetime.timedelta(days=3)  # as if its clock had run out
        icpc.save()
        with pytest.raises(ValidationError) as error:
            services.appointment_held(appointment=icpc, by=business_support.user)
        assert list(error.value.message_dict) == ["late_reason"]
        services.appointment_held(
            appointment=icpc, by=business_support.user, late_reason="The chair was ill"
        )
        icpc.refresh_from_db()
        assert icpc.status == Appointment.Status.HELD
        assert icpc.late_reason == "The chair was ill"
