"""Step 2, the chronology, written: ``Recorder`` turns a family's planned entries into what a
worker would have recorded (who wrote it, which children were seen and how, the words, a draft
now and then, a student's countersignature), and ``write_chronologies`` plans every family,
shares out the calls, messages, direct work and meetings so the whole comes to about
``ENTRIES_PER_SCALE`` at scale 1 (one family the demo social worker holds getting at least
``LONG_FAMILY_ENTRIES``, for the benchmark), and writes them a batch at a time."""

from __future__ import annotations

import datetime
import random

from onestory.demo.chronology import DRAFT_DAYS, FILL, FamilyChronology, Planned
from onestory.demo.saving import BATCH, as_written, save_all
from onestory.demo.world import (
    COUNTERSIGNERS,
    CP,
    FOREVER,
    LAC,
    CaseFamily,
    Member,
    Role,
    Setting,
    moment,
)
from onestory.demo.writing import Voice
from onestory.models import ChildSeen, Entry

ENTRIES_PER_SCALE = 100_000
LONG_FAMILY_ENTRIES = 1_000
ORDINARY_MOST = 800  # entries in any other family, so the long one is the only thousand
LONG_FILL = [("contact", 75), ("direct_work", 15), ("meeting", 10)]
A_YEAR = 253  # working days
Kind = Entry.Kind
TOPIC_KIND = {
    "visit": Kind.HOME_VISIT,
    "direct_work": Kind.DIRECT_WORK,
    "contact": Kind.CONTACT,
    "meeting": Kind.MEETING,
    "significant": Kind.SIGNIFICANT_EVENT,
    "referral": Kind.CONTACT,
    "handover": Kind.MEETING,
    "closure": Kind.CONTACT,
    "strategy": Kind.STRATEGY,
    "icpc": Kind.CONFERENCE,
    "cp_review": Kind.CONFERENCE,
    "cp_end": Kind.CONFERENCE,
    "core_group": Kind.MEETING,
    "cin_start": Kind.MEETING,
    "cin_review": Kind.MEETING,
    "lac_start": Kind.SIGNIFICANT_EVENT,
    "lac_review": Kind.MEETING,
    "legal_planning": Kind.MEETING,
    "proceedings": Kind.SIGNIFICANT_EVENT,
}
SIGNIFICANT = {"significant", "icpc", "lac_start", "proceedings"}


class Recorder:
    """One family's planned entries, as recorded."""

    def __init__(self, story: FamilyChronology):
        self.family, self.s, self.visit_kinds = story.family, story.s, story.visit_kinds

    def entries(self, rng: random.Random, planned: list[Planned]):
        """(Entry, children seen) for each planned entry someone could write, in time order."""
        voice = Voice(self.family)
        planned = sorted(planned, key=lambda p: (p.day, p.topic))
        last_visit = max((p.day for p in planned if p.topic == "visit"), default=None)
        for item in planned:
            author = self.s.author_on(rng, item.episode, item.day)
            if author is None:
                continue
            children = [m for m in self.family.children if m.is_child_on(item.day)]
            topic, texts, seen, minutes = self._texts(rng, voice, item, children, last_visit)
            entry = self._entry(rng, item, topic, author, texts, minutes)
            yield entry, seen

    def _texts(self, rng, voice: Voice, item: Planned, children: list[Member], last_visit):
        topic, day = item.topic, item.day
        about = [m for m in children if m.person_id in item.people] or children
        if topic == "visit":
            seen = self._seen_at_visit(rng, children, day, final=day == last_visit)
            in_care = bool(seen) and all(
                any(s.kind == LAC and s.covers(day) for s in self._statuses(m)) for m in seen
            )
            texts = voice.visit(rng, seen, day, in_care)
            seen = [(m, *self._alone_and_bedroom(rng, m, day, in_care)) for m in seen]
            return topic, texts, seen, rng.randrange(570, 990, 5)
        if topic == "direct_work":
            older = [m for m in children if m.age(day) >= 4]
            if older:
                child = rng.choice(older)
                alone = rng.random() < (0.8 if child.age(day) >= 8 else 0.3)
                texts = voice.direct_work(rng, child)
                return topic, texts, [(child, alone, False)], rng.randrange(570, 990, 5)
            topic = "contact"  # nobody old enough for direct work yet
        focus = rng.choice(children) if children else None
        minutes = rng.randrange(540, 1020, 5)
        if topic == "contact":
            return topic, voice.contact(rng, focus, day), [], minutes
        if topic == "meeting":
            return topic, voice.meeting(rng, focus, day), [], rng.choice([600, 630, 780, 810, 840])
        if topic == "significant":
            return topic, voice.significant(rng, about), [], minutes
        texts = voice.structure(topic, about, item.category, item.episode)
        return topic, texts, [], rng.choice([600, 810])

    def _statuses(self, member: Member):
        return [s for s in self.family.statuses if s.person_id == member.person_id]

    def _seen_at_visit(self, rng, children: list[Member], day: int, final: bool) -> list[Member]:
        """Children on a plan are nearly always seen (on the last visit before today, always);
        their brothers and sisters usually."""
        seen = []
        for child in children:
            planned = any(
                s.covers(day) and s.kind in self.visit_kinds for s in self._statuses(child)
            )
            if rng.random() < (1.0 if final and planned else 0.97 if planned else 0.8):
                seen.append(child)
        if children and not seen:
            seen.append(rng.choice(children))
        return seen

    @staticmethod
    def _alone_and_bedroom(rng, child: Member, day: int, in_care: bool) -> tuple[bool, bool]:
        age = child.age(day)
        alone = rng.random() < (0.75 if age >= 12 else 0.45 if age >= 8 else 0.1 if age >= 5 else 0)
        bedroom = rng.random() < (0.2 if in_care else 0.35)
        return alone, bedroom

    def _entry(self, rng, item: Planned, topic: str, author: tuple[int, int], texts, minutes):
        s = self.s
        user_id, team_id = author
        occurred = moment(item.day, minutes)
        created = min(s.now, occurred + datetime.timedelta(minutes=rng.randint(20, 600)))
        status, countersigned_by, countersigned = Entry.Status.FINAL, None, None
        if item.draft or (
            item.topic != "visit" and item.day >= s.last - DRAFT_DAYS and rng.random() < 0.08
        ):
            status = Entry.Status.DRAFT
        elif s.roster.roles.get(user_id) == Role.STUDENT_SOCIAL_WORKER:
            status, countersigned_by, countersigned = self._countersign(rng, item, user_id, team_id)
        entry = Entry(
            family_id=self.family.pk,
            kind=TOPIC_KIND[topic],
            occurred=occurred,
            significant=topic in SIGNIFICANT,
            author_id=user_id,
            status=status,
            countersigned_by_id=countersigned_by,
            countersigned=countersigned,
            created=created,
            updated=created,
            **texts,
        )
        return as_written(entry, s.users[user_id], created)

    def _countersign(self, rng, item: Planned, user_id: int, team_id: int):
        """A qualified colleague in the pod countersigns a student's entry a few working days
        later; until then it waits."""
        s = self.s
        day = s.calendar.add(item.day, rng.randint(1, 3))
        signers = [
            p for p in s.roster.in_post(team_id, day, COUNTERSIGNERS) if p.user_id != user_id
        ]
        if day > s.last or not signers:
            return Entry.Status.AWAITING_COUNTERSIGNATURE, None, None
        when = min(s.now, moment(day, rng.randrange(540, 1020, 5)))
        return Entry.Status.FINAL, rng.choice(signers).user_id, when


