"""Step 1, cases: ``CaseSimulation`` plans the families, their episodes and every child's plans
and legal status in plain Python, its stock-and-flow controllers keeping the figures on their
``Targets``, with the small helpers that choose postcodes and make up telephone and NHS numbers.
It is well over the style guide's 400 lines, and stays so on purpose: it is one class with one
job (the controllers and the plans they call share the simulation's state and its random
generator's order), and splitting it would scatter one piece of reasoning across files."""

from __future__ import annotations

import bisect
import datetime
import math
import random
from collections import Counter

from families.continuum import levels
from families.demo.postcodes import BRIGHTON_AND_HOVE
from families.demo.simulated import (
    CIN,
    CP,
    LAC,
    PROCEEDINGS,
    YEAR,
    Closure,
    Legal,
    Rel,
    SimEpisode,
    SimFamily,
    SimPerson,
    Stock,
    Targets,
    _date,
    _month_key,
    _weighted,
)
from families.demo.vocabulary import (
    CP_CATEGORIES,
    ETHNICITIES,
    PROFESSIONALS,
    REFERRALS,
    SCHOOL_KINDS,
    STREETS,
    UASC_ORIGINS,
)
from pods.working_days import is_working_day

RE_REFERRAL_SHARE = 0.18


class CaseSimulation:
    def __init__(self, *, rng, faker, history_start: datetime.date, today: datetime.date, scale):
        self.rng, self.faker, self.scale = rng, faker, scale
        self.t0 = history_start.toordinal() - 1  # the month-end before the history
        self.today = today.toordinal()
        self.targets = Targets(rng, self.t0, self.today, scale)
        self.stocks = {
            name: Stock(self.t0, self.today) for name in ("open_children", "cp", "lac", "uasc")
        }
        self.families: list[SimFamily] = []
        self.episodes: list[SimEpisode] = []
        self.closed: list[tuple[int, int, SimEpisode]] = []  # (end, seq, episode), sorted
        self.proceedings = Counter()  # planned care proceedings starting, by month
        self.quota = self._care_application_quota()
        self.indicators = {
            level.number: [i.id for area in level.areas.values() for i in area]
            for level in levels()
        }

    def _care_application_quota(self) -> dict[tuple[int, int], int]:
        """Care proceedings to start each month, from the quarter ending on the first
        month-end to this month."""
        first = _date(self.t0).replace(day=1)
        for _ in range(2):
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        quota, day, carried = {}, first, 0.0
        while day.toordinal() <= self.today:
            mean = self.targets.care_applications_per_month(day.toordinal() + 14)
            carried += mean + self.rng.gauss(0, 0.3 * math.sqrt(mean))
            quota[(day.year, day.month)] = max(0, round(carried))
            carried -= quota[(day.year, day.month)]  # so each quarter stays near its target
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return quota

    # --- the controllers ------------------------------------------------------------------

    def run(self) -> None:
        rng, t0 = self.rng, self.t0
        # The opening stock of children on plans and in care, open on the first month-end:
        # first the care proceedings of the quarter that ends on it, then the rest.
        for key in [k for k in self.quota if _date(t0) >= datetime.date(*k, 1)]:
            while self.proceedings[key] < self.quota[key]:
                first = datetime.date(*key, 1)
                following = (first + datetime.timedelta(days=32)).replace(day=1)
                last = min(t0, following.toordinal() - 1)
                room = self.quota[key] - self.proceedings[key]
                self._commit(self._plan_urgent(rng.randint(first.toordinal(), last), room))
        while True:
            deficits = {
                "uasc": 1 - self.stocks["uasc"].on(t0) / max(1, self.targets.uasc(t0)),
                "lac": 1 - self.stocks["lac"].on(t0) / self.targets.lac(t0),
                "cp": 1 - self.stocks["cp"].on(t0) / self.targets.cp(t0),
            }
            stream, deficit = max(deficits.items(), key=lambda item: item[1])
            if deficit <= 0:
                break
            self._commit(self._opening_candidate(stream))
        # Each day of the history: children becoming looked after or starting a plan that day.
        for day in range(t0 + 1, self.today + 1):
            key = _month_key(day)
            if _date(day + 10).month != key[1]:  # the last ten days of a month
                while self.proceedings[key] < self.quota.get(key, 0):
                    room = self.quota[key] - self.proceedings[key]
                    self._commit(self._plan_urgent(day, room))
            while self.stocks["uasc"].on(day) < self.targets.uasc(day):
                self._commit(self._plan_uasc(self._new_family("uasc", day), day))
            while self.stocks["lac"].on(day) < self.targets.lac(day):
                self._commit(self._lac_arrival(day))
            # A child protection plan starts at its initial conference, on a working day
            # (CIN rules 2885, 8875): a weekend's or bank holiday's shortfall waits for it.
            while is_working_day(_date(day)) and self.stocks["cp"].on(day) < self.targets.cp(day):
                self._commit(self._cp_arrival(day))
        # Everyone else open: the opening stock, then just enough referrals each day.
        opening = self.stocks["open_children"]
        while opening.on(t0) < self.targets.open_children(t0):
            self._commit(self._opening_candidate("cin" if rng.random() < 0.6 else "assess"))
        for day in range(t0 + 1, self.today + 1):
            while opening.on(day) < self.targets.open_children(day):
                stream = "cin" if rng.random() < 0.55 else "assess"
                family = self._re_referral(day) or self._new_family(stream, day)
                plan = self._plan_cin if stream == "cin" else self._plan_assess
                self._commit(plan(family, day))

    def _opening_candidate(self, stream: str) -> SimEpisode:
        """A family referred before the history, kept only when open on the first month-end
        in the way ``stream`` counts: so the opening stock has the ages and durations of a
        service that has been running for years."""
        rng, t0 = self.rng, self.t0
        while True:
            if stream == "uasc":
                start = t0 - rng.randint(0, 4 * YEAR)
                episode = self._plan_uasc(self._new_family("uasc", start), start)
            elif stream == "lac":
                start = t0 - rng.randint(0, 12 * YEAR)
                if rng.random() < 0.45:
                    family = self._new_family("cp", start)
                    episode = self._plan_cp(family, start, start + rng.randint(10, 45), force=True)
                else:
                    variant = _weighted(rng, [("younger", 50), ("adolescent", 44), ("remand", 6)])
                    family = self._new_family(variant, start)
                    episode = self._plan_lac(family, start, start + rng.randint(0, 14), variant)
            elif stream == "cp":
                start = t0 - rng.randint(10, 3 * YEAR)
                family = self._new_family("cp", start)
                episode = self._plan_cp(family, start, start + rng.randint(10, 45))
            else:
                start = t0 - rng.randint(0, 540)
                family = self._new_family(stream, start)
                plan = self._plan_cin if stream == "cin" else self._plan_assess
                episode = plan(family, start)
            if episode is None:
                continue
            kinds = {"uasc": LAC, "lac": LAC, "cp": CP}
            if stream in kinds:
                open_then = any(
                    s.kind == kinds[stream]
                    and s.start <= t0 <= s.end
                    and (stream != "uasc" or s.uasc)
                    for s in episode.statuses
                )
            else:
                open_then = episode.start <= t0 <= episode.end
            if open_then:
                return episode

    def _lac_arrival(self, day: int) -> SimEpisode:
        """A child becoming looked after on ``day`` by agreement or on remand (care
        proceedings bring the others)."""
        rng = self.rng
        variant = _weighted(rng, [("younger", 45), ("adolescent", 47), ("remand", 8)])
        start = day - rng.randint(0, 14)
        family = None
        if variant != "remand":
            family = self._re_referral(start, lambda f: self._lac_child(f, variant, start))
        family = family or self._new_family(variant, start)
        return self._plan_lac(family, start, day, variant)

    def _cp_arrival(self, day: int) -> SimEpisode:
        """A family whose children start a child protection plan on ``day``, after the
        initial child protection conference."""
        start = day - self.rng.randint(10, 45)
        family = self._re_referral(start) or self._new_family("cp", start)
        return self._plan_cp(family, start, day)

    def _re_referral(self, day: int, suits=None) -> SimFamily | None:
        """A family the service knew before, closed before ``day`` (about half of them less
        than a year before, the continuity rule's window), or None for a new family."""
        rng = self.rng
        if rng.random() >= RE_REFERRAL_SHARE or not self.closed:
            return None
        recent = rng.random() < 0.55
        # 365 days is always within the continuity rule's 12 calendar months, 367 never.
        low = day - (365 if recent else 3 * YEAR)
        high = day - 1 if recent else day - 367
        lo = bisect.bisect_left(self.closed, (low,))
        hi = bisect.bisect_right(self.closed, (high, math.inf))
        for _ in range(6 if hi > lo else 0):
            _end, _seq, episode = self.closed[rng.randrange(lo, hi)]
            family = episode.family
            if (
                family.episodes[-1] is episode
                and episode.end < day
                and not family.uasc
                and family.cap - day >= 180
                and (suits is None or suits(family))
            ):
                return family
        return None

    # --- families -------------------------------------------------------------------------

    def _new_family(self, stream: str, start: int) -> SimFamily:
        """A family's children (ages suited to ``stream``) and adults; names come later, for
        the families that are kept."""
        rng = self.rng
        if stream == "uasc":
            child = SimPerson(
                start - rng.randint(int(14 * 365.25), int(17.6 * 365.25)),
                _weighted(rng, [("male", 92), ("female", 8)]),
                Rel.CHILD,
            )
            people = [child]
            if rng.random() < 0.2:  # a relative in the country, not caring for them
                people.append(
                    SimPerson(
                        child.dob - rng.randint(6, 20) * YEAR,
                        child.gender,
                        Rel.OTHER,
                        lives_in_household=False,
                    )
                )
            return SimFamily(people, uasc=True)
        count = _weighted(rng, [(1, 52), (2, 29), (3, 12), (4, 7)])
        if stream == "remand":
            index_age = rng.uniform(15, 17.5)
        elif stream == "adolescent":
            index_age = rng.uniform(12, 17.5)
        elif stream == "younger":
            index_age = rng.uniform(0, 11.9)
        elif stream == "urgent":
            index_age = rng.uniform(0, 0.15) if rng.random() < 0.5 else rng.uniform(0, 9)
        elif stream == "cp":
            index_age = _weighted(
                rng,
                [
                    (rng.uniform(0, 5), 35),
                    (rng.uniform(5, 10), 30),
                    (rng.uniform(10, 16), 30),
                    (rng.uniform(16, 17.5), 5),
                ],
            )
        else:
            index_age = rng.uniform(0, 17.5)
        ages = [index_age]
        for _ in range(count - 1):
            gap = rng.uniform(1, 4)
            younger = ages[-1] - gap if stream != "urgent" else None
            older = max(ages) + gap
            if younger is not None and younger >= 0 and (rng.random() < 0.6 or older > 17.5):
                ages.append(younger)
            elif older <= 17.5 and stream not in ("adolescent", "remand"):
                ages.append(older)
            elif younger is not None and younger >= 0:
                ages.append(younger)
        people = [
            SimPerson(start - int(age * 365.25), rng.choice(["female", "male"]), Rel.CHILD)
            for age in ages
        ]
        oldest = min(p.dob for p in people)
        mother_age = rng.uniform(17, 38) * 365.25
        if rng.random() < 0.95:
            people.append(SimPerson(oldest - int(mother_age), "female", Rel.MOTHER))
        second = _weighted(
            rng,
            [
                (Rel.FATHER, 50),
                (Rel.STEP_PARENT, 15),
                (None, 27),
                (Rel.GRANDPARENT, 5),
                (Rel.CARER, 3),
            ],
        )
        if second is None and len(people) == count:  # no mother either: somebody cares for them
            second = Rel.CARER
        if second == Rel.GRANDPARENT:
            people.append(SimPerson(oldest - rng.randint(38, 60) * YEAR, "female", second))
        elif second is not None:
            people.append(
                SimPerson(
                    oldest - int(mother_age) - rng.randint(-2, 8) * YEAR,
                    "male" if second != Rel.CARER else rng.choice(["female", "male"]),
                    second,
                    lives_in_household=rng.random() < (0.55 if second == Rel.FATHER else 0.9),
                )
            )
        return SimFamily(people)

    def _name_family(self, family: SimFamily) -> None:
        rng, faker = self.rng, self.faker
        family.named = True
        if family.uasc:
            ethnicity, language, firsts, lasts = rng.choice(UASC_ORIGINS)
            family.surname = rng.choice(lasts)
            for person in family.people:
                person.first_name = rng.choice(firsts)
                person.last_name = family.surname
                person.ethnicity, person.language = ethnicity, language
            family.people[0].nhs_number = _nhs_number(rng)
        else:
            ethnicity, _weight, language = rng.choices(ETHNICITIES, [e[1] for e in ETHNICITIES])[0]
            speaks = language if rng.random() < 0.35 else "English"
            family.surname = faker.last_name()
            other_surname = faker.last_name()
            for person in family.people:
                if person.relationship == Rel.GRANDPARENT:
                    person.last_name = family.surname if rng.random() < 0.5 else other_surname
                elif person.relationship in (Rel.FATHER, Rel.STEP_PARENT, Rel.CARER):
                    person.last_name = other_surname if rng.random() < 0.6 else family.surname
                elif person.relationship == Rel.CHILD and rng.random() < 0.2:
                    person.last_name = other_surname
                else:
                    person.last_name = family.surname
                if person.gender == "female":
                    person.first_name = faker.first_name_female()
                else:
                    person.first_name = faker.first_name_male()
                person.ethnicity = ethnicity if rng.random() < 0.9 else "WBRI"
                person.language = speaks if person.relationship != Rel.CHILD else "English"
                if person.relationship == Rel.CHILD or rng.random() < 0.7:
                    person.nhs_number = _nhs_number(rng)
            street = f"{rng.randint(1, 180)} {faker.last_name()} {rng.choice(STREETS)}"
            if rng.random() < 0.2:
                street = f"Flat {rng.randint(1, 40)}, {street}"
            family.address = f"{street}\nBrightwater"
            family.postcode = _postcode(rng)
        family.professionals = self._professionals(family)

    def _professionals(self, family: SimFamily) -> list[tuple[str, str, str, str, str]]:
        rng, faker = self.rng, self.faker
        at = family.episodes[0].start if family.episodes else self.today
        ages = [child.age(at) for child in family.children]
        kinds = ["gp", "police", "idva", "substance"]
        if any(4 <= age < 16.5 for age in ages):
            kinds += ["school", "school"]
        if any(age < 5 for age in ages):
            kinds.append("health_visitor")
        if any(age >= 8 for age in ages):
            kinds.append("camhs")
        if any(age >= 12 for age in ages):
            kinds.append("youth_justice")
        count = _weighted(rng, [(0, 12), (1, 33), (2, 33), (3, 22)])
        chosen = rng.sample(kinds, min(count, len(kinds)))
        result = []
        for kind in dict.fromkeys(chosen):
            agency, role, title, domain = PROFESSIONALS[kind]
            agency = agency.format(surname=faker.last_name(), school=rng.choice(SCHOOL_KINDS))
            first, last = faker.first_name(), faker.last_name()
            email = f"{first}.{last}@{domain}".lower().replace("'", "").replace(" ", "")
            result.append((f"{title}{first} {last}", agency, role, _phone(rng), email))
        return result

    # --- plans ----------------------------------------------------------------------------

    def _episode(self, family, stream, start, *, fd_days: int | None = None) -> SimEpisode:
        rng = self.rng
        if fd_days is None:
            fd_days = 0 if rng.random() < 0.25 else rng.randint(1, 10)
        kind = "uasc" if family.uasc else stream
        source, reason = rng.choice(REFERRALS.get(kind, REFERRALS["cin"]))
        return SimEpisode(
            family, stream, start, start, start + fd_days, source=source, reason=reason
        )

    def _want_proceedings(self, day: int, children: int) -> bool:
        """Care proceedings for ``children`` starting on ``day``, while the month's quota
        lasts (outside the counted months, a plain chance)."""
        key = _month_key(day)
        if key not in self.quota:
            return self.rng.random() < 0.2
        return self.quota[key] - self.proceedings[key] >= children

    def _plan_assess(self, family, start) -> SimEpisode:
        rng = self.rng
        if rng.random() < 0.2:  # closed at the front door after a few days
            fd_days = rng.randint(3, 10)
            episode = self._episode(family, "assess", start, fd_days=fd_days)
            episode.end = start + rng.randint(1, fd_days - 1)
            episode.closure_reason = _weighted(
                rng, [(Closure.NO_FURTHER_ACTION, 7), (Closure.STEP_DOWN, 3)]
            )
        else:
            episode = self._episode(family, "assess", start)
            episode.end = start + int(rng.triangular(14, 110, 40))
            episode.closure_reason = _weighted(
                rng,
                [(Closure.NO_FURTHER_ACTION, 5), (Closure.STEP_DOWN, 4), (Closure.MOVED_AWAY, 1)],
            )
        return self._finish(episode, gap=0)

    def _plan_cin(self, family, start) -> SimEpisode:
        rng = self.rng
        episode = self._episode(family, "cin", start)
        children = family.children
        if len(children) > 1 and rng.random() < 0.15:
            children = rng.sample(children, rng.randint(1, len(children) - 1))
        plan_start = start + rng.randint(25, 50)
        plan_end = plan_start + int(rng.triangular(90, 450, 200))
        for child in children:
            episode.add(child, CIN, plan_start, plan_end)
        episode.closure_reason = _weighted(
            rng, [(Closure.NEEDS_MET, 45), (Closure.STEP_DOWN, 45), (Closure.MOVED_AWAY, 10)]
        )
        return self._finish(episode, gap=rng.randint(0, 30))

    def _plan_cp(self, family, start, cp_start, *, force=False) -> SimEpisode | None:
        rng = self.rng
        episode = self._episode(family, "cp", start)
        children = [c for c in family.children if c.cap > cp_start + 30]
        if not children:
            return None
        if len(children) > 1 and rng.random() < 0.1:
            children = rng.sample(children, rng.randint(1, len(children) - 1))
        category = _weighted(rng, CP_CATEGORIES)
        length = _weighted(
            rng,
            [(rng.randint(90, 180), 15), (rng.randint(180, 400), 60), (rng.randint(400, 800), 25)],
        )
        cp_end = cp_start + length
        plans = {c: episode.add(c, CP, cp_start, cp_end, cp_category=category) for c in children}
        episode.closure_reason = _weighted(rng, [(Closure.NEEDS_MET, 6), (Closure.STEP_DOWN, 4)])
        gap = rng.randint(0, 30)
        day = rng.randint(cp_start + 30, max(cp_start + 30, cp_end - 1))
        youngest = [max(children, key=lambda c: c.dob)]
        court = children if len(children) > 1 and rng.random() < 0.6 else youngest
        wanted = self._want_proceedings(day, len(court))
        if force:
            key = _month_key(day)
            if key in self.quota and self.proceedings[key] + len(court) > self.quota[key]:
                return None
        if force or wanted:
            removed = force or rng.random() < 0.75
            lac_start = day + rng.randint(0, 14) if removed else None
            proc_end = self._proceedings(episode, court, day, lac_start)
            for child in court:  # the plan ends when the child is looked after, or with the case
                plans[child].end = (lac_start - 1) if removed else proc_end
            if episode.closure_reason == Closure.PERMANENCE:
                gap = rng.randint(14, 90)
        for child in children:
            escaped = child not in court or not (force or wanted)
            if escaped and rng.random() < 0.75:  # stepped down to a child in need plan
                episode.add(
                    child, CIN, plans[child].end + 1, plans[child].end + rng.randint(60, 270)
                )
        return self._finish(episode, gap=gap)

    def _proceedings(self, episode, children, day, lac_start) -> int:
        """Care proceedings for ``children`` from ``day``: looked after under an interim care
        order from ``lac_start`` (None: at home under supervision), then the court's order."""
        rng = self.rng
        proc_end = day + rng.randint(180, 365)
        for child in children:
            episode.add(child, PROCEEDINGS, day, proc_end)
        if lac_start is None:
            for child in children:  # supervision order, then a child in need plan
                episode.add(child, CIN, proc_end + 1, proc_end + rng.randint(90, 365))
            episode.closure_reason = Closure.NEEDS_MET
            return proc_end
        for child in children:
            episode.add(child, LAC, lac_start, proc_end, legal_status=Legal.INTERIM_CARE_ORDER)
        youngest_age = min(child.age(proc_end) for child in children)
        outcome = _weighted(
            rng,
            [
                ("placement", 20 if youngest_age < 5 else 0),
                ("care_order", 55),
                ("sgo", 20),
                ("home", 5),
            ],
        )
        if outcome == "placement":  # adopted within a year or so
            end = proc_end + rng.randint(180, 540)
            for child in children:
                episode.add(child, LAC, proc_end + 1, end, legal_status=Legal.PLACEMENT_ORDER)
            episode.closure_reason = Closure.PERMANENCE
        elif outcome == "care_order":
            until_18 = rng.random() < 0.5
            end = proc_end + rng.randint(YEAR, 6 * YEAR)
            for child in children:
                episode.add(
                    child,
                    LAC,
                    proc_end + 1,
                    child.cap if until_18 else end,
                    legal_status=Legal.CARE_ORDER,
                )
            episode.closure_reason = (
                Closure.TURNED_EIGHTEEN
                if until_18
                else _weighted(rng, [(Closure.PERMANENCE, 6), (Closure.NEEDS_MET, 4)])
            )
        elif outcome == "sgo":
            episode.closure_reason = Closure.PERMANENCE
        else:
            for child in children:
                episode.add(child, CIN, proc_end + 1, proc_end + rng.randint(90, 365))
            episode.closure_reason = Closure.NEEDS_MET
        return proc_end

    @staticmethod
    def _lac_child(family, variant, day) -> list[SimPerson]:
        if variant == "adolescent":
            return [c for c in family.children if c.age(day) >= 12 and c.cap > day + 30][:1]
        if variant == "remand":
            return [c for c in family.children if c.age(day) >= 15 and c.cap > day + 30][:1]
        return [c for c in family.children if c.age(day) < 12][:1]

    def _plan_lac(self, family, start, lac_start, variant) -> SimEpisode | None:
        rng = self.rng
        chosen = self._lac_child(family, variant, lac_start)
        if not chosen:
            return None
        episode = self._episode(family, "remand" if variant == "remand" else "lac", start)
        episode.adolescent = variant != "younger"
        child = chosen[0]
        gap = rng.randint(0, 30)
        if variant == "remand":
            end = lac_start + rng.randint(14, 120)
            episode.add(child, LAC, lac_start, end, legal_status=Legal.REMAND)
            if rng.random() < 0.5:
                episode.add(child, CIN, end + 1, end + rng.randint(60, 180))
            episode.closure_reason = Closure.NEEDS_MET
            return self._finish(episode, gap=gap)
        if variant == "younger":
            under_12 = [c for c in family.children if c.age(lac_start) < 12]
            if rng.random() < 0.5:
                chosen = under_12
        if variant == "adolescent":
            length = _weighted(
                rng,
                [
                    (rng.randint(30, 180), 45),
                    (rng.randint(180, 730), 35),
                    (child.cap - lac_start, 20),
                ],
            )
        else:
            length = rng.randint(90, 900)
        lac_end = lac_start + length
        spells = [episode.add(c, LAC, lac_start, lac_end, legal_status=Legal.S20) for c in chosen]
        day = rng.randint(lac_start + 20, max(lac_start + 20, min(lac_end, lac_start + 200)))
        if variant == "younger" and lac_end > day and self._want_proceedings(day, len(chosen)):
            for spell in spells:
                spell.end = day - 1
            self._proceedings(episode, chosen, day, day)
            if episode.closure_reason == Closure.PERMANENCE:
                gap = rng.randint(14, 90)
        elif lac_end >= child.cap:
            episode.closure_reason = Closure.TURNED_EIGHTEEN
        else:
            if rng.random() < 0.7:  # home, with a child in need plan
                for c in chosen:
                    episode.add(c, CIN, lac_end + 1, lac_end + rng.randint(60, 240))
            episode.closure_reason = _weighted(
                rng, [(Closure.NEEDS_MET, 6), (Closure.STEP_DOWN, 4)]
            )
        return self._finish(episode, gap=gap)

    def _plan_uasc(self, family, start) -> SimEpisode:
        rng = self.rng
        episode = self._episode(family, "uasc", start, fd_days=rng.randint(0, 2))
        episode.adolescent = True
        child = family.children[0]
        lac_start = start + rng.randint(0, 3)
        ending = _weighted(rng, [("eighteen", 70), ("transfer", 20), ("other", 10)])
        if ending == "eighteen":
            end, episode.closure_reason = child.cap, Closure.TURNED_EIGHTEEN
        elif ending == "transfer":  # the national transfer scheme
            end, episode.closure_reason = lac_start + rng.randint(30, 180), Closure.MOVED_AWAY
        else:
            end, episode.closure_reason = lac_start + rng.randint(14, 120), Closure.OTHER
        episode.add(child, LAC, lac_start, end, legal_status=Legal.S20, uasc=True)
        return self._finish(episode, gap=0)

    def _plan_urgent(self, day: int, room: int) -> SimEpisode:
        """Care proceedings begun in an emergency or at birth, within days of the referral,
        for at most ``room`` children."""
        rng = self.rng
        start = day - rng.randint(0, 3)
        family = self._new_family("urgent", start)
        episode = self._episode(family, "cp", start, fd_days=0)
        children = [max(family.children, key=lambda c: c.dob)]
        if 1 < len(family.children) <= room and rng.random() < 0.5:
            children = family.children
        removed = rng.random() < 0.85
        plans = []
        if not removed:  # at home on a plan from the next conference (a working day)
            conference = day
            while not is_working_day(_date(conference)):
                conference += 1
            for child in children:
                end = day + rng.randint(180, 365)
                plans.append(episode.add(child, CP, conference, end, cp_category="neglect"))
        proc_end = self._proceedings(episode, children, day, day if removed else None)
        for plan in plans:  # a child in need plan follows the proceedings: never both at once
            plan.end = min(plan.end, proc_end)
        gap = rng.randint(14, 90) if episode.closure_reason == Closure.PERMANENCE else 10
        return self._finish(episode, gap=gap)

    def _finish(self, episode: SimEpisode, *, gap: int) -> SimEpisode:
        """No status runs past the day before a child's 18th birthday, nor the episode past
        its oldest child's; the episode closes ``gap`` days after its last status ends."""
        cap = episode.family.cap
        kept = []
        for status in episode.statuses:
            status.end = min(status.end, status.person.cap, cap)
            if status.start <= status.end:
                kept.append(status)
        episode.statuses = kept
        if kept and episode.closure_reason == Closure.STEP_DOWN:
            # Stepping down is a decision at assessment (CIN RC9, which rule 2990 keeps from
            # any plan); after a plan, the case closes with the child's needs met.
            episode.closure_reason = Closure.NEEDS_MET
        end = max([episode.end, *(s.end + gap for s in kept)])
        if end > cap:
            end, episode.closure_reason = cap, Closure.TURNED_EIGHTEEN
        episode.end = max(end, episode.start)
        return episode

    def _commit(self, episode: SimEpisode | None) -> None:
        if episode is None:
            return
        family = episode.family
        if family.episodes:
            episode.previous = family.episodes[-1]
        else:
            family.seq = len(self.families)
            self.families.append(family)
        family.episodes.append(episode)
        if not family.named:
            self._name_family(family)
        self.episodes.append(episode)
        self.stocks["open_children"].add(episode.start, episode.end, len(family.children))
        for status in episode.statuses:
            if status.kind in (CP, LAC):
                self.stocks["cp" if status.kind == CP else "lac"].add(status.start, status.end)
                if status.uasc:
                    self.stocks["uasc"].add(status.start, status.end)
            elif status.kind == PROCEEDINGS and status.start <= self.today:
                self.proceedings[_month_key(status.start)] += 1
        if episode.end < self.today:
            bisect.insort(self.closed, (episode.end, len(self.episodes), episode))


def _postcode(rng: random.Random) -> str:
    """A real Brighton and Hove postcode (``postcodes``), which the SSDA903 return's rules look
    up. It takes as many draws of the generator as the made-up ``BW`` postcodes it replaced, so
    every family's other details stay as they were."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    district, sector = rng.randint(1, 18), rng.randint(1, 9)
    first, second = letters.index(rng.choice(letters)), letters.index(rng.choice(letters))
    number = ((district * 10 + sector) * 20 + first) * 20 + second
    return BRIGHTON_AND_HOVE[number % len(BRIGHTON_AND_HOVE)]


def _phone(rng: random.Random) -> str:
    """A number from Ofcom's ranges kept for drama, so no real telephone rings."""
    if rng.random() < 0.5:
        return f"07700 900{rng.randint(0, 999):03d}"
    return f"0113 496 0{rng.randint(0, 999):03d}"


def _nhs_number(rng: random.Random) -> str:
    """A ten-digit number with a valid modulus 11 check digit."""
    while True:
        digits = [rng.randint(4, 7)] + [rng.randint(0, 9) for _ in range(8)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)
