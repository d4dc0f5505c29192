"""The demo's looked-after children as the SSDA903 return reports them, from the looked-after
statuses ``families.demo`` simulated (a period of care is one status or several back to back:
a change of legal status), each period in primary-key order of its child:

- its *category of need* (on every status of the period), *why it ended* (on its last status,
  from what the simulation did next: home with a child in need plan, a placement order and
  then adoption, special guardianship, the 18th birthday, the end of a remand, a transfer to
  another council), when an unaccompanied child *stopped being UASC*, and the *permanence
  order* the child had before it (on its first status, mostly none);
- its *placements*: one after another from the first day to the last, each a type of place and
  provider suited to the child's age and legal status (foster carers, family and friends,
  children's homes, supported accommodation from 16, adopters under a placement order), a
  real postcode (``families.demo.postcodes``: Brighton and Hove, or a neighbouring council for
  some), an Ofsted URN where the return wants one, and why each ended when the child moved;
  the placement before a special guardianship order or staying put is with the carers who
  take the child on;
- the *times missing or away* of some children over 11;
- *adoption*: the decision, the match and the adopters, for children placed for adoption;
- for each collection year ended, their outcomes (``outcomes``: OC2 and OC3)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from families.demo.postcodes import BRIGHTON_AND_HOVE, NEARBY
from families.models import (
    Adoption,
    ChildStatus,
    Family,
    MissingEpisode,
    Placement,
)
from reporting.demo import outcomes
from reporting.demo.bulk import create_rows, update_rows
from reporting.demo.common import DAY, age, birthday, weighted

LAC = ChildStatus.Kind.LOOKED_AFTER
CIN = ChildStatus.Kind.CIN_PLAN
Legal = ChildStatus.LegalStatus
ADOPTED = ("E11", "E12")
SGO_FAMILY, SGO_FOSTER = "E45", "E46"
FAMILY_CARERS, FOSTER_CARERS = ("U1", "U3"), ("U4", "U6")
PLACEMENT_ENDED = [
    ("CARPL", 35), ("CREQB", 15), ("CREQO", 10), ("STAND", 4), ("CHILD", 10), ("LAREQ", 10),
    ("CLOSE", 3), ("ALLEG", 2), ("OTHER", 11),
]  # fmt: skip
OTHER_COUNCILS = ["846", "846", "845", "938", "816", "850"]


def _between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


@dataclass
class Period:
    """A period of care: looked-after statuses back to back (``families.demo`` tuples)."""

    person_id: int
    born: datetime.date
    rows: list
    placements: list = field(default_factory=list)  # [start, end, place, provider, post, urn]
    ended: str = ""

    @property
    def start(self) -> datetime.date:
        return self.rows[0][3]

    @property
    def end(self) -> datetime.date | None:
        return self.rows[-1][4]

    @property
    def uasc(self) -> bool:
        return self.rows[0][7]

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def status_on(self, day: datetime.date):
        return next(r for r in reversed(self.rows) if r[3] <= day)


def periods_of(record) -> list[Period]:
    periods = []
    born = {person_id: dob for person_id, _f, dob, _g in record.children}
    for person_id in sorted(record.statuses):
        chain = None
        for row in record.statuses[person_id]:
            if row[2] != LAC:
                continue
            if chain is not None and chain.end is not None and row[3] == chain.end + DAY:
                chain.rows.append(row)
            else:
                chain = Period(person_id, born[person_id], [row])
                periods.append(chain)
    return periods


def build(rng: random.Random, record) -> dict[str, int]:
    today = record.today
    homes = dict(Family.objects.values_list("pk", "postcode"))
    periods = periods_of(record)
    closures = {
        family_id: [(start, end, closure) for _pk, start, end, closure, *_ in episodes]
        for family_id, episodes in record.episodes.items()
    }
    statuses, placements, missing, adoptions = [], [], [], []
    for period in periods:
        family_id = period.rows[-1][1]
        closure = next(
            (
                c
                for s, e, c in closures.get(family_id, [])
                if s <= (period.end or today) <= (e or today)
            ),
            "",
        )
        later = record.statuses[period.person_id]
        home_next = period.end is not None and any(
            r[2] == CIN and r[3] == period.end + DAY for r in later
        )
        period.ended = _care_ended(rng, period, closure, home_next)
        _place(rng, period, homes.get(family_id, ""), today)
        statuses += _status_facts(rng, period)
        for start, end, place, provider, postcode, urn, reason in period.placements:
            placements.append(
                Placement(
                    family_id=period.status_on(start)[1],
                    person_id=period.person_id,
                    start=start,
                    end=end,
                    place=place,
                    provider=provider,
                    postcode=postcode,
                    urn=urn,
                    change_reason=reason,
                )
            )
        missing += _missing(rng, period, today)
        adoption = _adoption(rng, period)
        if adoption is not None:
            adoptions.append(adoption)
    update_rows(
        ChildStatus,
        ["care_need", "care_ended", "uasc_ceased", "previous_permanence",
         "previous_permanence_council", "previous_permanence_date"],
        statuses,
    )  # fmt: skip
    create_rows(Placement, placements)
    create_rows(MissingEpisode, missing)
    create_rows(Adoption, adoptions)
    return {
        "periods of care": len(periods),
        "placements": len(placements),
        "times missing or away": len(missing),
        "adoptions": len(adoptions),
    } | outcomes.write(rng, periods, today)


# --- why care ended, and the facts on each status ---------------------------------------------


def _care_ended(rng: random.Random, period: Period, closure: str, home_next: bool) -> str:
    """Why the period ended, from what the simulation did next ('' while it goes on)."""
    if period.end is None:
        return ""
    last = period.rows[-1][6]
    turned_18 = period.end + DAY >= birthday(period.born, 18)
    if turned_18:
        if period.uasc:
            return weighted(rng, [("E5", 50), ("E17", 20), ("E6", 30)])
        return weighted(
            rng, [("E17", 30), ("E5", 35), ("E6", 15), ("E13", 12), ("E7", 3), ("E8", 5)]
        )
    if period.uasc:
        if closure == "moved_away":  # the national transfer scheme
            return "E3"
        return weighted(rng, [("E15", 50), ("E8", 30), ("E16", 20)])
    if last == Legal.PLACEMENT_ORDER:
        return weighted(rng, [("E11", 70), ("E12", 30)])
    if last == Legal.REMAND:
        return weighted(rng, [("E14", 75), ("E9", 25)])
    if last in (Legal.INTERIM_CARE_ORDER, Legal.CARE_ORDER) and closure == "permanence":
        return weighted(rng, [(SGO_FAMILY, 70), (SGO_FOSTER, 30)])
    if home_next:
        return weighted(rng, [("E4A", 80), ("E41", 10), ("E4B", 10)])
    return weighted(rng, [("E4A", 50), ("E13", 25), ("E41", 15), ("E4B", 10)])


def _care_need(rng: random.Random, period: Period) -> str:
    first = period.rows[0][6]
    if period.uasc:
        return "N8"  # absent parenting: no parent in the country
    if first == Legal.REMAND:
        return "N6"
    if first == Legal.INTERIM_CARE_ORDER:
        return weighted(rng, [("N1", 88), ("N5", 6), ("N3", 6)])
    if age(period.born, period.start) >= 12:
        return weighted(rng, [("N5", 35), ("N4", 25), ("N1", 20), ("N6", 15), ("N2", 5)])
    return weighted(rng, [("N1", 45), ("N4", 15), ("N5", 20), ("N3", 10), ("N2", 10)])


def _status_facts(rng: random.Random, period: Period) -> list[tuple]:
    need = _care_need(rng, period)
    previous, council, dated = "Z1", "", None
    lived = (period.start - period.born).days
    if lived > 3 * 365 and rng.random() < 0.08:
        previous = weighted(rng, [("P1", 25), ("P2", 45), ("P3", 30)])
        council = rng.choice(OTHER_COUNCILS)
        dated = period.born + datetime.timedelta(days=rng.randint(365, lived - 365))
    ceased = None
    if period.uasc and period.end is not None and period.ended not in ("E3", "E8", "E16"):
        ceased = period.end + DAY  # turned 18, or an age assessment found them an adult
    rows = []
    for number, row in enumerate(period.rows):
        first, last = number == 0, number == len(period.rows) - 1
        rows.append(
            (
                row[0],
                need,
                period.ended if last else "",
                ceased if last else None,
                previous if first else "",
                council if first else "",
                dated if first else None,
            )
        )
    return rows


# --- placements ---------------------------------------------------------------------------------


def _place(rng: random.Random, period: Period, home: str, today: datetime.date) -> None:
    """Placements one after another over the period: ``period.placements`` rows of (start,
    end, place, provider, postcode, urn, why it ended)."""
    last_day = period.end or today
    changes = [row[3] for row in period.rows[1:]]
    adopters_from = None
    if period.rows[-1][6] == Legal.PLACEMENT_ORDER:
        order = period.rows[-1][3]
        room = (last_day - order).days
        if room >= 45:
            adopters_from = order + datetime.timedelta(days=rng.randint(14, min(120, room - 21)))
        elif period.end is not None:
            adopters_from = order + datetime.timedelta(days=min(7, room))
    before = (adopters_from - DAY) if adopters_from else last_day
    length = (before - period.start).days
    moves = int(length / rng.randint(250, 700)) if length > 60 else 0
    days = set()
    for _ in range(min(moves, 5)):
        day = period.start + datetime.timedelta(days=rng.randint(21, length - 21))
        if all(abs((day - change).days) > 3 for change in changes):
            days.add(day)
    starts = [period.start, *sorted(days)]
    segments = []
    for number, start in enumerate(starts):
        end = starts[number + 1] - DAY if number + 1 < len(starts) else before
        segments.append([start, end])
    if adopters_from is not None:
        segments.append([adopters_from, last_day])
    for number, (start, end) in enumerate(segments):
        final = number == len(segments) - 1
        adopters = adopters_from is not None and final
        place, provider = _kind_of_place(rng, period, start, number, adopters, final)
        postcode = _postcode(rng, home, provider, place)
        if place == "A5" and period.placements:  # adopted by the foster carers
            postcode = period.placements[-1][4]
        urn = _urn(rng, place, provider)
        to_adopters = adopters_from is not None and number == len(segments) - 2
        reason = "" if final else ("CARPL" if to_adopters else weighted(rng, PLACEMENT_ENDED))
        open_now = final and period.end is None
        period.placements.append(
            [start, None if open_now else end, place, provider, postcode, urn, reason]
        )


def _kind_of_place(
    rng, period: Period, start: datetime.date, number: int, adopters: bool, final: bool
):
    if adopters:
        # With new carers: the demo's foster carers do not adopt (A5 wants an RNE of T or U,
        # a change of carer's status, which the return does not make: 903 rule 217).
        return "A6", weighted(rng, [("PR1", 80), ("PR2", 20)])
    if final and period.ended in (SGO_FAMILY,):
        return rng.choice(FAMILY_CARERS), "PR1"
    if final and period.ended in (SGO_FOSTER, "E17"):
        return rng.choice(FOSTER_CARERS), weighted(rng, [("PR1", 70), ("PR4", 30)])
    years = age(period.born, start)
    status = period.status_on(start)[6]
    if status == Legal.REMAND:
        pairs = [(("U6", "PR1"), 60), (("K2", "PR4"), 40)]
    elif period.uasc:
        pairs = [(("U6", "PR1"), 25), (("U6", "PR4"), 20), (("K2", "PR4"), 10)]
        pairs += [(("K3", "PR4"), 45)] if years >= 16 else [(("U6", "PR4"), 45)]
    elif years >= 16:
        pairs = [(("K3", "PR4"), 25), (("K3", "PR1"), 10), (("U6", "PR1"), 20), (("U6", "PR4"), 10),
                 (("K2", "PR4"), 25), (("U3", "PR1"), 10)]  # fmt: skip
    elif years >= 12:
        pairs = [(("U6", "PR1"), 25), (("U6", "PR4"), 20), (("U4", "PR1"), 10), (("U3", "PR1"), 10),
                 (("K2", "PR4"), 30), (("K2", "PR1"), 5)]  # fmt: skip
    else:
        long_term = number > 0 and status == Legal.CARE_ORDER
        pairs = [(("U6", "PR1"), 35), (("U6", "PR4"), 20), (("U3", "PR1"), 20), (("U1", "PR1"), 5),
                 (("U4", "PR1"), 30 if long_term else 5),
                 (("U4", "PR4"), 10 if long_term else 3)]  # fmt: skip
    return weighted(rng, pairs)


def _postcode(rng: random.Random, home: str, provider: str, place: str) -> str:
    """Our own provision in our own area (903 rule 1015 allows foster carers, adopters and
    supported accommodation elsewhere); others here or next door. Never the family's home."""
    # Supported accommodation with its own URN is in our area (903 rule 241).
    local = place == "K3" or (provider == "PR1" and place not in ("U1", "U3", "U4", "U6", "A6"))
    choices = BRIGHTON_AND_HOVE if local or rng.random() < 0.6 else NEARBY
    postcode = rng.choice(choices)
    if postcode == home:
        postcode = choices[(choices.index(postcode) + 1) % len(choices)]
    return postcode