class EntryWriter:
    """Entries and the children seen in them, written a batch at a time with their history."""

    def __init__(self):
        self.pending: list[tuple[Entry, list]] = []
        self.entries = self.children_seen = 0

    def add(self, entry: Entry, seen: list) -> None:
        self.pending.append((entry, seen))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        saved = save_all(Entry, [entry for entry, _seen in self.pending])
        rows = [
            as_written(
                ChildSeen(
                    entry_id=entry.pk,
                    person_id=child.person_id,
                    seen_alone=alone,
                    bedroom_seen=bedroom,
                ),
                entry._history_user,
                entry._history_date,
            )
            for entry, (_unsaved, seen) in zip(saved, self.pending, strict=True)
            for child, alone, bedroom in seen
        ]
        save_all(ChildSeen, rows)
        self.entries += len(saved)
        self.children_seen += len(rows)
        self.pending = []


def write_chronologies(rng: random.Random, setting: Setting, families, long_family, scale: float):
    """Plan, share out and write every family's chronology; return the counts."""
    stories = [FamilyChronology(f, setting, rng.getrandbits(64)) for f in families]
    planned = [len(story.plan()) for story in stories]
    weights = [story.weight() for story in stories]
    target = round(ENTRIES_PER_SCALE * scale)
    long_index = next((n for n, s in enumerate(stories) if s.family is long_family), None)
    shares = [0] * len(stories)
    if long_index is not None:
        wanted = LONG_FAMILY_ENTRIES + rng.randint(20, 120)
        shares[long_index] = max(0, wanted - planned[long_index])
        weights[long_index] = 0
    room = max(0, target - sum(planned) - sum(shares))
    total_weight = sum(weights) or 1
    for n, weight in enumerate(weights):
        if weight:
            exact = room * weight / total_weight
            share = int(exact) + (rng.random() < exact - int(exact))
            shares[n] = max(0, min(share, ORDINARY_MOST - planned[n]))
    writer = EntryWriter()
    long_entries = 0
    for n, story in enumerate(stories):
        texts = random.Random(story.seed ^ 0x5EED)
        mix = LONG_FILL if n == long_index else FILL
        items = story.plan() + story.fill(texts, shares[n], mix)
        before = writer.entries + len(writer.pending)
        for entry, seen in Recorder(story).entries(texts, items):
            writer.add(entry, seen)
        if n == long_index:
            long_entries = writer.entries + len(writer.pending) - before
    writer.flush()
    return {
        "entries": writer.entries,
        "children seen": writer.children_seen,
        "entries in the long family": long_entries,
    }


def choose_long_family(families: list[CaseFamily], setting: Setting, username: str):
    """The family with a thousand entries: of those the demo ``username`` holds today, one on a
    child protection plan open at least a year of the history if there is one (the intensive
    kind of family that has so much recorded), otherwise the one open longest."""
    user = next((u for u in setting.users.values() if u.username == username), None)
    if user is None:
        return None
    held = [
        f
        for f in families
        if f.is_open
        and (holding := f.episodes[-1].holding_on(setting.today)) is not None
        and holding.user_id == user.pk
        and holding.end == FOREVER
    ]

    def preference(family: CaseFamily) -> tuple[bool, int]:
        days = FamilyChronology(family, setting, 0).working_days()
        on_a_plan = any(s.kind == CP and s.covers(setting.today) for s in family.statuses)
        return on_a_plan and days >= A_YEAR, days

    return max(held, key=preference, default=None)
