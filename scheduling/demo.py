"""The demo authority's appointments, built deterministically from a seed after
``onestory.demo`` (and before ``supervision.demo``), from what the earlier builders wrote:

- **a year of statutory meetings** (today less 365 days to today) consistent with every child's
  statuses: before each child protection plan a strategy discussion that decided a conference
  was needed (on or after the referral), and the initial conference on the plan's start date
  (the working day before, should a plan begin on a weekend or a bank holiday: families.demo
  starts them on working days), for every plan of the history as the statutory returns
  report them, not only the year's; the first core group,
  core groups about monthly, review conferences at 3 months then every 6 while the plan lasts
  (and one on the day it ended); child in care reviews of each looked-after child on their
  clocks; child in need reviews every 3 months. Most are in time; some are late, with the
  reason in plain words. Each carries the clock and deadline ``scheduling.clocks`` gives it,
  worked out from the meetings written before it exactly as ``clocks.deadline_for`` would
  read them back, so what the BSO sees due follows from what is stored. The meetings a
  chain's later deadlines count from are written too, when they fall before the year. Where
  the chronology already records a meeting on the day (``onestory.demo``), the appointment
  is linked to that entry;
- **home visits** as held appointments linked to the chronology's visits: the demo pod's
  (Ash Pod's) for the whole year, every pod's for the last four weeks;
- **the next four weeks booked** in every pod: visits on each child's visit clock, the
  statutory meetings that fall due (most booked; some left for business support to book, and
  in Ash Pod a strategy discussion of last week that decided on a conference with the
  conference still to book), a professionals meeting and everyone's 1:1 supervision;
- **invitations** for the meetings (the worker, the chair, the family's adults, the
  professionals around the family), attended or not for those held, sent or still to send
  for those ahead, and the letters that went out for the last eight weeks' conferences and
  reviews, each with its entry in the chronology;
- **a worker away**: an Ash Pod social worker (not a demo sign-in) off sick for a few working
  days, with appointments booked in that time for a colleague to cover;
- **calls taken**: a year of calls for workers who were out, most picked up within a working
  day and called back, each with its chronology entries; and calls waiting now, for the
  workers away today (one of the away Ash Pod worker's urgent).

Everything is planned in plain Python from ``onestory.demo.world`` and written in bulk with
its history (``onestory.demo.saving``)."""

from __future__ import annotations

import bisect
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from families.models import Family, FamilyMember, Professional
from onestory.demo.saving import as_written, save_all
from onestory.demo.world import (
    CIN,
    CP,
    FOREVER,
    LAC,
    Calendar,
    CaseEpisode,
    CaseFamily,
    Roster,
    day,
    load_families,
    load_roster,
    moment,
    users_by_id,
)
from onestory.models import ChildSeen, Entry
from onestory.timeliness import visit_due_date
from pods.demo import DEMO_ACCOUNTS
from pods.models import Absence, Team, Worker
from scheduling import clocks
from scheduling.calls import call_entry_text
from scheduling.models import Appointment, CallTaken, Invitation, Letter

Kind, Clock, Status = Appointment.Kind, Appointment.Clock, Appointment.Status
State = Invitation.State
Role = Worker.Role
Rel = FamilyMember.Relationship

YEAR = 365
AHEAD = 28  # days booked ahead of today
TO_COVER = 4  # appointments of the worker away, for colleagues to cover
LETTER_WEEKS = 8  # invitation letters kept for the meetings of the last eight weeks
DEMO_POD_ACCOUNT = "business-support"  # pods.demo.DEMO_ACCOUNTS: the demo pod's BSO
SIGN_INS = {account[0] for account in DEMO_ACCOUNTS}

# How often each clock's meeting is held late, and by how many working days at most.
LATE = {
    Kind.ICPC: (0.15, 7),
    Kind.CORE_GROUP: (0.10, 5),
    Kind.RCPC: (0.08, 8),
    Kind.CIC_REVIEW: (0.10, 8),
    Kind.CIN_REVIEW: (0.10, 10),
}
LATE_REASONS = {
    Kind.ICPC: [
        "The chair was ill; the first date all agencies could attend",
        "The police could not attend any earlier date",
        "Moved at Mum's request so that her solicitor could be there",
        "The family moved here from another area and their records came late",
        "No reviewing officer was free inside the 15 working days",
    ],
    None: [
        "The chair was ill and no other reviewing officer was free",
        "Moved at the family's request: Dad was in hospital",
        "The school could not attend before the end of half term",
        "The foster carer was away; moved so the child could take part",
        "The room was double-booked and the first free date was after the deadline",
        "The interpreter was not available on any earlier date",
    ],
}
MINUTES = {
    Kind.HOME_VISIT: 60,
    Kind.STRATEGY_DISCUSSION: 45,
    Kind.ICPC: 120,
    Kind.RCPC: 90,
    Kind.CORE_GROUP: 60,
    Kind.CIN_REVIEW: 60,
    Kind.CIC_REVIEW: 60,
    Kind.PROFESSIONALS_MEETING: 60,
    Kind.SUPERVISION: 60,
}
SLOTS = (600, 810, 570, 690, 840, 930)  # 10:00, 13:30, 9:30, 11:30, 14:00, 15:30
CIVIC_CENTRE = "Brightwater Civic Centre, conference room {n}"
ONLINE = "Microsoft Teams"
# The chronology's words for each meeting (onestory.demo.vocabulary.STRUCTURE), to link the
# appointment to the entry that records it.
ENTRY_OPENINGS = {
    "Strategy discussion": Kind.STRATEGY_DISCUSSION,
    "Initial child protection": Kind.ICPC,
    "Review child protection": Kind.RCPC,
    "Core group meeting": Kind.CORE_GROUP,
    "Child in need review": Kind.CIN_REVIEW,
    "Looked-after review": Kind.CIC_REVIEW,
}
ENTRY_KINDS = (Entry.Kind.STRATEGY, Entry.Kind.CONFERENCE, Entry.Kind.MEETING)
CALLS_PER_YEAR = 1.2  # per family, while someone holds it
CALLED_BACK_IN_TIME = 0.85
CALLERS = [
    ("{carer} ({role})", "Please can you ring me back about the next visit."),
    ("{carer} ({role})", "Wants to talk about family time at the weekend."),
    ("{carer} ({role})", "Worried about the letter from the housing office."),
    ("{school}", "Attendance has dropped again this week; please call the office."),
    ("{carer} ({role})", "Has a question about the plan from the last meeting."),
    ("{carer} ({role})", "Asked whether the core group is still on."),
]
URGENT_CALL = (
    "{carer} ({role})",
    "Very upset: says her ex-partner came to the house last night. Please call back as soon as "
    "you can.",
)
CALL_BACK_NOTES = [
    "Spoke to them; the visit is confirmed for next week.",
    "Called back and talked it through; nothing more needed for now.",
    "No answer; left a message and will try again tomorrow.",
    "Agreed to raise it at the next core group.",
]


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    """Write the demo authority's appointments, invitations, letters, calls and the away
    worker (after onestory.demo.build, in its transaction); counts for seed_demo's line."""
    world = World.load(today)
    seeds = [rng.getrandbits(64) for _ in range(6)]
    book = Book(world)
    visits_from_entries(random.Random(seeds[0]), world, book)
    for family in world.families:
        plan_statutory(random.Random(seeds[1] ^ world.number[family.pk]), world, book, family)
    held = _held_today(world)
    book_ahead(random.Random(seeds[2]), world, book, held)
    away = choose_away_worker(random.Random(seeds[5]), world, book, held.get(world.demo_pod, []))
    counts = write(random.Random(seeds[3]), world, book)
    counts |= write_calls(random.Random(seeds[4]), world, away)
    _analyze(Appointment, Invitation, Appointment.children.through, CallTaken, Letter)
    return counts


