"""What the One Story demo reads before it writes anything: the families ``families.demo``
wrote (people, episodes, who held each family when, each child's statuses, the professionals
around them) and the staff ``pods.demo`` wrote (who was in which team when, who was away), in
one query a table, as plain objects. Days are ordinals (``date.toordinal()``) and intervals are
inclusive at both ends, as in families.demo; an open interval ends on ``FOREVER``.

Also here: the working-day ``Calendar`` the steps count in, and ``moment`` for a time of day
in Europe/London."""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from families.models import (
    Allocation,
    ChildStatus,
    Episode,
    Family,
    FamilyMember,
    PodAllocation,
    Professional,
)
from pods.models import Absence, Team, TeamMembership, Worker
from pods.working_days import is_working_day

FOREVER = datetime.date.max.toordinal()
CIN = ChildStatus.Kind.CIN_PLAN.value
CP = ChildStatus.Kind.CP_PLAN.value
LAC = ChildStatus.Kind.LOOKED_AFTER.value
PROCEEDINGS = ChildStatus.Kind.CARE_PROCEEDINGS.value
Rel = FamilyMember.Relationship
Role = Worker.Role
QUALIFIED = (Role.SOCIAL_WORKER, Role.SENIOR_SOCIAL_WORKER)
# Who countersigns a student's recording in the pod: the experienced practitioners.
COUNTERSIGNERS = (Role.SENIOR_SOCIAL_WORKER, Role.POD_MANAGER)


def day(ordinal: int) -> datetime.date:
    return datetime.date.fromordinal(ordinal)


def moment(ordinal: int, minutes: int) -> datetime.datetime:
    """``minutes`` after midnight on the day, in Europe/London (working hours never meet the
    clock changes, which happen in the small hours)."""
    hours, minutes = divmod(minutes, 60)
    return datetime.datetime.combine(day(ordinal), datetime.time(hours, minutes)).replace(
        tzinfo=timezone.get_default_timezone()
    )


class Calendar:
    """The working days from ``first`` to ``last`` (pods.working_days: weekdays less England
    and Wales bank holidays), so a number of working days is one index away."""

    def __init__(self, first: int, last: int):
        self.days = [d for d in range(first, last + 1) if is_working_day(day(d))]

    def on_or_after(self, ordinal: int) -> int:
        """The index of the first working day on or after ``ordinal``."""
        return bisect.bisect_left(self.days, ordinal)

    def on_or_before(self, ordinal: int) -> int:
        return bisect.bisect_right(self.days, ordinal) - 1

    def count(self, start: int, end: int) -> int:
        """Working days from ``start`` to ``end``, both included."""
        return max(0, self.on_or_before(end) - self.on_or_after(start) + 1)

    def add(self, ordinal: int, number: int) -> int:
        """As pods.working_days.add_working_days: the working day ``number`` working days after
        ``ordinal`` (the day itself not counted)."""
        return self.days[bisect.bisect_right(self.days, ordinal) + number - 1]

    def before(self, ordinal: int, number: int) -> int:
        """The working day ``number`` working days before ``ordinal``."""
        return self.days[self.on_or_after(ordinal) - number]

    def due_index(self, kind: str, index: int) -> int | None:
        """The index of the last working day by which a child with a status of ``kind`` must
        be seen again after a visit on working day ``index`` (settings.PODS_VISIT_INTERVALS)."""
        interval = settings.PODS_VISIT_INTERVALS.get(kind)
        if interval is None:
            return None
        unit, number = interval
        if unit == "working_days":
            return index + number
        return self.on_or_before(self.days[index] + 7 * number)


# --- the families ---------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class Member:
    person_id: int
    first_name: str
    last_name: str
    gender: str
    dob: int
    relationship: str
    lives_in_household: bool

    @property
    def is_child(self) -> bool:
        return self.relationship == Rel.CHILD

    def age(self, on: int) -> int:
        born, then = day(self.dob), day(on)
        return then.year - born.year - ((then.month, then.day) < (born.month, born.day))

    def is_child_on(self, on: int) -> bool:
        return self.dob <= on and self.age(on) < 18


@dataclass(eq=False, slots=True)
class Status:
    person_id: int
    kind: str
    start: int
    end: int
    cp_category: str
    legal_status: str

    def covers(self, on: int) -> bool:
        return self.start <= on <= self.end


