"""What the simulation works with, and nothing that touches the database: the aliases and
constants the steps share, the date helpers (dates are day ordinals throughout, intervals
inclusive at both ends), the simulated people, families, episodes and statuses (``Sim*``, plain
dataclasses that learn their primary keys when written), the ``Stock`` of something each day
that the controllers read, and the ``Targets`` that the published figures set."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from families.models import ChildStatus, Episode, FamilyMember
from pods.models import Worker

CIN = ChildStatus.Kind.CIN_PLAN.value
CP = ChildStatus.Kind.CP_PLAN.value
LAC = ChildStatus.Kind.LOOKED_AFTER.value
PROCEEDINGS = ChildStatus.Kind.CARE_PROCEEDINGS.value
Legal = ChildStatus.LegalStatus
Closure = Episode.ClosureReason
Rel = FamilyMember.Relationship
Role = Worker.Role

YEAR = 365


# --- dates --------------------------------------------------------------------------------------


def _date(ordinal: int) -> datetime.date:
    return datetime.date.fromordinal(ordinal)


def _eighteenth(dob: int) -> int:
    born = _date(dob)
    try:
        return born.replace(year=born.year + 18).toordinal()
    except ValueError:  # born on 29 February
        return born.replace(year=born.year + 18, day=28).toordinal() + 1


def _month_key(ordinal: int) -> tuple[int, int]:
    day = _date(ordinal)
    return day.year, day.month


def _month_ends(first: datetime.date, before: datetime.date) -> list[datetime.date]:
    """Every month-end from ``first`` (a month-end) up to the last one before ``before``."""
    ends, day = [], first
    while day < before:
        ends.append(day)
        following = day + datetime.timedelta(days=1)
        day = following.replace(
            day=1, month=following.month % 12 + 1, year=following.year + following.month // 12
        ) - datetime.timedelta(days=1)
    return ends


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


# --- the simulated objects ------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class SimPerson:
    dob: int
    gender: str
    relationship: str
    lives_in_household: bool = True
    first_name: str = ""
    last_name: str = ""
    ethnicity: str = ""
    language: str = ""
    nhs_number: str = ""
    pk: int | None = None

    @property
    def cap(self) -> int:
        """The last day before the 18th birthday."""
        return _eighteenth(self.dob) - 1

    def age(self, day: int) -> float:
        return (day - self.dob) / 365.25


@dataclass(eq=False, slots=True)
class SimStatus:
    person: SimPerson
    kind: str
    start: int
    end: int
    cp_category: str = ""
    legal_status: str = ""
    uasc: bool = False


@dataclass(eq=False, slots=True)
class SimFamily:
    people: list[SimPerson]
    uasc: bool = False
    named: bool = False
    surname: str = ""
    address: str = ""
    postcode: str = ""
    professionals: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    episodes: list[SimEpisode] = field(default_factory=list)
    seq: int = -1  # the order families were first referred in the simulation
    pk: int | None = None
    reference: str = ""

    @property
    def children(self) -> list[SimPerson]:
        return [p for p in self.people if p.relationship == Rel.CHILD]

    @property
    def cap(self) -> int:
        """The last day every child is under 18: no episode runs past it."""
        return min(child.cap for child in self.children)


@dataclass(eq=False, slots=True)
class SimEpisode:
    family: SimFamily
    stream: str
    start: int
    end: int  # planned; after today means still open
    move: int  # the day it leaves the front door for a pod
    closure_reason: str = ""
    source: str = ""
    reason: str = ""
    statuses: list[SimStatus] = field(default_factory=list)
    adolescent: bool = False
    # filled by the allocation sweep: [team_id, start, end, reason] and
    # [worker_id, start, end, reason, is_change_of_worker]
    pod_allocations: list[list] = field(default_factory=list)
    allocations: list[list] = field(default_factory=list)
    previous: SimEpisode | None = None
    pk: int | None = None
    referral_pk: int | None = None

    @property
    def high_need(self) -> bool:
        return any(s.kind != CIN for s in self.statuses)

    def add(self, person, kind, start, end, **detail) -> SimStatus:
        status = SimStatus(person, kind, start, max(start, end), **detail)
        self.statuses.append(status)
        return status


class Stock:
    """How many of something (children on plans, open children...) there are each day from
    ``first`` to ``last``, as a difference array: adding an interval is O(1), and reading the
    days in order, as the controllers do, is O(1) a day."""

    def __init__(self, first: int, last: int):
        self.first, self.last = first, last
        self.diff = [0] * (last - first + 2)
        self.cursor, self.running = first, 0

    def add(self, start: int, end: int, weight: int = 1) -> None:
        start, end = max(start, self.first), min(end, self.last)
        if start <= end:
            self.diff[start - self.first] += weight
            self.diff[end - self.first + 1] -= weight

    def on(self, day: int) -> int:
        """The value on ``day``: days must be read in order, and nothing may be added before
        the day last read."""
        if day < self.cursor:
            self.cursor, self.running = self.first, 0
        while self.cursor < day:
            self.running += self.diff[self.cursor - self.first]
            self.cursor += 1
        return self.running + self.diff[day - self.first]


class Targets:
    """The published figures at scale 1, as straight lines over the three years, with a small
    wobble so the month-ends are not suspiciously smooth."""

    def __init__(self, rng: random.Random, first: int, today: int, scale: float):
        self.first, self.today, self.scale = first, today, scale
        knots = (today - first) // 30 + 3
        self.wobble = {
            name: [rng.gauss(0, sd) for _ in range(knots)]
            for name, sd in (("open", 0.012), ("cp", 0.02), ("lac", 0.012))
        }

    def progress(self, day: int) -> float:
        return min(1.0, max(0.0, (day - self.first) / (self.today - self.first)))

    def _wobble(self, name: str, day: int) -> float:
        x = max(0, min(day, self.today) - self.first) / 30
        i = int(x)
        knots = self.wobble[name]
        return knots[i] * (1 - (x - i)) + knots[i + 1] * (x - i)

    def open_children(self, day: int) -> float:
        return self.scale * (2150 - 70 * self.progress(day)) * (1 + self._wobble("open", day))

    def cp(self, day: int) -> float:
        return self.scale * (405 - 67 * self.progress(day)) * (1 + self._wobble("cp", day))

    def lac(self, day: int) -> float:
        return self.scale * (472 - 94 * self.progress(day)) * (1 + self._wobble("lac", day))

    def uasc(self, day: int) -> float:
        return self.lac(day) * (0.052 + 0.008 * self.progress(day))

    def care_applications_per_month(self, day: int) -> float:
        return self.scale * (28 - 15 * self.progress(day)) / 3
