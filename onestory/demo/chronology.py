"""Step 2, the chronology, planned: what every family's entries over its episodes are, from
the first day of the history to yesterday, and on which days (``recording`` writes them).

Each family is planned from its own seed, so it can be planned twice without keeping a million
entries in memory: a first pass counts the entries its statuses call for (home visits at about
the statutory interval, the strategy discussion and conferences around a child protection plan,
core groups, reviews, the odd significant event), and ``recording`` shares out the calls,
messages, direct work and meetings that fill the rest (``FamilyChronology.fill``) before the
second pass plans each family again and writes it.

Today about ``OVERDUE_SHARE`` of families with a child on a plan are overdue a visit, by varying
amounts: their visits stop short (the last one written up as a draft, sometimes); the others'
next visit is always due after today."""

from __future__ import annotations

import bisect
import datetime
import random
from dataclasses import dataclass

from django.conf import settings

from onestory.demo.world import CIN, CP, LAC, PROCEEDINGS, CaseEpisode, CaseFamily, Setting

OVERDUE_SHARE = 0.13
DRAFT_DAYS = 7  # drafts are recent: nobody leaves a note unfinished for long
FILL = [("contact", 65), ("direct_work", 28), ("meeting", 7)]
# The share of recording an episode calls for, by the most serious status in it.
INTENSITY = {CP: 2.0, PROCEEDINGS: 1.6, LAC: 1.2, CIN: 1.2, None: 1.0}
INCIDENTS_PER_YEAR = {CP: 0.8, PROCEEDINGS: 0.6, LAC: 0.5, CIN: 0.3, None: 0.15}
VISITS_WITHOUT_A_PLAN = (20, 45)  # working days between visits to a family with no plan


def add_months(ordinal: int, months: int) -> int:
    day = datetime.date.fromordinal(ordinal)
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last)).toordinal()
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(slots=True)
class Planned:
    day: int
    topic: str
    episode: CaseEpisode
    people: tuple[int, ...] = ()  # the children it is about, when not everyone
    category: str = ""
    draft: bool = False