@dataclass(eq=False, slots=True)
class Holding:
    """Who could write in the family's record for a stretch of days: the allocated worker, or
    (``worker_id`` None) whoever is on at the front door while the family waits there."""

    start: int
    end: int
    team_id: int
    worker_id: int | None
    user_id: int | None


@dataclass(eq=False, slots=True)
class CaseEpisode:
    pk: int
    start: int
    end: int
    closure_reason: str
    referral_source: str
    referral_reason: str
    holdings: list[Holding] = field(default_factory=list)
    teams: list[tuple[int, int, int]] = field(default_factory=list)  # team, start, end

    @property
    def is_open(self) -> bool:
        return self.end == FOREVER

    def holding_on(self, on: int) -> Holding | None:
        for holding in self.holdings:
            if holding.start <= on <= holding.end:
                return holding
        return None

    def team_on(self, on: int) -> int | None:
        for team, start, end in self.teams:
            if start <= on <= end:
                return team
        return None


@dataclass(eq=False, slots=True)
class CaseFamily:
    pk: int
    surname: str
    members: list[Member] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    episodes: list[CaseEpisode] = field(default_factory=list)
    professionals: list[tuple[str, str, str]] = field(default_factory=list)  # name, agency, role

    @property
    def children(self) -> list[Member]:
        return [m for m in self.members if m.is_child]

    @property
    def adults(self) -> list[Member]:
        return [m for m in self.members if not m.is_child]

    @property
    def is_open(self) -> bool:
        return bool(self.episodes) and self.episodes[-1].is_open

    def statuses_on(self, on: int) -> list[Status]:
        return [s for s in self.statuses if s.start <= on <= s.end]

    def agency(self, role: str) -> str | None:
        return next((agency for _name, agency, r in self.professionals if r == role), None)


# --- the staff ------------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class Post:
    """A worker in a team from ``start`` to ``end`` (their membership, within their
    employment)."""

    worker_id: int
    user_id: int
    role: str
    start: int
    end: int


class Roster:
    """Who was in each team on a day, who managed it, and who was away."""

    def __init__(self):
        self.posts: dict[int, list[Post]] = defaultdict(list)
        self.away: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.names: dict[int, tuple[str, str]] = {}  # user id: first name, last name
        self.roles: dict[int, str] = {}  # user id: role

    def in_post(self, team_id: int, on: int, roles=QUALIFIED) -> list[Post]:
        return [
            p for p in self.posts.get(team_id, ()) if p.start <= on <= p.end and p.role in roles
        ]

    def manager(self, team_id: int, on: int) -> Post | None:
        managers = self.in_post(team_id, on, (Role.POD_MANAGER,))
        return managers[0] if managers else None

    def is_away(self, worker_id: int, on: int) -> bool:
        return any(start <= on <= end for start, end in self.away.get(worker_id, ()))

    def name(self, user_id: int) -> str:
        first, last = self.names[user_id]
        return f"{first} {last}"


def _end(value: datetime.date | None) -> int:
    return FOREVER if value is None else value.toordinal()


def load_roster() -> Roster:
    roster = Roster()
    rows = TeamMembership.objects.values_list(
        "team_id",
        "worker_id",
        "worker__user_id",
        "worker__role",
        "start",
        "end",
        "worker__start_date",
        "worker__leave_date",
    ).order_by("team_id", "start", "worker_id")
    for team_id, worker_id, user_id, role, start, end, joined, left in rows:
        first = max(start, joined).toordinal()
        last = min(_end(end), _end(left))
        if first <= last:
            roster.posts[team_id].append(Post(worker_id, user_id, role, first, last))
    for worker_id, start, end in Absence.objects.values_list("worker_id", "start", "end"):
        roster.away[worker_id].append((start.toordinal(), end.toordinal()))
    for user_id, first, last, role in Worker.objects.values_list(
        "user_id", "user__first_name", "user__last_name", "role"
    ):
        roster.names[user_id] = (first, last)
        roster.roles[user_id] = role
    return roster