def _urn(rng: random.Random, place: str, provider: str) -> str:
    """Ofsted's URN: the home's, the agency's, or XXXXXXX for a council's own foster carers
    and adopters (903 rules 218, 222, 242)."""
    if place in ("U1", "U2", "U3", "A3", "A4", "A5", "A6") or (
        place in FOSTER_CARERS and provider == "PR1"
    ):
        return "XXXXXXX"
    if place in ("U4", "U5", "U6"):
        return f"SC{rng.randint(40000, 99999):06d}"  # the fostering agency
    return f"SC{rng.randint(380000, 499999):06d}"


# --- missing, adoption ----------------------------------------------------------------------


def _missing(rng: random.Random, period: Period, today: datetime.date) -> list[MissingEpisode]:
    last_day = min(period.end or today, today - DAY)
    first = max(period.start, birthday(period.born, 11))
    if first >= last_day or rng.random() >= 0.15:
        return []
    days = sorted({_between(rng, first, last_day) for _ in range(rng.randint(1, 6))})
    rows = []
    for start in days:
        end = min(start + datetime.timedelta(days=rng.randint(0, 3)), last_day)
        if rows and start <= rows[-1].end:
            continue
        rows.append(
            MissingEpisode(
                family_id=period.status_on(start)[1],
                person_id=period.person_id,
                kind=weighted(rng, [("M", 65), ("A", 35)]),
                start=start,
                end=end,
            )
        )
    return rows