# --- what the builder reads ---------------------------------------------------------------


@dataclass(eq=False)
class World:
    """The families, the staff, and who does what: read once, in a few queries a table."""

    today: int
    first: int  # the first day of the year of appointments
    last: int  # the last day booked ahead
    now: datetime.datetime
    calendar: Calendar
    roster: Roster
    families: list[CaseFamily]
    users: dict
    worker_user: dict[int, int]
    user_worker: dict[int, int]
    members: dict[int, list[tuple[int, int, str, bool]]]  # family: (pk, person, rel, lives)
    professionals: dict[int, list[tuple[int, str]]]  # family: (pk, role)
    addresses: dict[int, tuple[str, str]]
    pods: dict[int, str]  # team id: name, of every pod
    demo_pod: int | None
    reviewing_officers: list  # Posts
    entries: dict[tuple[int, str], list[tuple[int, int, int]]]  # (family, kind): (day, min, pk)
    number: dict[int, int]  # family id: its place in the list, the same in every build
    _chairs: dict = field(default_factory=dict)

    @classmethod
    def load(cls, today: datetime.date) -> World:
        t = today.toordinal()
        families = load_families()
        roster = load_roster()
        earliest = min((s.start for f in families for s in f.statuses), default=t)
        worker_user = dict(Worker.objects.values_list("pk", "user_id"))
        members, professionals = defaultdict(list), defaultdict(list)
        for pk, family_id, person_id, rel, lives in FamilyMember.objects.values_list(
            "pk", "family_id", "person_id", "relationship", "lives_in_household"
        ).order_by("family_id", "pk"):
            members[family_id].append((pk, person_id, rel, lives))
        for pk, family_id, role in Professional.objects.values_list(
            "pk", "family_id", "role"
        ).order_by("family_id", "pk"):
            professionals[family_id].append((pk, role))
        pods = dict(Team.objects.filter(kind=Team.Kind.POD).values_list("pk", "name"))
        users = users_by_id()
        return cls(
            today=t,
            first=t - YEAR,
            last=t + AHEAD - 1,
            now=timezone.now(),
            calendar=Calendar(earliest - 120, t + 400),
            roster=roster,
            families=families,
            users=users,
            worker_user=worker_user,
            user_worker={user: worker for worker, user in worker_user.items()},
            members=members,
            professionals=professionals,
            addresses={
                pk: (address, postcode)
                for pk, address, postcode in Family.objects.values_list("pk", "address", "postcode")
            },
            pods=pods,
            demo_pod=_demo_pod(roster, users, pods, t),
            reviewing_officers=sorted(
                (
                    post
                    for posts in roster.posts.values()
                    for post in posts
                    if post.role == Role.REVIEWING_OFFICER
                ),
                key=lambda post: (post.worker_id, post.start),
            ),
            entries=_meeting_entries(),
            number={family.pk: number for number, family in enumerate(families)},
        )

    # --- who, on a day ---

    def chairs_on(self, on: int) -> list:
        """The reviewing officers at work on the day; before the service began (a child in
        care since long before), its first reviewing officers stand in."""
        if on not in self._chairs:
            officers = self.reviewing_officers
            founded = min((p.start for p in officers), default=on)
            self._chairs[on] = [
                p
                for p in officers
                if (p.start <= on <= p.end or (on < founded and p.start == founded))
                and not self.roster.is_away(p.worker_id, on)
            ]
        return self._chairs[on]

    def bso_user(self, team_id: int, on: int) -> int | None:
        posts = self.roster.in_post(team_id, on, (Role.BUSINESS_SUPPORT_OFFICER,))
        return posts[0].user_id if posts else None

    def booker(self, team_id: int, on: int, worker_id: int | None, chair) -> int | None:
        """Who booked a meeting: the pod's business support officer that day, else the
        worker, else (long ago) the team's first business support officer or the chair."""
        found = self.bso_user(team_id, on) or self.worker_user.get(worker_id)
        if found is None:
            first = sorted(
                (
                    p
                    for p in self.roster.posts.get(team_id, ())
                    if p.role == Role.BUSINESS_SUPPORT_OFFICER
                ),
                key=lambda p: (p.start, p.worker_id),
            )
            found = first[0].user_id if first else (chair.user_id if chair else None)
        return found

    def manager(self, team_id: int, on: int):
        return self.roster.manager(team_id, on)


def _demo_pod(roster: Roster, users: dict, pods: dict, t: int) -> int | None:
    """The pod of the demo business support officer today (Ash Pod), or the first pod."""
    user = next((u for u in users.values() if u.username == DEMO_POD_ACCOUNT), None)
    if user is not None:
        for team, posts in sorted(roster.posts.items()):
            if team in pods and any(p.user_id == user.pk and p.start <= t <= p.end for p in posts):
                return team
    return min(pods, default=None)


def _meeting_entries() -> dict[tuple[int, str], list[tuple[int, int, int]]]:
    """The chronology's records of meetings, by family and the kind of appointment they
    record: (day, minutes after midnight, entry id), in time order."""
    opening = Q()
    for words in ENTRY_OPENINGS:
        opening |= Q(what_happened__startswith=words)
    found = defaultdict(list)
    rows = (
        Entry.objects.filter(opening, kind__in=ENTRY_KINDS)
        .values_list("pk", "family_id", "occurred", "what_happened")
        .order_by("family_id", "occurred", "pk")
    )
    for pk, family_id, occurred, text in rows.iterator(chunk_size=20_000):
        kind = next(k for words, k in ENTRY_OPENINGS.items() if text.startswith(words))
        local = timezone.localtime(occurred)
        found[(family_id, kind)].append(
            (local.date().toordinal(), local.hour * 60 + local.minute, pk)
        )
    return found


# --- the book of appointments being planned --------------------------------------------------


@dataclass(eq=False, slots=True)
class Booking:
    """One appointment as planned, with who it is about and who is asked."""

    appointment: Appointment
    on: int
    children: tuple[int, ...] = ()
    members: tuple[int, ...] = ()
    professionals: tuple[int, ...] = ()
    workers: tuple[int, ...] = ()


