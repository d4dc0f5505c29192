"""Writes to appointments, each in one transaction, called from views, tasks and the demo
alike. Letters (letters.py), invitations sent (invitations.py), calls (calls.py) and cover
(cover.py) have their own modules.

A statutory meeting takes its clock and deadline from scheduling.clocks when it is booked; one
booked (or held) after its deadline needs the reason. A worker or chair who is away or already
booked is named, and the booking goes ahead only when the person booking says so."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from families.models import Family, FamilyMember, Person, Professional
from families.models.codes import ReviewParticipation as ParticipationCode
from families.selectors import current_team
from onestory import services as story_services
from onestory.models import Entry
from pods.models import Team, Worker
from pods.selectors import home_team
from scheduling import availability, clocks
from scheduling.models import Appointment, Invitation, ReviewParticipation

ENDS_BEFORE_IT_STARTS = "The appointment must end after it starts"
NEEDS_A_FAMILY = "Choose the family this appointment is with"
NEEDS_A_CHAIR = "Choose who will chair the {kind}"
CHAIR_IS_THE_WORKER = "The chair must be someone other than the family's worker"
NEEDS_A_WORKER = "Choose who will go"
NO_TEAM = "The family has no pod to put this in a calendar"
LATE_NEEDS_A_REASON = "This {kind} is due by {due:%-d %B %Y}: say why it cannot be held by then"
HELD_LATE_NEEDS_A_REASON = "This {kind} was due by {due:%-d %B %Y}: say why it was held late"
NOT_PLANNED = "Only a planned appointment can be {verb}"
NEEDS_A_REASON = "Say why the appointment is {verb}"
HELD_IN_FUTURE = "An appointment cannot be held before it starts"
NEEDS_AN_OUTCOME = "Say what the strategy discussion decided"
CHILD_NOT_HERE = "Choose children in this family"
NOT_IN_FAMILY = "Choose people and professionals around this family"
CLASH = "{name} already has {what} from {start:%H:%M} to {end:%H:%M} on {start:%-d %B}"
AWAY = "{name} is away on {day:%-d %B}"
HOW_THEY_TOOK_PART = "Choose how {name} took part in the review"
PARTICIPATION_NOT_OFFERED = "Choose how {name} took part from the list"
UNDER_FOUR_ONLY = (
    "{name} was 4 or over on {day:%-d %B %Y}: choose how they took part, not that they were under 4"
)
UNDER_FOUR = "{name} was under 4 on {day:%-d %B %Y}: choose Under 4 at the time of the review"

# The chronology entry a held appointment is recorded as.
ENTRY_KIND = {
    Appointment.Kind.HOME_VISIT: Entry.Kind.HOME_VISIT,
    Appointment.Kind.OFFICE_VISIT: Entry.Kind.DIRECT_WORK,
    Appointment.Kind.FAMILY_TIME: Entry.Kind.DIRECT_WORK,
    Appointment.Kind.STRATEGY_DISCUSSION: Entry.Kind.STRATEGY,
    Appointment.Kind.ICPC: Entry.Kind.CONFERENCE,
    Appointment.Kind.RCPC: Entry.Kind.CONFERENCE,
    Appointment.Kind.COURT_HEARING: Entry.Kind.SIGNIFICANT_EVENT,
}


class Clash(ValidationError):
    """The people going are away or already booked. ``problems`` names each; the booking can
    be made anyway with ``allow_clashes=True``, deliberately."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__({"start": problems}, code="clash")


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _label(kind: str) -> str:
    return Appointment.Kind(kind).label


def _short_label(kind: str) -> str:
    label = _label(kind)
    return label[0].lower() + label[1:]


def clash_problems(
    *, workers: Iterable[Worker], start, end, exclude: Appointment | None = None
) -> list[str]:
    """Plain-words reasons the people going cannot make it: away, or already booked."""
    workers = [w for w in workers if w is not None]
    problems = [
        AWAY.format(name=w.user.get_full_name(), day=_local_day(start))
        for w in availability.away(workers=workers, day=_local_day(start))
    ]
    for worker, other in availability.clashes(
        workers=workers, start=start, end=end, exclude=exclude
    ):
        problems.append(
            CLASH.format(
                name=worker.user.get_full_name(),
                what=_short_label(other.kind),
                start=timezone.localtime(other.start),
                end=timezone.localtime(other.end),
            )
        )
    return problems


def _check_times(start, end) -> None:
    if end <= start:
        raise ValidationError({"end": ENDS_BEFORE_IT_STARTS})


def _statutory_deadline(*, family, kind, children, day, late_reason, field="late_reason"):
    """The clock and due date a statutory meeting on ``day`` answers, refusing a late one
    without a reason."""
    if family is None or kind not in Appointment.STATUTORY_KINDS:
        return "", None
    answer = clocks.deadline_for(family=family, kind=kind, children=list(children), on=day)
    if answer is None:
        return "", None
    clock, due = answer
    if due is not None and day > due and not late_reason.strip():
        raise ValidationError({field: LATE_NEEDS_A_REASON.format(kind=_short_label(kind), due=due)})
    return clock, due


