"""Calls from families taken for a worker who is away, so that no call goes unanswered.

Business support or the duty worker logs the call (``call_log``); the worker, or whoever is
on duty, picks it up (``call_pick_up``) and calls back (``call_called_back``). Each call and
each call back is a phone/message entry in the family's chronology: the service's record
that a call happened, written by this module, not case narrative a business support officer
writes (DESIGN §5) — the chronology's own correction page stays closed to them.

The selectors read calls through ``Family.objects.visible_to``, as every list of case data
does, in one query each."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from families.models import Family, PodAllocation
from families.selectors import current_team
from onestory.models import Entry
from pods.models import DutyRota, Team, Worker
from pods.permissions import is_member
from pods.working_days import add_working_days
from scheduling.models import CallTaken

MESSAGE_LIMIT = 10_000
CALL_IN_FUTURE = "The time of the call must be now or in the past"
NO_CALLER = "Enter who called"
CALLER_TOO_LONG = "Who called must be 200 characters or fewer"
NO_MESSAGE = "Enter the message"
MESSAGE_TOO_LONG = f"The message must be {MESSAGE_LIMIT:,} characters or fewer"
NO_POD = "{family} is not held by a pod: there is no worker to take the call for"
WORKER_NOT_IN_POD = (
    "{worker} is not in {team} today: choose a worker in the family's pod to take the call for"
)
ALREADY_PICKED_UP = "{name} already picked this call up at {when:%H:%M on %-d %B}"
ALREADY_CALLED_BACK = "The family was already called back at {when:%H:%M on %-d %B}"
NO_NOTE = "Enter what was said when you called back"
NOTE_TOO_LONG = f"What was said must be {MESSAGE_LIMIT:,} characters or fewer"


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _clean(text: str) -> str:
    return (text or "").strip()


# --- writes ---------------------------------------------------------------------------------


def _check_call(*, family: Family, caller: str, received, message: str, for_worker: Worker):
    errors: dict[str, str] = {}
    if received > timezone.now():
        errors["received"] = CALL_IN_FUTURE
    if not caller:
        errors["caller"] = NO_CALLER
    elif len(caller) > CallTaken._meta.get_field("caller").max_length:
        errors["caller"] = CALLER_TOO_LONG
    if not message:
        errors["message"] = NO_MESSAGE
    elif len(message) > MESSAGE_LIMIT:
        errors["message"] = MESSAGE_TOO_LONG
    team = current_team(family)
    if team is None:
        errors["for_worker"] = NO_POD.format(family=family.display_name)
    elif not is_member(for_worker, team, timezone.localdate()):
        errors["for_worker"] = WORKER_NOT_IN_POD.format(worker=for_worker.name, team=team.name)
    if errors:
        raise ValidationError(errors)


def call_entry_text(*, taker: str, worker: str, caller: str, message: str, urgent: bool) -> str:
    """What the chronology says of a call, in plain words: who took it for whom, who called,
    what they said."""
    taken = "Urgent call taken" if urgent else "Call taken"
    return f"{taken} by {taker} for {worker}: {caller} called. {message}"


def _contact_entry(*, family: Family, by, occurred, text: str) -> Entry:
    entry = Entry(
        family=family,
        author=by,
        kind=Entry.Kind.CONTACT,
        occurred=occurred,
        what_happened=text,
        status=Entry.Status.FINAL,
    )
    entry.full_clean()
    entry._history_user = by
    entry.save()
    return entry


@transaction.atomic
def call_log(
    *,
    family: Family,
    caller: str,
    received: datetime.datetime,
    message: str,
    urgent: bool,
    for_worker: Worker,
    by,
) -> CallTaken:
    """Log a call taken for ``for_worker``, due to be picked up by the next working day,
    with its entry in the family's chronology. All or nothing."""
    caller, message = _clean(caller), _clean(message)
    _check_call(
        family=family, caller=caller, received=received, message=message, for_worker=for_worker
    )
    entry = _contact_entry(
        family=family,
        by=by,
        occurred=received,
        text=call_entry_text(
            taker=_name(by), worker=for_worker.name, caller=caller, message=message, urgent=urgent
        ),
    )
    call = CallTaken(
        family=family,
        caller=caller,
        received=received,
        message=message,
        urgent=urgent,
        for_worker=for_worker,
        taken_by=by,
        pick_up_by=add_working_days(timezone.localtime(received).date(), 1),
        entry=entry,
    )
    call.full_clean()
    call._history_user = by
    call.save()
    return call