class Book:
    """Every appointment planned so far, and who is busy when (so nobody is double-booked)."""

    def __init__(self, world: World):
        self.world = world
        self.bookings: list[Booking] = []
        self.busy: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
        self.used_entries: set[int] = set()

    def is_free(self, who: tuple, on: int, start: int, minutes: int) -> bool:
        end = start + minutes
        return all(end <= s or start >= e for s, e in self.busy.get((who, on), ()))

    def take(self, who: tuple, on: int, start: int, minutes: int) -> None:
        self.busy[(who, on)].append((start, start + minutes))

    def slot(self, on, minutes, *, family_id, worker_id, chaired, avoid_away, prefer=None):
        """The first time of day when the family, the worker and (for a chaired meeting) a
        reviewing officer are all free: (minutes after midnight, chair's post) or None."""
        world = self.world
        if avoid_away and worker_id and world.roster.is_away(worker_id, on):
            return None
        for start in ((prefer,) if prefer is not None else ()) + SLOTS:
            if not self.is_free(("f", family_id), on, start, minutes):
                continue
            if worker_id and not self.is_free(("w", worker_id), on, start, minutes):
                continue
            chair = None
            if chaired:
                chairs = world.chairs_on(on)
                if not chairs:
                    return None
                # The family's own reviewing officer first (by its place in the authority's
                # list: primary keys differ from one build to the next).
                first = world.number[family_id] % len(chairs)
                chair = next(
                    (
                        post
                        for post in chairs[first:] + chairs[:first]
                        if post.worker_id != worker_id
                        and self.is_free(("w", post.worker_id), on, start, minutes)
                    ),
                    None,
                )
                if chair is None:
                    continue
            return start, chair
        return None

    def add(self, booking: Booking, *, chair_id=None) -> Booking:
        a = booking.appointment
        start = timezone.localtime(a.start)
        minutes = start.hour * 60 + start.minute
        length = int((a.end - a.start).total_seconds() // 60)
        if a.family_id:
            self.take(("f", a.family_id), booking.on, minutes, length)
        for worker_id in {a.worker_id, chair_id} - {None}:
            self.take(("w", worker_id), booking.on, minutes, length)
        self.bookings.append(booking)
        return booking

    def entry_between(self, family_id: int, kind: str, low: int, high: int):
        """The chronology's record of a meeting of ``kind`` from ``low`` to ``high`` (days),
        not yet linked: (day, minutes, entry id) or None."""
        rows = self.world.entries.get((family_id, kind), ())
        index = bisect.bisect_left(rows, (low, -1, -1))
        while index < len(rows) and rows[index][0] <= high:
            if rows[index][2] not in self.used_entries:
                return rows[index]
            index += 1
        return None


def _where(family: CaseFamily, on: int, anchor: int | None = None):
    """(episode, team id, holding) of the family on the day, or on ``anchor`` when the day
    falls outside its episodes (a strategy discussion just before a plan began)."""
    for when in (on, anchor):
        if when is None:
            continue
        for episode in family.episodes:
            if episode.start <= when <= episode.end:
                team = episode.team_on(when) or episode.team_on(episode.start)
                if team is None and episode.teams:
                    team = episode.teams[0][0]
                if team is not None:
                    return episode, team, episode.holding_on(when)
    return None, None, None


def _place(kind: str, rng: random.Random, family_id: int, world: World) -> str:
    if kind in (Kind.ICPC, Kind.RCPC):
        return CIVIC_CENTRE.format(n=rng.randint(1, 4))
    if kind == Kind.STRATEGY_DISCUSSION:
        return ONLINE
    if kind == Kind.CIC_REVIEW:
        return rng.choice(["Foster placement", CIVIC_CENTRE.format(n=5)])
    if kind == Kind.HOME_VISIT:
        address = world.addresses.get(family_id, ("", ""))[0]
        return address.splitlines()[0] if address else "Family home"
    return rng.choice(["Family home", "Pod office", ONLINE])


def _invitees(world: World, family_id: int, kind: str):
    """The family's adults and the professionals around them asked to a meeting of ``kind``."""
    people = world.members.get(family_id, [])
    adults = [pk for pk, _p, rel, lives in people if rel != Rel.CHILD and lives]
    if kind == Kind.CIC_REVIEW:
        adults = [pk for pk, _p, rel, _l in people if rel in (Rel.MOTHER, Rel.FATHER)][:2]
    professionals = [pk for pk, _role in world.professionals.get(family_id, [])]
    if kind == Kind.STRATEGY_DISCUSSION:
        adults = []
        professionals = [
            pk
            for pk, role in world.professionals.get(family_id, [])
            if role in ("Public protection officer", "GP", "Health visitor")
        ]
    elif kind in (Kind.CIN_REVIEW, Kind.CIC_REVIEW):
        professionals = professionals[:2]
    return tuple(adults[:3]), tuple(professionals[:4])


# --- the chains of statutory meetings ---------------------------------------------------------


@dataclass(slots=True)
class Planned:
    """A statutory meeting planned on a day (before a time and people are found for it)."""

    kind: str
    on: int
    late: bool  # planned after its deadline: it needs a reason
    children: tuple[int, ...]
    anchor: int  # the day of the plan or status it belongs to
    outcome: str = ""
    entry: tuple[int, int, int] | None = None  # the chronology's record of it
    # Written even when before the year, as a later deadline counts from it (or counts it:
    # the first review of a chain has a clock of its own). Core groups after the first before
    # the year are not: nothing counts from them.
    keep: bool = True


def _spans(statuses, kind: str) -> list[tuple[int, int]]:
    """The days some child of the family had a status of ``kind``: merged intervals."""
    spans: list[list[int]] = []
    for start, end in sorted((s.start, s.end) for s in statuses if s.kind == kind):
        if spans and start <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]


def _groups(statuses, kind: str) -> list[tuple[int, int, tuple[int, ...]]]:
    """Statuses of ``kind`` beginning together (siblings at one conference): start, end,
    children."""
    groups: dict[int, tuple[int, list[int]]] = {}
    for s in statuses:
        if s.kind == kind:
            end, people = groups.get(s.start, (0, []))
            groups[s.start] = (max(end, s.end), [*people, s.person_id])
    return [(start, end, tuple(people)) for start, (end, people) in sorted(groups.items())]


