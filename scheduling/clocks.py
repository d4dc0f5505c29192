"""The chain of statutory clocks: each statutory meeting is due a set time after the event
before it, on working days (England and Wales bank holidays skipped) or calendar months.

- A strategy discussion that decides a conference is needed: the initial child protection
  conference (ICPC) within 15 working days.
- An ICPC: the first core group within 10 working days; the first review conference within
  3 months, then one every 6 months from the last, while the plan lasts (a child of the
  family has a current child protection plan).
- A child becoming looked after: the first child in care review within 20 working days, the
  second within 3 months of the first, then one every 6 months. Per child.
- A child in need plan: a review every 3 months from the plan's start, then from the last.

The intervals are ``settings.PODS_MEETING_CLOCKS`` (read when asked, so a council can set its
own). A meeting counts when its appointment is held, on its local day; the next deadline
runs from when the previous meeting was actually held, late or not. Everything is worked out
in Python from a family's statuses and statutory appointments, fetched in bulk."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from families.models import ChildStatus, Family
from pods.working_days import add_working_days, months_after
from scheduling.models import Appointment

Kind, Clock, Status = Appointment.Kind, Appointment.Clock, Appointment.Status
PLAN_KINDS = (
    ChildStatus.Kind.CP_PLAN,
    ChildStatus.Kind.LOOKED_AFTER,
    ChildStatus.Kind.CIN_PLAN,
)


def _interval(name: str) -> int:
    return settings.PODS_MEETING_CLOCKS[name]


def _words(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


@dataclass(frozen=True)
class MeetingDue:
    """The next meeting of one running clock: what to hold, by when, counting from what,
    and the planned appointment that answers it if one is booked."""

    family_id: int
    child_id: int | None  # set for child in care reviews, else None
    kind: str  # Appointment.Kind of the meeting to hold
    clock: str  # Appointment.Clock
    due: datetime.date
    earliest: datetime.date  # the working day after the anchor
    anchor: str  # plain words, e.g. "Strategy discussion on 3 March 2026"
    booked: Appointment | None = None

    def is_overdue(self, today: datetime.date) -> bool:
        """Past its deadline (a meeting due is one not yet held)."""
        return self.due < today

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


# --- a family's record, as the clocks read it ----------------------------------------------


@dataclass(frozen=True)
class _Status:
    person_id: int
    kind: str
    start: datetime.date
    end: datetime.date | None

    def current_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass(frozen=True)
class _Meeting:
    appointment: Appointment
    day: datetime.date
    children: frozenset[int]

    @property
    def kind(self) -> str:
        return self.appointment.kind


@dataclass
class _Record:
    """A family's plan statuses and its statutory appointments (planned or held), oldest
    first."""

    statuses: list[_Status]
    held: list[_Meeting]
    planned: list[_Meeting]

    def __post_init__(self):
        self.statuses = _continuous(self.statuses)

    def current(self, kind: str, day: datetime.date) -> list[_Status]:
        return [s for s in self.statuses if s.kind == kind and s.current_on(day)]

    def held_of(self, kind, *, since=None, before=None, child=None) -> list[_Meeting]:
        """Held meetings of ``kind`` on a day from ``since`` (included) to ``before``
        (excluded), about ``child`` when given."""
        return [
            m
            for m in self.held
            if m.kind == kind
            and (since is None or m.day >= since)
            and (before is None or m.day < before)
            and (child is None or child in m.children)
        ]

    def last_held(self, kind, *, on_or_before=None, outcome=None) -> _Meeting | None:
        found = [
            m
            for m in self.held
            if m.kind == kind
            and (on_or_before is None or m.day <= on_or_before)
            and (outcome is None or m.appointment.outcome == outcome)
        ]
        return found[-1] if found else None

    def booking(self, kind, since: datetime.date, child=None) -> Appointment | None:
        """The first planned appointment of ``kind`` (about ``child``) on or after ``since``."""
        return next(
            (
                m.appointment
                for m in self.planned
                if m.kind == kind and m.day >= since and (child is None or child in m.children)
            ),
            None,
        )


def _continuous(statuses: list[_Status]) -> list[_Status]:
    """Back-to-back statuses of one kind for one child as one: a change of legal status (from
    section 20 to an interim care order, say) does not start a new period of care, so its
    reviews run on from the first day in care, as a new plan's would not."""
    merged: list[_Status] = []
    for status in sorted(statuses, key=lambda s: (s.person_id, s.kind, s.start)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and (last.person_id, last.kind) == (status.person_id, status.kind)
            and last.end is not None
            and status.start <= last.end + datetime.timedelta(days=1)
        ):
            end = None if status.end is None else max(last.end, status.end)
            merged[-1] = _Status(last.person_id, last.kind, last.start, end)
        else:
            merged.append(status)
    return merged