class FamilyChronology:
    """One family's entries, planned from its seed and written by whoever held it."""

    def __init__(self, family: CaseFamily, setting: Setting, seed: int):
        self.family, self.s, self.seed = family, setting, seed
        self.visit_kinds = tuple(settings.PODS_VISIT_INTERVALS)
        self.spans: list[tuple[CaseEpisode, int, int]] = []  # writable stretches, in order
        for episode in family.episodes:
            for holding in episode.holdings:
                start = max(holding.start, setting.first)
                end = min(holding.end, episode.end, setting.last)
                if start <= end:
                    self.spans.append((episode, start, end))

    # --- the first pass ---------------------------------------------------------------------

    def working_days(self) -> int:
        return sum(self.s.calendar.count(start, end) for _e, start, end in self.spans)

    def weight(self) -> float:
        """How much filling this family's chronology deserves: its working days, weighted by
        how serious its episodes were."""
        cal = self.s.calendar
        return sum(
            cal.count(start, end) * INTENSITY[self._most_serious(episode)]
            for episode, start, end in self.spans
        )

    def _most_serious(self, episode: CaseEpisode) -> str | None:
        kinds = {s.kind for s in self.family.statuses if episode.start <= s.start <= episode.end}
        return next((k for k in (CP, PROCEEDINGS, LAC, CIN) if k in kinds), None)

    def plan(self) -> list[Planned]:
        """The entries the family's statuses call for; the same every time for one seed."""
        rng = random.Random(self.seed)
        cut = self._overdue_from(rng)
        planned = []
        episodes = list(dict.fromkeys(episode for episode, _s, _e in self.spans))
        for episode in episodes:
            spans = [(start, end) for e, start, end in self.spans if e is episode]
            planned += self._visits(rng, episode, spans, cut)
            planned += self._milestones(rng, episode)
            planned += self._incidents(rng, episode, spans)
        return planned

    def _overdue_from(self, rng: random.Random) -> int | None:
        """For a family overdue a visit today: the day its children's visits fell due, or
        after. None for the others."""
        today = self.s.today
        current = [
            s for s in self.family.statuses if s.covers(today) and s.kind in self.visit_kinds
        ]
        if not (self.family.is_open and current) or rng.random() >= OVERDUE_SHARE:
            return None
        return today - min(45, 1 + int(rng.expovariate(1 / 9)))

    def _writable(self, episode: CaseEpisode, day: int) -> bool:
        return any(e is episode and start <= day <= end for e, start, end in self.spans)

    def _visits(self, rng, episode, spans, cut) -> list[Planned]:
        cal, family = self.s.calendar, self.family
        diligence = rng.uniform(0.78, 0.97)
        first = cal.on_or_after(spans[0][0])
        if spans[0][0] == self.s.first and episode.start < self.s.first:
            index = first + rng.randint(0, 15)  # the history starts in the middle of things
        else:
            index = first + rng.randint(1, 4)  # a first visit soon after the family is allocated
        last = cal.on_or_before(min(spans[-1][1], episode.end))
        visits = []
        while index <= last:
            day = cal.days[index]
            span = next(((s, e) for s, e in spans if e >= day), None)
            if span is None:
                break
            if day < span[0]:  # a gap with nobody holding the family
                index = cal.on_or_after(span[0]) + rng.randint(1, 4)
                continue
            kinds = [
                s.kind for s in family.statuses if s.covers(day) and s.kind in self.visit_kinds
            ]
            dues = [cal.due_index(kind, index) for kind in kinds]
            due = min(dues) if dues else index + rng.randint(*VISITS_WITHOUT_A_PLAN)
            if cut is not None and dues and cal.days[due] >= cut:
                if rng.random() < 0.3 and cal.days[last] >= self.s.last - DRAFT_DAYS:
                    visits.append(Planned(cal.days[last], "visit", episode, draft=True))
                break
            visits.append(Planned(day, "visit", episode))
            fraction = min(0.99, max(0.4, rng.gauss(diligence, 0.08)))
            if rng.random() < 0.03 and day < self.s.today - 90:
                fraction = rng.uniform(1.05, 1.5)  # a visit missed, long ago
            following = index + max(1, round((due - index) * fraction))
            # a plan that starts before the next visit brings the visit forward
            horizon = cal.days[min(following, len(cal.days) - 1)]
            for status in family.statuses:
                if status.kind in self.visit_kinds and day < status.start <= horizon:
                    start = cal.on_or_after(status.start)
                    step = cal.due_index(status.kind, start) - start
                    following = min(following, start + max(1, round(step * fraction)))
            index = following
        return visits

    def _milestones(self, rng, episode: CaseEpisode) -> list[Planned]:
        s, cal = self.s, self.s.calendar
        planned = {}  # (day, topic): one core group a day, however many plans began apart

        def at(ordinal: int, topic: str, people=(), category=""):
            if not (s.first <= ordinal <= min(episode.end, s.last)):
                return
            day = cal.days[cal.on_or_after(ordinal)]
            if day <= s.last and self._writable(episode, day) and (day, topic) not in planned:
                planned[(day, topic)] = Planned(day, topic, episode, tuple(people), category)

        if episode.start >= s.first:
            at(episode.start, "referral")
        for before, holding in zip(episode.holdings, episode.holdings[1:], strict=False):
            if before.worker_id is not None and holding.worker_id is not None:
                at(holding.start, "handover")
        for (kind, start), (people, category, end) in self._status_groups(episode).items():
            last = min(end, s.last)
            if kind == CP:
                at(start - rng.randint(12, 20), "strategy", people)
                at(start, "icpc", people, category)
                index = max(cal.on_or_after(start) + 10, cal.on_or_after(s.first))
                while cal.days[index] <= last:
                    at(cal.days[index], "core_group", people)
                    index += rng.randint(27, 33)
                self._reviews(at, start, last, [3, 6], "cp_review", people)
                if end <= s.last:
                    at(end, "cp_end", people)
            elif kind == CIN:
                at(start, "cin_start", people)
                self._reviews(at, start, last, [3], "cin_review", people)
            elif kind == LAC:
                at(start, "lac_start", people)
                at(cal.add(start, 20), "lac_review", people)
                self._reviews(at, start, last, [3, 6], "lac_review", people)
            elif kind == PROCEEDINGS:
                at(start - rng.randint(7, 21), "legal_planning", people)
                at(start, "proceedings", people)
        if episode.end <= s.last:
            at(episode.end, "closure")
        return list(planned.values())

    @staticmethod
    def _reviews(at, start: int, last: int, months: list[int], topic: str, people) -> None:
        """Reviews ``months[0]`` months after the start, then every ``months[-1]`` months."""
        review = add_months(start, months[0])
        while review <= last:
            at(review, topic, people)
            review = add_months(review, months[-1])

    def _status_groups(self, episode: CaseEpisode) -> dict:
        """Statuses starting together (siblings made subject to plans at one conference) as one:
        ``(kind, start): (people, CP category, end)``."""
        groups = {}
        for status in self.family.statuses:
            if episode.start <= status.start <= episode.end:
                people, category, end = groups.get((status.kind, status.start), ([], "", 0))
                groups[(status.kind, status.start)] = (
                    [*people, status.person_id],
                    category or status.cp_category,
                    max(end, status.end),
                )
        return groups

    def _incidents(self, rng, episode: CaseEpisode, spans) -> list[Planned]:
        cal = self.s.calendar
        rate = INCIDENTS_PER_YEAR[self._most_serious(episode)]
        planned = []
        for start, end in spans:
            expected = rate * cal.count(start, end) / 253
            count = int(expected) + (rng.random() < expected - int(expected))
            low, high = cal.on_or_after(start), cal.on_or_before(end)
            for _ in range(count if low <= high else 0):
                planned.append(Planned(cal.days[rng.randint(low, high)], "significant", episode))
        return planned

    # --- the second pass ----------------------------------------------------------------------

    def fill(self, rng: random.Random, count: int, mix=FILL) -> list[Planned]:
        """``count`` calls, messages, direct work and meetings on days someone held the family."""
        cal = self.s.calendar
        ranges = [
            (cal.on_or_after(start), cal.on_or_before(end), episode)
            for episode, start, end in self.spans
        ]
        ranges = [(low, high, e) for low, high, e in ranges if low <= high]
        sizes, total = [], 0
        for low, high, _e in ranges:
            total += high - low + 1
            sizes.append(total)
        planned = []
        topics, weights = zip(*mix, strict=True)
        for _ in range(count if total else 0):
            at = rng.randrange(total)
            n = bisect.bisect_right(sizes, at)
            low, _high, episode = ranges[n]
            day = cal.days[low + at - (sizes[n - 1] if n else 0)]
            planned.append(Planned(day, rng.choices(topics, weights)[0], episode))
        return planned