class ChainPlanner:
    """One family's statutory meetings, day by day: in time mostly, late now and then."""

    def __init__(self, rng: random.Random, world: World, book: Book, family: CaseFamily):
        self.rng, self.world, self.book, self.family = rng, world, book, family
        self.cal = world.calendar
        self.horizon = world.last

    def working(self, on: int) -> int:
        """The working day on or before ``on``."""
        return self.cal.days[self.cal.on_or_before(on)]

    def after(self, on: int, number: int) -> int:
        return self.cal.add(on, number)

    def before(self, on: int, number: int) -> int:
        return self.cal.days[self.cal.on_or_after(on) - number]

    def is_late(self, kind: str) -> bool:
        return self.rng.random() < LATE[kind][0]

    def late_by(self, kind: str) -> int:
        return self.rng.randint(1, LATE[kind][1])

    def linked(self, kind: str, low: int, high: int) -> tuple[int, int, int] | None:
        found = self.book.entry_between(self.family.pk, kind, low, high)
        if found is not None:
            self.book.used_entries.add(found[2])
        return found

    def on_clock(self, kind, due, low, children, anchor, slack=8) -> Planned:
        """A meeting due by ``due`` (and not before ``low``): on the chronology's day for it
        when it has one in time, else a few working days before the deadline; or late."""
        if self.is_late(kind):
            return Planned(
                kind, self.after(self.working(due), self.late_by(kind)), True, children, anchor
            )
        entry = self.linked(kind, max(low, due - 45), min(due, self.world.today - 1))
        if entry is not None:
            return Planned(kind, entry[0], False, children, anchor, entry=entry)
        on = self.before(self.working(due), self.rng.randint(0, slack)) if due > low else due
        return Planned(kind, max(on, self.working(low)), False, children, anchor)

    # --- child protection ---

    def child_protection(self) -> list[Planned]:
        statuses = self.family.statuses
        spans = _spans(statuses, CP)
        groups, planned = [], []
        for start, end, people in _groups(statuses, CP):
            if groups and self.working(start) == self.working(groups[-1][0]):
                first, last, before = groups.pop()  # one conference for a weekend's plans
                start, end, people = first, max(last, end), before + people
            groups.append((start, end, people))
        icpcs = [self.working(start) for start, _end, _people in groups]
        for number, (start, _end, people) in enumerate(groups):
            span_end = next(b for a, b in spans if a <= start <= b)
            icpc = icpcs[number]
            following = icpcs[number + 1] - 1 if number + 1 < len(groups) else FOREVER
            end = min(span_end, following, self.horizon)
            planned += self._initial(icpc, people, start)
            if end < self.world.first:
                # Over before the year: nothing in it counts from them, but the statutory
                # returns report every plan's strategy discussion and conference.
                continue
            planned += self._core_groups(icpc, end, people)
            planned += self._reviews(icpc, end, people, ended=span_end if end == span_end else None)
        return planned

    def _initial(self, icpc: int, people, start: int) -> list[Planned]:
        """The strategy discussion that decided on a conference, and the conference: never
        before the referral (the enquiry is part of the episode: CIN rule 2889)."""
        rng = self.rng
        episode = _where(self.family, start)[0]
        referred = (
            self.working(icpc)
            if episode is None
            else self.cal.days[self.cal.on_or_after(episode.start)]
        )
        low = max(icpc - 30, referred)
        if self.is_late(Kind.ICPC):
            discussion = Planned(
                Kind.STRATEGY_DISCUSSION,
                max(referred, self.before(icpc, rng.randint(16, 22))),
                False,
                people,
                start,
            )
            late = True
        else:
            entry = self.linked(Kind.STRATEGY_DISCUSSION, max(low, self.before(icpc, 15)), icpc - 1)
            on = entry[0] if entry else max(referred, self.before(icpc, rng.randint(6, 14)))
            discussion = Planned(Kind.STRATEGY_DISCUSSION, on, False, people, start, entry=entry)
            late = False
        discussion.outcome = Appointment.Outcome.CONFERENCE
        entry = self.linked(Kind.ICPC, icpc, icpc)
        return [discussion, Planned(Kind.ICPC, icpc, late, people, start, entry=entry)]

    def _core_groups(self, icpc: int, end: int, people) -> list[Planned]:
        due = self.after(icpc, 10)
        first = self.on_clock(Kind.CORE_GROUP, due, self.after(icpc, 2), people, icpc, slack=6)
        planned = [first] if first.on <= end else []
        on = first.on
        while True:
            on = self.after(on, self.rng.randint(20, 30))
            if on > end:
                return planned
            entry = self.linked(Kind.CORE_GROUP, self.before(on, 5), on + 5)
            planned.append(
                Planned(
                    Kind.CORE_GROUP,
                    entry[0] if entry else on,
                    False,
                    people,
                    icpc,
                    entry=entry,
                    keep=False,
                )
            )
            on = planned[-1].on

    def _reviews(self, icpc: int, end: int, people, ended: int | None) -> list[Planned]:
        planned, last = [], icpc
        due = _months_after(icpc, 3)
        while True:
            review = self.on_clock(Kind.RCPC, due, self.after(last, 1), people, icpc)
            if review.on > end:
                break
            planned.append(review)
            last = review.on
            due = _months_after(last, 6)
        if ended is not None and ended < self.world.today:
            final = self.working(ended)
            if final > icpc and (not planned or planned[-1].on < final - 14):
                entry = self.linked(Kind.RCPC, final, final)
                planned.append(Planned(Kind.RCPC, final, False, people, icpc, entry=entry))
        return planned

    # --- looked after and child in need ---

    def looked_after(self) -> list[Planned]:
        planned = []
        for status in self.family.statuses:
            if status.kind != LAC or status.end < self.world.first:
                continue
            end, child = min(status.end, self.horizon), (status.person_id,)
            due, last, reviews = self.after(status.start, 20), status.start, []
            while True:
                review = self.on_clock(
                    Kind.CIC_REVIEW, due, self.after(last, 1), child, status.start
                )
                if review.on > end:
                    break
                reviews.append(review)
                last = review.on
                due = _months_after(last, 3 if len(reviews) == 1 else 6)
            planned += reviews
        return planned

    def child_in_need(self) -> list[Planned]:
        planned = []
        for start, span_end in _spans(self.family.statuses, CIN):
            end = min(span_end, self.horizon)
            if end < self.world.first:
                continue
            people = tuple(
                s.person_id for s in self.family.statuses if s.kind == CIN and s.start == start
            )
            stepped_down = any(
                s.kind in (CP, LAC) and s.end == start - 1 for s in self.family.statuses
            )
            # An enquiry that found no conference needed, before a plan: never on stepping
            # down from a child protection plan or care, where there is nothing to enquire into.
            if start >= self.world.first and self.rng.random() < 0.2 and not stepped_down:
                planned.append(
                    Planned(
                        Kind.STRATEGY_DISCUSSION,
                        self.before(start, self.rng.randint(3, 8)),
                        False,
                        people,
                        start,
                        outcome=Appointment.Outcome.NO_CONFERENCE,
                    )
                )
            due, last, reviews = _months_after(start, 3), start, []
            while True:
                review = self.on_clock(Kind.CIN_REVIEW, due, self.after(last, 1), people, start)
                if review.on > end:
                    break
                reviews.append(review)
                last = review.on
                due = _months_after(last, 3)
            planned += reviews
        return planned


def _until(end: int) -> datetime.date | None:
    return None if end == FOREVER else day(end)


def _months_after(ordinal: int, months: int) -> int:
    return clocks.months_after(day(ordinal), months).toordinal()


def plan_statutory(rng: random.Random, world: World, book: Book, family: CaseFamily) -> None:
    """Plan the family's statutory meetings and book those the year (and the four weeks
    ahead) hold, with the clock and deadline each answers."""
    if not family.statuses:
        return
    planner = ChainPlanner(rng, world, book, family)
    planned = planner.child_protection() + planner.looked_after() + planner.child_in_need()
    wanted = []
    for item in sorted(planned, key=lambda p: (p.on, p.kind)):
        if item.on > world.last or (item.on < world.first and not item.keep):
            continue
        wanted.append(item)
    record = clocks._Record(
        statuses=[
            clocks._Status(s.person_id, s.kind, day(s.start), _until(s.end))
            for s in family.statuses
            if s.kind in (CP, LAC, CIN)
        ],
        held=[],
        planned=[],
    )
    skipped: set[tuple[str, tuple[int, ...]]] = set()
    for item in wanted:
        key = (item.kind, item.children if item.kind == Kind.CIC_REVIEW else ())
        future = item.on >= world.today
        if future and key in skipped:
            continue
        if future and _leave_unbooked(rng, world, family, item):
            skipped.add(key)
            continue
        booking = _book_meeting(rng, world, book, family, item, record)
        if booking is not None:
            meeting = clocks._Meeting(
                booking.appointment,
                day(booking.on),
                frozenset(booking.children) if item.kind == Kind.CIC_REVIEW else frozenset(),
            )
            (record.held if booking.appointment.status == Status.HELD else record.planned).append(
                meeting
            )


def _leave_unbooked(rng, world: World, family: CaseFamily, item: Planned) -> bool:
    """Whether a meeting due in the weeks ahead is left for business support to book: a
    few in every pod, more in the demo pod so that its BSO has some to do."""
    if item.kind == Kind.CORE_GROUP:
        return False
    _e, team, _h = _where(family, world.today)
    return rng.random() < (0.3 if team == world.demo_pod else 0.15)


def deadline(record, kind: str, children, on: datetime.date):
    """What ``clocks.deadline_for`` answers for a meeting of ``kind`` on ``on``, from a
    family's record held in memory (the meetings planned before it), with no query."""
    answers = [
        running
        for running in clocks._running(record, until=on, on=on)
        if running.kind == kind and (kind != Kind.CIC_REVIEW or running.child_id in children)
    ]
    if not answers:
        return None
    nearest = min(answers, key=lambda r: r.due or datetime.date.max)
    return nearest.clock, nearest.due


