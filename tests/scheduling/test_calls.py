"""Calls taken for an absent worker: the services that log, pick up and call back, and the
lists of calls waiting (the worker's, the duty worker's urgent ones, the pod's)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from onestory.models import Entry
from pods import services as pod_services
from scheduling import calls
from scheduling.models import CallTaken
from tests.scheduling.conftest_calls import *  # noqa: F403 (the fixtures)

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _log(family, for_worker, by, **overrides):
    details = {
        "caller": "Grace Okafor, Ada's mother",
        "received": timezone.now() - datetime.timedelta(minutes=30),
        "message": "Ada was sent home from school",
        "urgent": False,
        **overrides,
    }
    return calls.call_log(family=family, for_worker=for_worker, by=by, **details)


# --- logging a call -------------------------------------------------------------------------


def test_it_logs_the_call_with_a_phone_entry_saying_who_took_it_for_whom(
    family, social_worker, business_support
):
    received = timezone.now() - datetime.timedelta(minutes=30)
    call = _log(family, social_worker, business_support.user, received=received, urgent=True)

    assert call.taken_by == business_support.user
    assert call.for_worker == social_worker
    assert call.is_waiting
    entry = call.entry
    assert entry.family == family
    assert entry.kind == Entry.Kind.CONTACT
    assert entry.status == Entry.Status.FINAL
    assert entry.author == business_support.user
    assert entry.occurred == received
    assert entry.what_happened == (
        f"Urgent call taken by {business_support.name} for {social_worker.name}: "
        "Grace Okafor, Ada's mother called. Ada was sent home from school"
    )


def test_a_call_that_is_not_urgent_does_not_say_urgent(family, social_worker, business_support):
    call = _log(family, social_worker, business_support.user)
    assert call.entry.what_happened.startswith(f"Call taken by {business_support.name} for ")
    assert "rgent" not in call.entry.what_happened


@pytest.mark.parametrize(
    ("received", "pick_up_by"),
    [
        # A Friday: picked up by the Monday.
        (datetime.datetime(2025, 12, 19, 16, 0, tzinfo=LONDON), datetime.date(2025, 12, 22)),
        # Christmas Eve: Christmas Day and Boxing Day are bank holidays, then a weekend.
        (datetime.datetime(2025, 12, 24, 10, 0, tzinfo=LONDON), datetime.date(2025, 12, 29)),
        # 00:30 on Friday 6 June in London is still Thursday in UTC: London's day counts.
        (datetime.datetime(2025, 6, 5, 23, 30, tzinfo=datetime.UTC), datetime.date(2025, 6, 9)),
    ],
)
def test_it_is_due_to_be_picked_up_by_the_next_working_day(
    family, social_worker, business_support, received, pick_up_by
):
    call = _log(family, social_worker, business_support.user, received=received)
    assert call.pick_up_by == pick_up_by


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"received": "future"}, "received", calls.CALL_IN_FUTURE),
        ({"caller": "   "}, "caller", calls.NO_CALLER),
        ({"message": ""}, "message", calls.NO_MESSAGE),
        ({"message": "x" * (calls.MESSAGE_LIMIT + 1)}, "message", calls.MESSAGE_TOO_LONG),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    family, social_worker, business_support, overrides, field, message
):
    if overrides.get("received") == "future":
        overrides = {"received": timezone.now() + datetime.timedelta(hours=1)}
    with pytest.raises(ValidationError) as raised:
        _log(family, social_worker, business_support.user, **overrides)
    assert raised.value.message_dict[field] == [message]
    assert not CallTaken.objects.exists()
    assert not Entry.objects.exists()


def test_a_call_for_a_worker_outside_the_familys_pod_is_refused(family, outsider, business_support):
    with pytest.raises(ValidationError) as raised:
        _log(family, outsider, business_support.user)
    assert raised.value.message_dict["for_worker"] == [
        calls.WORKER_NOT_IN_POD.format(worker=outsider.name, team="Oak Pod")
    ]
    assert not CallTaken.objects.exists()
    assert not Entry.objects.exists()


def test_a_call_for_a_worker_who_has_left_the_pod_is_refused(
    family, social_worker, business_support, today
):
    membership = social_worker.memberships.get()
    pod_services.membership_end(membership=membership, end=today - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as raised:
        _log(family, social_worker, business_support.user)
    assert "for_worker" in raised.value.message_dict
    assert not CallTaken.objects.exists()


def test_every_mistake_is_reported_at_once(family, outsider, business_support):
    with pytest.raises(ValidationError) as raised:
        _log(family, outsider, business_support.user, caller="", message="")
    assert set(raised.value.message_dict) == {"caller", "message", "for_worker"}


# --- picking up and calling back ------------------------------------------------------------


def test_picking_up_a_call_takes_it_off_the_waiting_list(call, social_worker):
    picked = calls.call_pick_up(call=call, by=social_worker.user)
    assert picked.picked_up_by == social_worker.user
    assert picked.picked_up is not None
    assert list(calls.calls_waiting_for(social_worker)) == []


def test_a_call_is_picked_up_once_only(call, social_worker, duty_worker):
    calls.call_pick_up(call=call, by=social_worker.user)
    with pytest.raises(ValidationError) as raised:
        calls.call_pick_up(call=call, by=duty_worker.user)
    assert raised.value.messages[0].startswith(f"{social_worker.name} already picked this call up")
    call.refresh_from_db()
    assert call.picked_up_by == social_worker.user


def test_calling_back_records_it_and_picks_the_call_up(call, social_worker):
    called = calls.call_called_back(
        call=call, by=social_worker.user, note="Spoke to Grace: meeting on Friday"
    )
    assert called.called_back is not None
    assert called.call_back_note == "Spoke to Grace: meeting on Friday"
    assert called.picked_up_by == social_worker.user
    entry = Entry.objects.filter(kind=Entry.Kind.CONTACT).exclude(pk=call.entry_id).get()
    assert entry.author == social_worker.user
    assert entry.status == Entry.Status.FINAL
    assert entry.what_happened == (
        f"Called back by {social_worker.name} about the call from Grace Okafor, Ada's mother: "
        "Spoke to Grace: meeting on Friday"
    )


def test_calling_back_keeps_whoever_picked_the_call_up(call, social_worker, duty_worker):
    calls.call_pick_up(call=call, by=duty_worker.user)
    called = calls.call_called_back(call=call, by=social_worker.user, note="Sorted")
    assert called.picked_up_by == duty_worker.user


def test_calling_back_needs_a_note_and_saves_nothing_without_one(call, social_worker):
    with pytest.raises(ValidationError) as raised:
        calls.call_called_back(call=call, by=social_worker.user, note="  ")
    assert raised.value.message_dict["note"] == [calls.NO_NOTE]
    call.refresh_from_db()
    assert call.picked_up is None
    assert Entry.objects.count() == 1


def test_a_call_is_called_back_once(call, social_worker):
    calls.call_called_back(call=call, by=social_worker.user, note="Sorted")
    with pytest.raises(ValidationError):
        calls.call_called_back(call=call, by=social_worker.user, note="Again")
    assert Entry.objects.count() == 2


# --- calls waiting --------------------------------------------------------------------------


def test_a_workers_calls_are_urgent_first_then_oldest_first(
    family, social_worker, business_support, django_assert_max_num_queries
):
    now = timezone.now()
    old = _log(
        family, social_worker, business_support.user, received=now - datetime.timedelta(hours=5)
    )
    new = _log(
        family, social_worker, business_support.user, received=now - datetime.timedelta(hours=1)
    )
    urgent = _log(
        family,
        social_worker,
        business_support.user,
        received=now - datetime.timedelta(minutes=10),
        urgent=True,
    )
    picked = _log(family, social_worker, business_support.user)
    calls.call_pick_up(call=picked, by=social_worker.user)

    with django_assert_max_num_queries(1):
        waiting = list(calls.calls_waiting_for(social_worker))
        # family and taken_by come with the calls: no query more for them
        [(c.family.reference, c.taken_by.username, c.for_worker.name) for c in waiting]
    assert waiting == [urgent, old, new]


def test_calls_waiting_are_only_those_of_families_the_reader_may_see(call, social_worker, outsider):
    assert list(calls.calls_waiting_for(social_worker)) == [call]
    assert list(calls.calls_waiting_for(social_worker, user=outsider.user)) == []


def test_an_urgent_call_waits_for_the_duty_worker(
    family, social_worker, business_support, duty_worker, pod, today
):
    urgent = _log(family, social_worker, business_support.user, urgent=True)
    _log(family, social_worker, business_support.user, urgent=False)

    assert list(calls.urgent_calls_for_duty(duty_worker.user, pod, today)) == [urgent]
    # Not for someone who is not on duty that day, nor on another day.
    assert list(calls.urgent_calls_for_duty(social_worker.user, pod, today)) == []
    tomorrow = today + datetime.timedelta(days=1)
    assert list(calls.urgent_calls_for_duty(duty_worker.user, pod, tomorrow)) == []
    # Once picked up, it waits for no one.
    calls.call_pick_up(call=urgent, by=social_worker.user)
    assert list(calls.urgent_calls_for_duty(duty_worker.user, pod, today)) == []


def test_the_pods_calls_waiting_are_every_call_on_its_families(
    call, family, social_worker, business_support, duty_worker, pod, other_pod, outsider
):
    for_duty = _log(family, duty_worker, business_support.user, urgent=True)
    assert list(calls.calls_waiting_in_team(business_support.user, pod)) == [for_duty, call]
    assert list(calls.calls_waiting_in_team(business_support.user, other_pod)) == []
    assert list(calls.calls_waiting_in_team(outsider.user, pod)) == []