def _records(family_ids: Iterable[int]) -> dict[int, _Record]:
    """Every family's record in three queries (two when none has a child in care review)."""
    family_ids = list(family_ids)
    records = {pk: _Record([], [], []) for pk in family_ids}
    if not family_ids:
        return records
    statuses = ChildStatus.objects.filter(family_id__in=family_ids, kind__in=PLAN_KINDS)
    for row in statuses.values_list("family_id", "person_id", "kind", "start", "end"):
        records[row[0]].statuses.append(_Status(*row[1:]))
    for record in records.values():
        record.statuses = _continuous(record.statuses)
    appointments = list(
        Appointment.objects.statutory()
        .active()
        .filter(family_id__in=family_ids)
        .order_by("start", "pk")
    )
    reviews = [a.pk for a in appointments if a.kind == Kind.CIC_REVIEW]
    children = defaultdict(set)
    if reviews:
        through = Appointment.children.through.objects.filter(appointment_id__in=reviews)
        for appointment_id, person_id in through.values_list("appointment_id", "person_id"):
            children[appointment_id].add(person_id)
    for appointment in appointments:
        meeting = _Meeting(appointment, appointment.day, frozenset(children[appointment.pk]))
        record = records[appointment.family_id]
        (record.held if appointment.status == Status.HELD else record.planned).append(meeting)
    return records


# --- the clocks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Running:
    """A clock running on a day: the meeting it wants, by when, and from what."""

    kind: str
    clock: str
    due: datetime.date | None
    anchor_day: datetime.date
    anchor: str
    child_id: int | None = None


def _initial_conference(record: _Record, until, on) -> list[_Running]:
    """After a strategy discussion deciding on a conference, until an ICPC is held (or a
    child protection plan begins, which only a conference can start: older records)."""
    discussion = record.last_held(
        Kind.STRATEGY_DISCUSSION, on_or_before=until, outcome=Appointment.Outcome.CONFERENCE
    )
    if discussion is None or record.held_of(Kind.ICPC, since=discussion.day, before=until):
        return []
    if any(
        s.kind == ChildStatus.Kind.CP_PLAN
        and s.start >= discussion.day
        and (until is None or s.start < until)
        for s in record.statuses
    ):
        return []
    due = add_working_days(discussion.day, _interval("icpc_working_days"))
    anchor = f"Strategy discussion on {_words(discussion.day)}"
    return [_Running(Kind.ICPC, Clock.ICPC, due, discussion.day, anchor)]


def _core_group(record: _Record, until, on) -> list[_Running]:
    """The first core group after the ICPC, while the plan lasts; later core groups are on
    no statutory clock (their clock is ``core_group`` with no deadline)."""
    icpc = record.last_held(Kind.ICPC, on_or_before=until)
    if icpc is None or not record.current(ChildStatus.Kind.CP_PLAN, on):
        return []
    anchor = f"Initial child protection conference on {_words(icpc.day)}"
    if record.held_of(Kind.CORE_GROUP, since=icpc.day, before=until):
        return [_Running(Kind.CORE_GROUP, Clock.CORE_GROUP, None, icpc.day, anchor)]
    due = add_working_days(icpc.day, _interval("first_core_group_working_days"))
    return [_Running(Kind.CORE_GROUP, Clock.FIRST_CORE_GROUP, due, icpc.day, anchor)]


def _review_conference(record: _Record, until, on) -> list[_Running]:
    """Three months after the ICPC, then six after the last review, while the plan lasts.
    A plan with no ICPC on record (older data) counts from the plan's start."""
    plans = record.current(ChildStatus.Kind.CP_PLAN, on)
    if not plans:
        return []
    icpc = record.last_held(Kind.ICPC, on_or_before=until)
    if icpc is not None:
        start = icpc.day
        anchor = f"Initial child protection conference on {_words(start)}"
    else:
        start = min(plan.start for plan in plans)
        anchor = f"Child protection plan from {_words(start)}"
    reviews = record.held_of(Kind.RCPC, since=start, before=until)
    if not reviews:
        due = months_after(start, _interval("first_rcpc_months"))
        return [_Running(Kind.RCPC, Clock.FIRST_RCPC, due, start, anchor)]
    last = reviews[-1].day
    due = months_after(last, _interval("rcpc_months"))
    anchor = f"Review child protection conference on {_words(last)}"
    return [_Running(Kind.RCPC, Clock.RCPC, due, last, anchor)]