def _book_meeting(rng, world: World, book: Book, family: CaseFamily, item: Planned, record):
    """Book a planned meeting at a time its worker, the family and (for a conference or
    review) a reviewing officer are free, near its day, with the clock and deadline it
    answers given the family's meetings before it; held when it is in the past. None when
    no time can be found ahead (business support will book it) or no clock runs for it."""
    _episode, team, holding = _where(family, item.on, item.anchor)
    if team is None:
        return None
    worker_id = holding.worker_id if holding else None
    if worker_id is None:
        there = [p for p in world.roster.in_post(team, item.on)]
        worker_id = there[world.number[family.pk] % len(there)].worker_id if there else None
    minutes = MINUTES[item.kind]
    chaired = item.kind in Appointment.CHAIRED_KINDS
    future = item.on >= world.today
    on, found = item.on, None
    prefer = item.entry[1] if item.entry else None
    for shift in (0, -1, 1, -2, 2, -3):
        if item.kind == Kind.ICPC or item.entry:
            shift_day = on if shift == 0 else None
        else:
            shift_day = _shift(world.calendar, on, shift)
        if shift_day is None or (shift_day >= world.today) != future:
            continue  # a meeting of the past stays in the past, and one ahead ahead
        found = book.slot(
            shift_day,
            minutes,
            family_id=family.pk,
            worker_id=worker_id,
            chaired=chaired,
            avoid_away=future,
            prefer=prefer,
        )
        if found is not None:
            on = shift_day
            break
    if found is None:  # the past is as it was; ahead, business support will find a time
        chairs = world.chairs_on(on)
        if future or (chaired and not chairs):
            return None
        found = (SLOTS[0], chairs[world.number[family.pk] % len(chairs)] if chaired else None)
    start_minutes, chair = found
    answer = deadline(record, item.kind, set(item.children), day(on))
    if answer is None and item.kind != Kind.STRATEGY_DISCUSSION:
        return None
    clock, due = answer or ("", None)
    late_reason = ""
    if due is not None and day(on) > due:
        late_reason = rng.choice(LATE_REASONS.get(item.kind, LATE_REASONS[None]))
    start = moment(on, start_minutes)
    lead = rng.randint(0, 1) if item.kind == Kind.STRATEGY_DISCUSSION else rng.randint(3, 12)
    booked_on = min(world.calendar.before(on, lead), world.today - 1)
    booked_by = world.booker(team, booked_on, worker_id, chair)
    if booked_by is None:
        return None
    created = min(
        world.now,
        start - datetime.timedelta(hours=1),
        moment(booked_on, rng.randrange(540, 1000, 5)),
    )
    appointment = Appointment(
        family_id=family.pk,
        team_id=team,
        kind=item.kind,
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        place=_place(item.kind, rng, family.pk, world),
        worker_id=worker_id,
        chair_id=chair.worker_id if chair else None,
        status=Status.PLANNED if future else Status.HELD,
        clock=clock,
        due=due,
        late_reason=late_reason,
        outcome=item.outcome if not future else "",
        entry_id=item.entry[2] if item.entry and item.entry[0] == on else None,
        booked_by_id=booked_by,
        created=created,
    )
    members, professionals = _invitees(world, family.pk, item.kind)
    workers = tuple(w for w in (worker_id, appointment.chair_id) if w)
    if item.kind == Kind.ICPC:
        manager = world.manager(team, on)
        if manager and manager.worker_id not in workers:
            workers += (manager.worker_id,)
    return book.add(
        Booking(appointment, on, item.children, members, professionals, workers),
        chair_id=appointment.chair_id,
    )


def _appointment(*, kind: str, start: datetime.datetime, **fields) -> Appointment:
    """An appointment of ``kind`` from ``start``, as long as that kind of meeting lasts."""
    end = start + datetime.timedelta(minutes=MINUTES[kind])
    return Appointment(kind=kind, start=start, end=end, **fields)


def _shift(calendar: Calendar, on: int, shift: int) -> int:
    index = calendar.on_or_before(on) + shift
    return calendar.days[index]


# --- visits -------------------------------------------------------------------------------------


def visits_from_entries(rng: random.Random, world: World, book: Book) -> None:
    """The chronology's home visits as held appointments: the demo pod's families' for the
    year, every family's for the last four weeks."""
    demo_families = {
        f.pk
        for f in world.families
        for e in f.episodes
        for team, start, end in e.teams
        if team == world.demo_pod and start <= world.today and end >= world.first
    }
    recent = day(world.today - AHEAD)
    visits = Entry.objects.filter(kind=Entry.Kind.HOME_VISIT).filter(
        Q(occurred__date__gte=recent)
        | Q(family_id__in=sorted(demo_families), occurred__date__gte=day(world.first))
    )
    seen = defaultdict(list)
    for entry_id, person_id in (
        ChildSeen.objects.filter(entry__in=visits)
        .values_list("entry_id", "person_id")
        .order_by("entry_id", "person_id")
    ):
        seen[entry_id].append(person_id)
    by_family = {f.pk: f for f in world.families}
    rows = visits.values_list("pk", "family_id", "occurred", "author_id").order_by("occurred", "pk")
    for entry_id, family_id, occurred, author_id in rows.iterator(chunk_size=20_000):
        local = timezone.localtime(occurred)
        on = local.date().toordinal()
        family = by_family[family_id]
        _episode, team, _holding = _where(family, on)
        worker_id = world.user_worker.get(author_id)
        if team is None or worker_id is None:
            continue
        minutes = rng.choice((45, 60, 60, 75, 90))
        start = occurred
        appointment = Appointment(
            family_id=family_id,
            team_id=team,
            kind=Kind.HOME_VISIT,
            start=start,
            end=start + datetime.timedelta(minutes=minutes),
            place=_place(Kind.HOME_VISIT, rng, family_id, world),
            worker_id=worker_id,
            status=Status.HELD,
            entry_id=entry_id,
            booked_by_id=author_id,
            created=moment(on - rng.randint(2, 12), rng.randrange(540, 1000, 5)),
        )
        book.add(Booking(appointment, on, tuple(seen.get(entry_id, ()))))


def book_ahead(rng: random.Random, world: World, book: Book, held: dict[int, list]) -> None:
    """The four weeks ahead: visits on every child's visit clock, a professionals meeting in
    each pod, everyone's 1:1 supervision, and in the demo pod a strategy discussion of last
    week whose conference is still to book."""
    _visits_ahead(rng, world, book)
    for pod in sorted(world.pods):
        _professionals_meeting(rng, world, book, pod, held.get(pod, []))
        _supervision(rng, world, book, pod)
    if world.demo_pod is not None:
        _strategy_to_follow_up(rng, world, book, world.demo_pod, held.get(world.demo_pod, []))


def _last_seen() -> dict[int, int]:
    """The day each child was last seen on a final home visit (onestory.timeliness's rule)."""
    rows = (
        ChildSeen.objects.filter(
            entry__kind=Entry.Kind.HOME_VISIT, entry__status=Entry.Status.FINAL
        )
        .values("person_id")
        .annotate(last=Max("entry__occurred"))
        .values_list("person_id", "last")
        .order_by()
    )
    return {
        person_id: timezone.localtime(last).date().toordinal()
        for person_id, last in rows.iterator(chunk_size=50_000)
    }