def _adoption(rng: random.Random, period: Period) -> Adoption | None:
    order = next((r for r in period.rows if r[6] == Legal.PLACEMENT_ORDER), None)
    if order is None:
        return None
    decided = max(period.start, order[3] - datetime.timedelta(days=rng.randint(14, 60)))
    adopters = next((p for p in period.placements if p[2] in ("A5", "A6")), None)
    matched = None
    if adopters is not None:
        matched = max(decided, adopters[0] - datetime.timedelta(days=rng.randint(7, 30)))
    number = 2 if rng.random() < 0.85 else 1
    if number == 1:
        sex = weighted(rng, [("F1", 80), ("M1", 20)])
        legal_status = "L0"
    else:
        # Married (L11 of a man and a woman, L12 of two men or two women), in a civil
        # partnership (L2), or unmarried (L3, L4): 903 rules 517-520, 524.
        sex = weighted(rng, [("MF", 80), ("FF", 12), ("MM", 8)])
        if sex == "MF":
            legal_status = weighted(rng, [("L11", 70), ("L3", 30)])
        else:
            legal_status = weighted(rng, [("L12", 45), ("L2", 30), ("L4", 25)])
    return Adoption(
        family_id=order[1],
        person_id=period.person_id,
        decided=decided,
        matched=matched,
        by_foster_carers=adopters is not None and adopters[2] == "A5",
        adopters=number,
        adopters_sex=sex,
        adopters_legal_status=legal_status,
    )