def load_families() -> list[CaseFamily]:
    """Every family with its people, statuses, episodes and who held it, in primary-key order
    (the order the generator wrote them in, so the same seed reads them the same way)."""
    families = {
        pk: CaseFamily(pk, name.removesuffix(" family"))
        for pk, name in Family.objects.values_list("pk", "display_name").order_by("pk")
    }
    members = FamilyMember.objects.values_list(
        "family_id",
        "person_id",
        "person__first_name",
        "person__last_name",
        "person__gender",
        "person__date_of_birth",
        "relationship",
        "lives_in_household",
    ).order_by("family_id", "person__date_of_birth", "person_id")
    for family_id, person_id, first, last, gender, born, relationship, lives in members:
        families[family_id].members.append(
            Member(person_id, first, last, gender, born.toordinal(), relationship, lives)
        )
    statuses = ChildStatus.objects.values_list(
        "family_id", "person_id", "kind", "start", "end", "cp_category", "legal_status"
    ).order_by("family_id", "start", "pk")
    for family_id, person_id, kind, start, end, category, legal in statuses:
        families[family_id].statuses.append(
            Status(person_id, kind, start.toordinal(), _end(end), category, legal)
        )
    episodes = {}
    rows = Episode.objects.values_list(
        "pk", "family_id", "start", "end", "closure_reason", "referral__source", "referral__reason"
    ).order_by("family_id", "start")
    for pk, family_id, start, end, closure, source, reason in rows:
        episode = CaseEpisode(pk, start.toordinal(), _end(end), closure, source, reason)
        episodes[pk] = episode
        families[family_id].episodes.append(episode)
    _load_holdings(families, episodes)
    for family_id, name, agency, role in Professional.objects.values_list(
        "family_id", "name", "agency", "role"
    ).order_by("family_id", "pk"):
        families[family_id].professionals.append((name, agency, role))
    return list(families.values())


def _load_holdings(families: dict[int, CaseFamily], episodes: dict[int, CaseEpisode]) -> None:
    """Each episode's allocations, and the stretches at the front door before them."""
    worker_users = dict(Worker.objects.values_list("pk", "user_id"))
    for episode_id, worker_id, start, end in Allocation.objects.values_list(
        "episode_id", "worker_id", "start", "end"
    ).order_by("episode_id", "start"):
        episode = episodes[episode_id]
        episode.holdings.append(
            Holding(start.toordinal(), _end(end), 0, worker_id, worker_users[worker_id])
        )
    front_doors = set(Team.objects.filter(kind=Team.Kind.FRONT_DOOR).values_list("pk", flat=True))
    for family_id, team_id, start, end in PodAllocation.objects.values_list(
        "family_id", "team_id", "start", "end"
    ).order_by("family_id", "start"):
        start, end = start.toordinal(), _end(end)
        for episode in families[family_id].episodes:
            if episode.start <= start <= episode.end:
                episode.teams.append((team_id, start, end))
                if team_id in front_doors:
                    allocated = [h for h in episode.holdings if h.start <= end and h.end >= start]
                    last = min((h.start for h in allocated), default=end + 1) - 1
                    if start <= last:
                        episode.holdings.append(Holding(start, last, team_id, None, None))
                break
    for episode in episodes.values():
        episode.holdings.sort(key=lambda h: h.start)
        for holding in episode.holdings:
            if holding.worker_id is not None:
                holding.team_id = episode.team_on(holding.start) or 0


def users_by_id() -> dict:
    return get_user_model().objects.in_bulk()


@dataclass(eq=False)
class Setting:
    """What every step shares: the days, the calendar, the staff and their sign-ins."""

    today: int
    first: int  # the first day of the three years of history
    last: int  # the last day anything is recorded: yesterday
    now: datetime.datetime  # nothing is written after it
    calendar: Calendar
    roster: Roster
    users: dict  # user id: User, for the history rows

    def author_on(self, rng, episode: CaseEpisode, on: int) -> tuple[int, int] | None:
        """``(user id, team id)`` of who writes in the family's record on the day: the
        allocated worker, a colleague in the pod covering while they are away, or whoever is on
        at the front door. None when nobody could."""
        holding = episode.holding_on(on)
        if holding is None:
            return None
        roster = self.roster
        if holding.worker_id is not None and not roster.is_away(holding.worker_id, on):
            return holding.user_id, holding.team_id
        team = holding.team_id
        there = [p for p in roster.in_post(team, on) if not roster.is_away(p.worker_id, on)]
        if there:
            return rng.choice(there).user_id, team
        if holding.worker_id is not None:
            return holding.user_id, team
        return None