def _visits_ahead(rng: random.Random, world: World, book: Book) -> None:
    t, cal = world.today, world.calendar
    last_seen = _last_seen()
    for family in world.families:
        if not family.is_open:
            continue
        _episode, team, holding = _where(family, t)
        if team not in world.pods or holding is None or holding.worker_id is None:
            continue
        current = [s for s in family.statuses if s.covers(t) and s.kind in (CP, LAC, CIN)]
        if not current:
            continue
        dues = []
        for status in current:
            since = max(last_seen.get(status.person_id, 0), status.start)
            dues.append((visit_due_date(status.kind, day(since)).toordinal(), status.kind))
        due, kind = min(dues)
        on = t + rng.randint(0, 2) if due < t else max(t, due - rng.randint(0, 4))
        while True:
            on = cal.days[cal.on_or_after(on)]
            if on > world.last:
                break
            found = book.slot(
                on,
                MINUTES[Kind.HOME_VISIT],
                family_id=family.pk,
                worker_id=holding.worker_id,
                chaired=False,
                avoid_away=True,
            )
            if found is not None:
                children = _visit_children(family, t)
                _visit(
                    rng,
                    world,
                    book,
                    family,
                    team,
                    holding.worker_id,
                    holding.user_id,
                    on,
                    found[0],
                    children,
                )
            following = visit_due_date(kind, day(on)).toordinal()
            on = max(on + 1, following - rng.randint(0, 3))


def _visit_children(family: CaseFamily, on: int) -> tuple[int, ...]:
    """The children a visit is for: those with a plan or in care, else all of them."""
    planned = [s.person_id for s in family.statuses if s.covers(on) and s.kind in (CP, LAC, CIN)]
    return tuple(dict.fromkeys(planned)) or tuple(m.person_id for m in family.children)


def _visit(rng, world, book, family, team, worker_id, user_id, on, minutes, children) -> None:
    """A home visit booked ahead by the worker."""
    start = moment(on, minutes)
    book.add(
        Booking(
            _appointment(
                family_id=family.pk,
                team_id=team,
                kind=Kind.HOME_VISIT,
                start=start,
                place=_place(Kind.HOME_VISIT, rng, family.pk, world),
                worker_id=worker_id,
                booked_by_id=user_id,
                created=moment(world.today - rng.randint(1, 10), rng.randrange(540, 1000, 5)),
            ),
            on,
            children,
        )
    )


def _held_today(world: World) -> dict[int, list]:
    """Each pod's open families today with who holds them, in primary-key order."""
    found = defaultdict(list)
    for family in world.families:
        if family.is_open:
            _e, team, holding = _where(family, world.today)
            if team in world.pods and holding is not None and holding.worker_id is not None:
                found[team].append((family, holding))
    return found


def _professionals_meeting(rng, world: World, book: Book, pod: int, held: list) -> None:
    """A professionals meeting in the next few weeks for one of the pod's families with
    professionals around it (those with the most first), when its worker is free."""
    t = world.today
    candidates = [(f, h) for f, h in held if world.professionals.get(f.pk)]
    rng.shuffle(candidates)
    candidates.sort(key=lambda fh: -min(2, len(world.professionals[fh[0].pk])))
    for family, holding in candidates[:8]:
        for offset in range(3, 15):
            on = world.calendar.days[world.calendar.on_or_after(t + offset)]
            found = book.slot(
                on,
                MINUTES[Kind.PROFESSIONALS_MEETING],
                family_id=family.pk,
                worker_id=holding.worker_id,
                chaired=False,
                avoid_away=True,
            )
            if found is None:
                continue
            start = moment(on, found[0])
            _members, professionals = _invitees(world, family.pk, Kind.CORE_GROUP)
            book.add(
                Booking(
                    _appointment(
                        family_id=family.pk,
                        team_id=pod,
                        kind=Kind.PROFESSIONALS_MEETING,
                        start=start,
                        place=ONLINE,
                        worker_id=holding.worker_id,
                        notes="To share what each of us knows before the review.",
                        booked_by_id=world.bso_user(pod, t - 1) or holding.user_id,
                        created=moment(t - rng.randint(1, 6), rng.randrange(540, 1000, 5)),
                    ),
                    on,
                    tuple(m.person_id for m in family.children),
                    (),
                    professionals,
                    (holding.worker_id,),
                )
            )
            return


def _supervision(rng, world: World, book: Book, pod: int) -> None:
    """Each member's next 1:1 with the pod manager, in the four weeks ahead."""
    t, cal = world.today, world.calendar
    manager = world.manager(pod, t)
    if manager is None:
        return
    members = [
        p
        for p in world.roster.in_post(pod, t, tuple(Role))
        if p.worker_id != manager.worker_id and p.end >= world.last
    ]
    for post in members:
        for _attempt in range(4):
            on = cal.days[cal.on_or_after(t + rng.randint(1, AHEAD - 1))]
            if on > world.last or world.roster.is_away(manager.worker_id, on):
                continue
            start_minutes = rng.choice((570, 660, 840, 900))
            who = (("w", post.worker_id), ("w", manager.worker_id))
            minutes = MINUTES[Kind.SUPERVISION]
            if not all(book.is_free(w, on, start_minutes, minutes) for w in who):
                continue
            if world.roster.is_away(post.worker_id, on):
                continue
            start = moment(on, start_minutes)
            book.add(
                Booking(
                    Appointment(
                        team_id=pod,
                        kind=Kind.SUPERVISION,
                        start=start,
                        end=start + datetime.timedelta(minutes=minutes),
                        place=f"{world.pods[pod]} office",
                        worker_id=post.worker_id,
                        booked_by_id=manager.user_id,
                        created=moment(t - rng.randint(5, 25), rng.randrange(540, 1000, 5)),
                    ),
                    on,
                    workers=(post.worker_id, manager.worker_id),
                )
            )
            book.take(("w", manager.worker_id), on, start_minutes, minutes)
            break


def _strategy_to_follow_up(rng, world: World, book: Book, pod: int, held: list) -> None:
    """A strategy discussion a few working days ago that decided a conference is needed, for
    a family with no child protection plan yet: the ICPC is for business support to book."""
    t = world.today
    held_on = world.calendar.before(t, 3)
    candidates = [
        (f, h)
        for f, h in held
        if f.children
        and not any(s.kind == CP and s.end >= held_on - 60 for s in f.statuses)
        and not world.roster.is_away(h.worker_id, held_on)
        and world.user_worker.get(h.user_id) == h.worker_id
    ]
    if not candidates:
        return
    family, holding = candidates[rng.randrange(len(candidates))]
    found = book.slot(
        held_on,
        MINUTES[Kind.STRATEGY_DISCUSSION],
        family_id=family.pk,
        worker_id=holding.worker_id,
        chaired=False,
        avoid_away=False,
    )
    start_minutes = found[0] if found else SLOTS[0]
    start = moment(held_on, start_minutes)
    children = tuple(m.person_id for m in family.children if m.is_child_on(held_on))
    names = " and ".join(m.first_name for m in family.children if m.person_id in children)
    entry = as_written(
        Entry(
            family_id=family.pk,
            kind=Entry.Kind.STRATEGY,
            occurred=start,
            what_happened=(
                f"Strategy discussion with the police and health after new worries about "
                f"{names}. Agreed that a child protection enquiry should begin and that an "
                "initial child protection conference is needed."
            ),
            next_steps="Business support to book the initial conference within 15 working days.",
            author_id=holding.user_id,
            status=Entry.Status.FINAL,
            created=start + datetime.timedelta(hours=2),
            updated=start + datetime.timedelta(hours=2),
        ),
        world.users[holding.user_id],
        start + datetime.timedelta(hours=2),
    )
    entry = save_all(Entry, [entry])[0]
    _members, professionals = _invitees(world, family.pk, Kind.STRATEGY_DISCUSSION)
    book.add(
        Booking(
            _appointment(
                family_id=family.pk,
                team_id=pod,
                kind=Kind.STRATEGY_DISCUSSION,
                start=start,
                place=ONLINE,
                worker_id=holding.worker_id,
                status=Status.HELD,
                outcome=Appointment.Outcome.CONFERENCE,
                entry_id=entry.pk,
                booked_by_id=world.bso_user(pod, held_on) or holding.user_id,
                created=moment(held_on, 9 * 60),
            ),
            held_on,
            children,
            (),
            professionals,
            (holding.worker_id,),
        )
    )