def _check_people(*, family, children, members, professionals) -> None:
    if family is None:
        if children or members or professionals:
            raise ValidationError(NOT_IN_FAMILY)
        return
    family_people = set(
        FamilyMember.objects.filter(family=family).values_list("person_id", flat=True)
    )
    if any(child.pk not in family_people for child in children):
        raise ValidationError({"children": CHILD_NOT_HERE})
    if any(member.family_id != family.pk for member in members) or any(
        professional.family_id != family.pk for professional in professionals
    ):
        raise ValidationError(NOT_IN_FAMILY)


@transaction.atomic
def appointment_book(
    *,
    kind: str,
    start: datetime.datetime,
    end: datetime.datetime,
    by,
    family: Family | None = None,
    worker: Worker | None = None,
    chair: Worker | None = None,
    place: str = "",
    children: Iterable[Person] = (),
    members: Iterable[FamilyMember] = (),
    professionals: Iterable[Professional] = (),
    other_workers: Iterable[Worker] = (),
    notes: str = "",
    late_reason: str = "",
    team: Team | None = None,
    allow_clashes: bool = False,
) -> Appointment:
    """Book an appointment, inviting the worker, the chair, the family members and the
    professionals named (each invitation to be sent). Refuses bad times, a statutory meeting
    past its deadline without a reason and, unless ``allow_clashes``, anyone away or booked."""
    children, members, professionals = list(children), list(members), list(professionals)
    _check_times(start, end)
    if family is None and kind not in Appointment.NON_FAMILY_KINDS:
        raise ValidationError({"kind": NEEDS_A_FAMILY})
    if worker is None:
        raise ValidationError({"worker": NEEDS_A_WORKER})
    if kind in Appointment.CHAIRED_KINDS:
        if chair is None:
            raise ValidationError({"chair": NEEDS_A_CHAIR.format(kind=_short_label(kind))})
        if chair.pk == worker.pk:
            raise ValidationError({"chair": CHAIR_IS_THE_WORKER})
    _check_people(family=family, children=children, members=members, professionals=professionals)
    team = team or (current_team(family) if family else home_team(worker, _local_day(start)))
    if team is None:
        raise ValidationError(NO_TEAM)
    clock, due = _statutory_deadline(
        family=family, kind=kind, children=children, day=_local_day(start), late_reason=late_reason
    )
    going = [worker, chair, *other_workers]
    if not allow_clashes and (problems := clash_problems(workers=going, start=start, end=end)):
        raise Clash(problems)
    appointment = Appointment(
        family=family,
        team=team,
        kind=kind,
        start=start,
        end=end,
        place=place,
        worker=worker,
        chair=chair,
        clock=clock,
        due=due,
        late_reason=late_reason.strip(),
        notes=notes,
        booked_by=by,
    )
    appointment.full_clean(exclude=["family", "team", "worker", "chair", "booked_by", "entry"])
    appointment.save()
    appointment.children.set(children)
    _invite(
        appointment,
        workers=[w for w in dict.fromkeys(going) if w is not None],
        members=members,
        professionals=professionals,
    )
    return appointment


def _invite(appointment, *, workers, members, professionals) -> None:
    for worker in workers:
        Invitation.objects.create(appointment=appointment, worker=worker)
    for member in members:
        Invitation.objects.create(appointment=appointment, member=member)
    for professional in professionals:
        Invitation.objects.create(appointment=appointment, professional=professional)


def _locked(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update().get(pk=appointment.pk)


@transaction.atomic
def appointment_move(
    *,
    appointment: Appointment,
    start: datetime.datetime,
    end: datetime.datetime,
    reason: str,
    by,
    late_reason: str = "",
    allow_clashes: bool = False,
) -> Appointment:
    """Move a planned appointment to a new time: the old one is kept, marked moved with the
    reason and a link to the new one; everyone invited is invited again (a change letter is
    due), with the deadline worked out afresh for the new day."""
    old = _locked(appointment)
    if old.status != Appointment.Status.PLANNED:
        raise ValidationError(NOT_PLANNED.format(verb="moved"))
    if not reason.strip():
        raise ValidationError({"reason": NEEDS_A_REASON.format(verb="moved")})
    _check_times(start, end)
    children = list(old.children.all())
    clock, due = _statutory_deadline(
        family=old.family,
        kind=old.kind,
        children=children,
        day=_local_day(start),
        late_reason=late_reason or old.late_reason,
    )
    if not allow_clashes and (
        problems := clash_problems(
            workers=[old.worker, old.chair], start=start, end=end, exclude=old
        )
    ):
        raise Clash(problems)
    invitations = list(old.invitations.all())
    new = Appointment.objects.create(
        family=old.family,
        team=old.team,
        kind=old.kind,
        start=start,
        end=end,
        place=old.place,
        worker=old.worker,
        chair=old.chair,
        clock=clock,
        due=due,
        late_reason=(late_reason or old.late_reason).strip(),
        outcome=old.outcome,
        notes=old.notes,
        booked_by=by,
    )
    new.children.set(children)
    for invitation in invitations:
        Invitation.objects.create(
            appointment=new,
            worker=invitation.worker,
            member=invitation.member,
            professional=invitation.professional,
        )
    old.status = Appointment.Status.MOVED
    old.status_reason = reason.strip()
    old.moved_to = new
    old.save()
    return new


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, reason: str, by) -> Appointment:
    appointment = _locked(appointment)
    if appointment.status != Appointment.Status.PLANNED:
        raise ValidationError(NOT_PLANNED.format(verb="cancelled"))
    if not reason.strip():
        raise ValidationError({"reason": NEEDS_A_REASON.format(verb="cancelled")})
    appointment.status = Appointment.Status.CANCELLED
    appointment.status_reason = reason.strip()
    appointment.save()
    return appointment