def _child_in_care_reviews(record: _Record, until, on) -> list[_Running]:
    """For each looked-after child: 20 working days from becoming looked after, then 3 months
    from the first review, then 6 months from the last."""
    running = []
    for status in record.current(ChildStatus.Kind.LOOKED_AFTER, on):
        child = status.person_id
        reviews = record.held_of(Kind.CIC_REVIEW, since=status.start, before=until, child=child)
        if not reviews:
            due = add_working_days(status.start, _interval("first_cic_review_working_days"))
            clock, anchor_day = Clock.FIRST_CIC_REVIEW, status.start
            anchor = f"Looked after from {_words(status.start)}"
        else:
            anchor_day = reviews[-1].day
            anchor = f"Child in care review on {_words(anchor_day)}"
            if len(reviews) == 1:
                clock = Clock.SECOND_CIC_REVIEW
                due = months_after(anchor_day, _interval("second_cic_review_months"))
            else:
                clock, due = (
                    Clock.CIC_REVIEW,
                    months_after(anchor_day, _interval("cic_review_months")),
                )
        running.append(_Running(Kind.CIC_REVIEW, clock, due, anchor_day, anchor, child))
    return running


def _child_in_need_review(record: _Record, until, on) -> list[_Running]:
    """Every ``cin_review_months`` from the start of the family's child in need plan (the
    earliest current one), then from the last review held."""
    plans = record.current(ChildStatus.Kind.CIN_PLAN, on)
    if not plans:
        return []
    start = min(plan.start for plan in plans)
    reviews = record.held_of(Kind.CIN_REVIEW, since=start, before=until)
    if reviews:
        anchor_day = reviews[-1].day
        anchor = f"Child in need review on {_words(anchor_day)}"
    else:
        anchor_day, anchor = start, f"Child in need plan from {_words(start)}"
    due = months_after(anchor_day, _interval("cin_review_months"))
    return [_Running(Kind.CIN_REVIEW, Clock.CIN_REVIEW, due, anchor_day, anchor)]


CLOCKS = (
    _initial_conference,
    _core_group,
    _review_conference,
    _child_in_care_reviews,
    _child_in_need_review,
)


def _running(record: _Record, *, until: datetime.date | None, on: datetime.date):
    """Every clock running on ``on``, counting meetings held before ``until`` (every held
    meeting when None) and anchors held on or before it."""
    return [running for clock in CLOCKS for running in clock(record, until, on)]


# --- the public reads --------------------------------------------------------------------------


def meetings_due(family_ids: Iterable[int], today: datetime.date) -> list[MeetingDue]:
    """The next meeting of every running clock of these families on ``today``, nearest
    deadline first, each with the planned appointment answering it if any. Three queries
    whatever the number of families."""
    due = []
    for family_id, record in _records(family_ids).items():
        for running in _running(record, until=None, on=today):
            if running.due is None:
                continue
            due.append(
                MeetingDue(
                    family_id=family_id,
                    child_id=running.child_id,
                    kind=running.kind,
                    clock=running.clock,
                    due=running.due,
                    earliest=add_working_days(running.anchor_day, 1),
                    anchor=running.anchor,
                    booked=record.booking(running.kind, running.anchor_day, running.child_id),
                )
            )
    return sorted(due, key=lambda m: (m.due, m.family_id, m.child_id or 0, m.kind))


def deadline_for(
    *, family: Family, kind: str, children: list, on: datetime.date
) -> tuple[str, datetime.date | None] | None:
    """What a meeting of ``kind`` held or booked on ``on`` would answer, counting the
    meetings held before that day: its clock and deadline, or None when no clock is running
    for it. A core group after the first answers ``core_group`` with no deadline; a child in
    care review answers the clock of one of ``children`` (the nearest deadline)."""
    record = _records([family.pk])[family.pk]
    child_ids = {child.pk for child in children}
    answers = [
        running
        for running in _running(record, until=on, on=on)
        if running.kind == kind and (kind != Kind.CIC_REVIEW or running.child_id in child_ids)
    ]
    if not answers:
        return None
    nearest = min(answers, key=lambda r: r.due or datetime.date.max)
    return nearest.clock, nearest.due