def _pick_up(call: CallTaken, by) -> None:
    call.picked_up_by = by
    call.picked_up = timezone.now()


@transaction.atomic
def call_pick_up(*, call: CallTaken, by) -> CallTaken:
    """Someone takes the call on: it leaves the lists of calls waiting. Once only, so two
    colleagues never both think it is theirs without knowing."""
    call = (
        CallTaken.objects.select_for_update(of=("self",))
        .select_related("picked_up_by")
        .get(pk=call.pk)
    )
    if call.picked_up is not None:
        raise ValidationError(
            ALREADY_PICKED_UP.format(
                name=_name(call.picked_up_by), when=timezone.localtime(call.picked_up)
            )
        )
    _pick_up(call, by)
    call._history_user = by
    call.save()
    return call


@transaction.atomic
def call_called_back(*, call: CallTaken, by, note: str) -> CallTaken:
    """The family was called back: when, and what was said, in the call and as a phone
    entry in the chronology. A call not yet picked up is picked up by whoever calls back."""
    note = _clean(note)
    if not note:
        raise ValidationError({"note": NO_NOTE})
    if len(note) > MESSAGE_LIMIT:
        raise ValidationError({"note": NOTE_TOO_LONG})
    call = (
        CallTaken.objects.select_for_update(of=("self",)).select_related("family").get(pk=call.pk)
    )
    if call.called_back is not None:
        raise ValidationError(ALREADY_CALLED_BACK.format(when=timezone.localtime(call.called_back)))
    if call.picked_up is None:
        _pick_up(call, by)
    call.called_back = timezone.now()
    call.call_back_note = note
    _contact_entry(
        family=call.family,
        by=by,
        occurred=call.called_back,
        text=f"Called back by {_name(by)} about the call from {call.caller}: {note}",
    )
    call._history_user = by
    call.save()
    return call


# --- reads ----------------------------------------------------------------------------------


def _waiting(user) -> QuerySet[CallTaken]:
    return (
        CallTaken.objects.filter(picked_up__isnull=True, family__in=Family.objects.visible_to(user))
        .select_related("family", "taken_by", "for_worker__user")
        .order_by("-urgent", "received", "pk")
    )


def _pod_families(team: Team, day: datetime.date):
    return Exists(
        PodAllocation.objects.current_on(day).filter(family=OuterRef("family"), team=team)
    )


def calls_waiting_for(worker: Worker, *, user=None) -> QuerySet[CallTaken]:
    """Calls taken for ``worker`` that nobody has picked up yet, urgent first, then oldest
    first; within what ``user`` (the worker themself unless given) may see."""
    return _waiting(user or worker.user).filter(for_worker=worker)


def urgent_calls_for_duty(user, team: Team, day: datetime.date) -> QuerySet[CallTaken]:
    """Urgent calls waiting on the pod's families, for whoever is on the pod's duty rota on
    ``day``; nothing for anyone else (their own calls come from ``calls_waiting_for``)."""
    on_duty = DutyRota.objects.filter(team=team, date=day, worker__user=user)
    if not on_duty.exists():
        return CallTaken.objects.none()
    return _waiting(user).filter(_pod_families(team, day), urgent=True)


def calls_waiting_among(family_ids) -> QuerySet[CallTaken]:
    """Calls waiting on these families, read by the caller from ``Family.objects.visible_to``
    already (the BSO's day reads the pod's visible families once for every part)."""
    return (
        CallTaken.objects.filter(picked_up__isnull=True, family_id__in=family_ids)
        .select_related("family", "taken_by", "for_worker__user")
        .order_by("-urgent", "received", "pk")
    )


def calls_waiting_in_team(user, team: Team) -> QuerySet[CallTaken]:
    """Every call waiting on the pod's families (the business support officer's day)."""
    return _waiting(user).filter(_pod_families(team, timezone.localdate()))