# --- the worker away ------------------------------------------------------------------------------


@dataclass
class Away:
    worker_id: int
    user_id: int
    pod: int
    start: int
    end: int


def choose_away_worker(rng, world: World, book: Book, held: list) -> Away | None:
    """A social worker of the demo pod, not a demo sign-in, holding families, with the most
    appointments booked in the next few working days and no recording on the last working
    day, off sick from it (so the calls since wait for them) to a few working days ahead; with
    at least ``TO_COVER`` appointments in that time, booked before they fell ill."""
    pod, t, cal = world.demo_pod, world.today, world.calendar
    if pod is None:
        return None
    start = cal.before(t, 1)
    end = cal.add(t, 3)
    booked = defaultdict(int)
    for booking in book.bookings:
        a = booking.appointment
        if a.status == Status.PLANNED and a.team_id == pod and t <= booking.on <= end:
            booked[a.worker_id] += 1
    recorded = set(
        Entry.objects.filter(occurred__date=day(start)).values_list("author_id", flat=True)
    )
    candidates = [
        post
        for post in world.roster.in_post(pod, t, (Role.SOCIAL_WORKER, Role.SENIOR_SOCIAL_WORKER))
        if world.users[post.user_id].username not in SIGN_INS
        and post.end >= end
        and not any(world.roster.is_away(post.worker_id, d) for d in range(start, end + 1))
        and sum(1 for _f, h in held if h.worker_id == post.worker_id) >= 2
    ]
    if not candidates:
        return None
    candidates.sort(key=lambda p: (p.user_id in recorded, -booked[p.worker_id], p.worker_id))
    post = candidates[0]
    if post.user_id in recorded:
        start = t  # they were at work yesterday: off from today
    families = [f for f, h in held if h.worker_id == post.worker_id]
    days = cal.days[cal.on_or_after(t) : cal.on_or_before(end) + 1]
    for number in range(max(0, TO_COVER - booked[post.worker_id])):
        family = families[number % len(families)]
        for on in days[number % len(days) :] + days[: number % len(days)]:
            found = book.slot(
                on,
                MINUTES[Kind.HOME_VISIT],
                family_id=family.pk,
                worker_id=post.worker_id,
                chaired=False,
                avoid_away=False,
            )
            if found is not None:
                _visit(
                    rng,
                    world,
                    book,
                    family,
                    pod,
                    post.worker_id,
                    post.user_id,
                    on,
                    found[0],
                    _visit_children(family, t),
                )
                break
    world.roster.away[post.worker_id].append((start, end))
    return Away(post.worker_id, post.user_id, pod, start, end)


# --- writing ----------------------------------------------------------------------------------


def write(rng: random.Random, world: World, book: Book) -> dict[str, int]:
    bookings = sorted(
        book.bookings, key=lambda b: (b.appointment.start, b.appointment.family_id or 0)
    )
    appointments = [
        as_written(b.appointment, world.users[b.appointment.booked_by_id], b.appointment.created)
        for b in bookings
    ]
    appointments = save_all(Appointment, appointments)
    through = Appointment.children.through
    through.objects.bulk_create(
        [
            through(appointment_id=a.pk, person_id=person)
            for a, b in zip(appointments, bookings, strict=True)
            for person in b.children
        ],
        batch_size=5000,
    )
    letters = _letters(rng, world, bookings)
    invitations = []
    for b in bookings:
        a = b.appointment
        if b.on < world.first:
            continue  # the meetings before the year are there for their clocks
        for worker_id in b.workers:
            invitations.append(_invitation(rng, world, b, worker_id=worker_id))
        for member in b.members:
            invitations.append(
                _invitation(rng, world, b, member_id=member, letter=letters.get((a.pk, member)))
            )
        for professional in b.professionals:
            invitations.append(_invitation(rng, world, b, professional_id=professional))
    save_all(Invitation, invitations)
    t = world.today
    held = [b for b in bookings if b.appointment.status == Status.HELD]
    return {
        "appointments": len(appointments),
        "held in the year": sum(1 for b in held if b.on >= world.first),
        "booked ahead": len(bookings) - len(held),
        "statutory meetings late with a reason": sum(
            1 for b in held if b.appointment.late_reason and b.on >= world.first
        ),
        "invitations": len(invitations),
        "letters": len(letters),
        "appointments today": sum(1 for b in bookings if b.on == t),
    }


def _invitation(rng, world: World, booking: Booking, letter=None, **person) -> Invitation:
    a = booking.appointment
    held = a.status == Status.HELD
    is_worker = "worker_id" in person
    sent = a.created + datetime.timedelta(hours=rng.randint(1, 30))
    if held:
        luck = rng.random()
        state = (
            State.ATTENDED
            if is_worker or luck < 0.8
            else State.DID_NOT_ATTEND
            if luck < 0.9
            else State.SENT
        )
    elif is_worker:
        state = State.ACCEPTED
    elif booking.on <= world.calendar.add(world.today, 5) or rng.random() < 0.4:
        state = State.ACCEPTED if "professional_id" in person and rng.random() < 0.5 else State.SENT
    else:
        state, sent = State.TO_SEND, None
    if sent is not None:
        sent = min(sent, a.start, world.now)
    invitation = Invitation(appointment=a, state=state, sent=sent, letter=letter, **person)
    return as_written(invitation, world.users[a.booked_by_id], sent or a.created)


def _letters(rng, world: World, bookings: list[Booking]) -> dict[tuple[int, int], Letter]:
    """The invitation letters posted to the family's adults for the last eight weeks'
    conferences and reviews, each recorded in the chronology."""
    first = world.today - 7 * LETTER_WEEKS
    kinds = {
        Kind.ICPC: Letter.Kind.CONFERENCE_INVITATION,
        Kind.RCPC: Letter.Kind.CONFERENCE_INVITATION,
        Kind.CIC_REVIEW: Letter.Kind.REVIEW_INVITATION,
        Kind.CIN_REVIEW: Letter.Kind.REVIEW_INVITATION,
    }
    names = {
        pk: (first_name, last_name)
        for pk, first_name, last_name in FamilyMember.objects.filter(
            pk__in=[m for b in bookings if first <= b.on < world.today for m in b.members]
        ).values_list("pk", "person__first_name", "person__last_name")
    }
    planned, entries = [], []
    for b in bookings:
        a = b.appointment
        if not (first <= b.on < world.today and a.kind in kinds and a.status == Status.HELD):
            continue
        address, postcode = world.addresses.get(a.family_id, ("", ""))
        if not address:
            continue
        local = timezone.localtime(a.start)
        what = Kind(a.kind).label.lower()
        sent = min(world.now, a.created + datetime.timedelta(hours=rng.randint(2, 20)))
        for member in b.members:
            name = " ".join(names.get(member, ("", ""))).strip()
            if not name:
                continue
            body = (
                f"Dear {name},\n\nYou are invited to the {what} on {local:%A %-d %B %Y} at "
                f"{local:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")
                + f", at {a.place}.\n\nIt is a meeting about how the children are and what "
                "help the family needs. You can bring someone with you. If you cannot come, "
                "please ring us and we will find another way for you to take part."
            )
            letter = Letter(
                family_id=a.family_id,
                appointment=a,
                kind=kinds[a.kind],
                to_name=name,
                to_address=f"{address}\n{postcode}".strip(),
                member_id=member,
                body=body,
                status=Letter.Status.SENT,
                sent_by=Letter.SentBy.POST,
                sent=sent,
                created_by_id=a.booked_by_id,
                created=sent - datetime.timedelta(minutes=20),
            )
            user = world.users[a.booked_by_id]
            entries.append(
                as_written(
                    Entry(
                        family_id=a.family_id,
                        kind=Entry.Kind.LETTER,
                        occurred=sent,
                        what_happened=(
                            f"{Letter.Kind(letter.kind).label} sent to {name} by post: the "
                            f"{what} on {local:%-d %B %Y}."
                        ),
                        author_id=a.booked_by_id,
                        status=Entry.Status.FINAL,
                        created=sent,
                        updated=sent,
                    ),
                    user,
                    sent,
                )
            )
            planned.append(((a.pk, member), as_written(letter, user, sent)))
    entries = save_all(Entry, entries)
    for (_key, letter), entry in zip(planned, entries, strict=True):
        letter.entry_id = entry.pk
    saved = save_all(Letter, [letter for _key, letter in planned])
    return {key: letter for (key, _l), letter in zip(planned, saved, strict=True)}