def _mark_held(appointment: Appointment, *, late_reason: str, outcome: str, now) -> None:
    if appointment.status != Appointment.Status.PLANNED:
        raise ValidationError(NOT_PLANNED.format(verb="marked as held"))
    if appointment.start > now:
        raise ValidationError(HELD_IN_FUTURE)
    late_reason = (late_reason or appointment.late_reason).strip()
    if appointment.is_late and not late_reason:
        raise ValidationError(
            {
                "late_reason": HELD_LATE_NEEDS_A_REASON.format(
                    kind=_short_label(appointment.kind), due=appointment.due
                )
            }
        )
    if appointment.kind == Appointment.Kind.STRATEGY_DISCUSSION and not (
        outcome or appointment.outcome
    ):
        raise ValidationError({"outcome": NEEDS_AN_OUTCOME})
    appointment.status = Appointment.Status.HELD
    appointment.late_reason = late_reason
    appointment.outcome = outcome or appointment.outcome
    # One save each, so the history has them (DESIGN §6: no update() on case models).
    for invitation in appointment.invitations.filter(
        worker_id__in=[appointment.worker_id, appointment.chair_id]
    ):
        invitation.state = Invitation.State.ATTENDED
        invitation.save()


def participation_field(person: Person) -> str:
    return f"participation_{person.pk}"


def _record_participation(appointment: Appointment, participation: dict[int, str]) -> None:
    """How each child a child in care review is about took part (SSDA903 REVIEW_CODE), kept
    with it as held. PN0 is exactly for a child under 4 on the day (903 rules 440, 441)."""
    day = _local_day(appointment.start)
    errors = {}
    children = list(appointment.children.order_by("pk"))
    for child in children:
        field, code = participation_field(child), participation.get(child.pk, "")
        name = child.first_name
        age = child.age_on(day)
        if not code:
            errors[field] = HOW_THEY_TOOK_PART.format(name=name)
        elif code not in ParticipationCode.values:
            errors[field] = PARTICIPATION_NOT_OFFERED.format(name=name)
        elif age is not None and code == ParticipationCode.UNDER_FOUR and age >= 4:
            errors[field] = UNDER_FOUR_ONLY.format(name=name, day=day)
        elif age is not None and code != ParticipationCode.UNDER_FOUR and age < 4:
            errors[field] = UNDER_FOUR.format(name=name, day=day)
    if errors:
        raise ValidationError(errors)
    for child in children:  # one save each, so the history has them
        row = ReviewParticipation.objects.filter(appointment=appointment, person=child).first()
        row = row or ReviewParticipation(appointment=appointment, person=child)
        row.code = participation[child.pk]
        row.save()


def _held(appointment: Appointment, *, late_reason, outcome, participation) -> None:
    _mark_held(appointment, late_reason=late_reason, outcome=outcome, now=timezone.now())
    if appointment.kind == Appointment.Kind.CIC_REVIEW and participation is not None:
        _record_participation(appointment, participation)


@transaction.atomic
def appointment_held(
    *,
    appointment: Appointment,
    by,
    late_reason: str = "",
    outcome: str = "",
    participation: dict[int, str] | None = None,
) -> Appointment:
    """Business support (or the worker) marks a meeting as held, without writing it up: the
    record of what happened is the worker's (appointment_record). A child in care review
    records how each child took part (``participation``: the child's pk to its code)."""
    appointment = _locked(appointment)
    _held(appointment, late_reason=late_reason, outcome=outcome, participation=participation)
    appointment.save()
    return appointment


def entry_kind_for(appointment: Appointment) -> str:
    return ENTRY_KIND.get(appointment.kind, Entry.Kind.MEETING)


@transaction.atomic
def appointment_record(
    *,
    appointment: Appointment,
    author,
    entry_fields: dict,
    late_reason: str = "",
    outcome: str = "",
    participation: dict[int, str] | None = None,
) -> Entry:
    """Write up a held visit or meeting: the chronology entry (onestory.services.entry_record
    with ``entry_fields``) and the appointment marked held and linked to it, together."""
    appointment = _locked(appointment)
    if appointment.status == Appointment.Status.PLANNED:
        _held(appointment, late_reason=late_reason, outcome=outcome, participation=participation)
    elif appointment.status != Appointment.Status.HELD or appointment.entry_id:
        raise ValidationError(NOT_PLANNED.format(verb="recorded"))
    entry = story_services.entry_record(family=appointment.family, author=author, **entry_fields)
    appointment.entry = entry
    appointment.save()
    return entry