# --- calls --------------------------------------------------------------------------------------


def _voice(world: World, family: CaseFamily) -> dict[str, str]:
    adults = [m for m in family.adults if m.lives_in_household] or family.adults
    carer = adults[0] if adults else None
    role = {Rel.MOTHER: "mum", Rel.FATHER: "dad", Rel.GRANDPARENT: "grandparent"}.get(
        carer.relationship if carer else "", "carer"
    )
    school = family.agency("Designated safeguarding lead")
    return {
        "carer": f"{carer.first_name} {carer.last_name}" if carer else "The foster carer",
        "role": role,
        "school": f"{school} (the school office)" if school else "The school office",
    }


def write_calls(rng: random.Random, world: World, away: Away | None) -> dict[str, int]:
    """A year of calls taken while the family's worker was out, and the calls waiting now."""
    calls, entries = [], []  # entries: (call index or None, Entry)
    cal, t = world.calendar, world.today
    for family in world.families:
        for episode in family.episodes:
            for holding in episode.holdings:
                if holding.worker_id is None:
                    continue
                start, end = max(holding.start, world.first), min(holding.end, t - 2)
                if start > end:
                    continue
                expected = CALLS_PER_YEAR * cal.count(start, end) / 253
                number = int(expected) + (rng.random() < expected - int(expected))
                for _ in range(number):
                    on = cal.days[rng.randint(cal.on_or_after(start), cal.on_or_before(end))]
                    _old_call(rng, world, family, episode, holding, on, calls, entries)
    waiting = _calls_waiting(rng, world, away, calls, entries)
    saved_entries = save_all(Entry, [entry for _n, entry in entries])
    for (number, _entry), saved in zip(entries, saved_entries, strict=True):
        if number is not None:
            calls[number].entry_id = saved.pk
    save_all(CallTaken, calls)
    counts = {"calls taken": len(calls), "calls waiting": waiting}
    if away is not None:
        absence = Absence(
            worker_id=away.worker_id,
            kind=Absence.Kind.SICKNESS,
            start=day(away.start),
            end=day(away.end),
        )
        save_all(Absence, [as_written(absence, None, moment(away.start, 8 * 60 + 30))])
        counts["appointments to cover"] = Appointment.objects.filter(
            worker_id=away.worker_id,
            status=Status.PLANNED,
            start__date__gte=day(t),
            start__date__lte=day(away.end),
        ).count()
    return counts


def _call(world, family, on, minutes, worker_id, taker, caller, message, urgent):
    received = moment(on, minutes)
    worker_user = world.worker_user[worker_id]
    call = CallTaken(
        family_id=family.pk,
        caller=caller,
        received=received,
        message=message,
        urgent=urgent,
        for_worker_id=worker_id,
        taken_by_id=taker,
        pick_up_by=day(world.calendar.add(on, 1)),
    )
    text = call_entry_text(
        taker=world.roster.name(taker),
        worker=world.roster.name(worker_user),
        caller=caller,
        message=message,
        urgent=urgent,
    )
    entry = Entry(
        family_id=family.pk,
        kind=Entry.Kind.CONTACT,
        occurred=received,
        what_happened=text,
        author_id=taker,
        status=Entry.Status.FINAL,
        created=received,
        updated=received,
    )
    return (
        call,
        as_written(call, world.users[taker], received),
        as_written(entry, world.users[taker], received),
    )


def _old_call(rng, world, family, episode: CaseEpisode, holding, on, calls, entries) -> None:
    team = episode.team_on(on)
    taker = world.bso_user(team, on) if team in world.pods else None
    if taker is None or holding.worker_id not in world.worker_user:
        return
    caller, message = rng.choice(CALLERS)
    voice = _voice(world, family)
    minutes = rng.randrange(540, 990, 5)
    call, _c, entry = _call(
        world, family, on, minutes, holding.worker_id, taker, caller.format(**voice), message, False
    )
    if rng.random() < CALLED_BACK_IN_TIME:
        back_on = on if minutes < 900 and rng.random() < 0.6 else world.calendar.add(on, 1)
    else:
        back_on = world.calendar.add(on, rng.randint(2, 4))
    back_minutes = rng.randrange(max(minutes + 30, 560) if back_on == on else 540, 1050, 5)
    picked_up = min(world.now, moment(back_on, back_minutes))
    picker = holding.user_id
    call.picked_up_by_id = picker
    call.picked_up = picked_up
    call.called_back = picked_up + datetime.timedelta(minutes=rng.randint(2, 40))
    call.call_back_note = rng.choice(CALL_BACK_NOTES)
    if call.called_back > world.now:
        call.called_back, call.call_back_note = None, ""
    entries.append((len(calls), entry))
    calls.append(as_written(call, world.users[picker], call.picked_up))
    if call.called_back:
        entries.append(
            (
                None,
                as_written(
                    Entry(
                        family_id=family.pk,
                        kind=Entry.Kind.CONTACT,
                        occurred=call.called_back,
                        what_happened=(
                            f"Called back by {world.roster.name(picker)} about the call from "
                            f"{call.caller}: {call.call_back_note}"
                        ),
                        author_id=picker,
                        status=Entry.Status.FINAL,
                        created=call.called_back,
                        updated=call.called_back,
                    ),
                    world.users[picker],
                    call.called_back,
                ),
            )
        )


def _calls_waiting(rng, world: World, away: Away | None, calls, entries) -> int:
    """Calls since the last working day for workers away today, not yet picked up: three for
    the demo pod's worker off sick (one urgent), and now and then one in the other pods."""
    t = world.today
    yesterday = world.calendar.before(t, 1)
    count, waiting = 0, defaultdict(int)
    for family in world.families:
        if not family.is_open:
            continue
        _e, team, holding = _where(family, t)
        if team not in world.pods or holding is None or holding.worker_id is None:
            continue
        is_away = world.roster.is_away(holding.worker_id, t)
        mine = away is not None and holding.worker_id == away.worker_id
        if not is_away or (not mine and rng.random() > 0.15):
            continue
        taker = world.bso_user(team, yesterday)
        if taker is None:
            continue
        already = waiting[holding.worker_id]
        if already >= (3 if mine else 1):
            continue
        urgent = mine and already == 0
        caller, message = URGENT_CALL if urgent else rng.choice(CALLERS)
        call, written, entry = _call(
            world,
            family,
            yesterday,
            rng.randrange(600, 990, 5),
            holding.worker_id,
            taker,
            caller.format(**_voice(world, family)),
            message,
            urgent,
        )
        entries.append((len(calls), entry))
        calls.append(written)
        waiting[holding.worker_id] += 1
        count += 1
    return count


def _analyze(*models) -> None:
    """Planner statistics for the tables just filled (see onestory.demo._analyze)."""
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
