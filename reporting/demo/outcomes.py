"""The demo's looked-after children's outcomes for each collection year ended (the last
four): the *health and offending outcomes* (SSDA903 OC2) of the children looked after for the
whole year, and the *contact, activity and accommodation* (OC3) of care leavers (left care at
16 or over after at least 13 weeks) with their 17th to 21st birthday in it who were neither
looked after on it nor left care on or after it that year (903 rules 1007, 1016)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from families.models import CareLeaverContact, HealthOutcomes
from reporting.demo.bulk import create_rows
from reporting.demo.common import DAY, age, birthday, weighted

if TYPE_CHECKING:
    from reporting.demo.care import Period


def write(rng, periods: list[Period], today: datetime.date) -> dict[str, int]:
    health = health_outcomes(rng, periods, today)
    leavers = care_leavers(rng, periods, today)
    return {
        "health outcomes (OC2)": create_rows(HealthOutcomes, health),
        "care leavers' contact (OC3)": create_rows(CareLeaverContact, leavers),
    }


def _ended_years(today: datetime.date) -> list[int]:
    last = today.year if today > datetime.date(today.year, 3, 31) else today.year - 1
    return list(range(last - 3, last + 1))


def health_outcomes(rng, periods: list[Period], today: datetime.date) -> list[HealthOutcomes]:
    rows = []
    for year in _ended_years(today):
        first, last = datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)
        for period in periods:
            # Looked after on 1 April and until at least 30 March: the validator's continuity
            # (903 rule 191) counts care ending the day before 31 March (DEC 31 March) in.
            if not (period.covers(first) and (period.end is None or period.end + DAY >= last)):
                continue
            years = age(period.born, last)
            score = reason = None
            if birthday(period.born, 4) <= last and birthday(period.born, 17) >= first:
                if rng.random() < 0.85:
                    score = max(0, min(40, round(rng.gauss(14, 6))))
                else:
                    reason = weighted(rng, [("SDQ2", 20), ("SDQ3", 20), ("SDQ4", 30), ("SDQ5", 30)])
            misuse = years >= 11 and rng.random() < 0.06
            received = misuse and rng.random() < 0.7
            rows.append(
                HealthOutcomes(
                    family_id=period.status_on(last)[1],
                    person_id=period.person_id,
                    year=year,
                    sdq_score=score,
                    sdq_reason=reason or "",
                    convicted=(rng.random() < 0.05) if years >= 10 else None,
                    health_check=(rng.random() < 0.9) if years < 5 else None,
                    immunisations=rng.random() < 0.88,
                    teeth_check=rng.random() < 0.85,
                    health_assessment=rng.random() < 0.92,
                    substance_misuse=misuse,
                    intervention_received=received if misuse else None,
                    # asked only of those who did not receive help (903 rule 158)
                    intervention_offered=(rng.random() < 0.7) if misuse and not received else None,
                )
            )
    return rows


def care_leavers(rng, periods: list[Period], today: datetime.date) -> list[CareLeaverContact]:
    """Young people who left care at 16 or over after at least 13 weeks, in the year of their
    17th to 21st birthday, when not looked after on it."""
    by_person: dict[int, list[Period]] = {}
    for period in periods:
        by_person.setdefault(period.person_id, []).append(period)
    rows = []
    for year in _ended_years(today):
        first, last = datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)
        for person_id, own in sorted(by_person.items()):
            born = own[0].born
            left = [
                p
                for p in own
                if p.end is not None
                and p.end >= birthday(born, 16)
                and (p.end - p.start).days >= 91
            ]
            if not left:
                continue
            turned = next(
                (
                    birthday(born, turning)
                    for turning in range(17, 22)
                    if first <= birthday(born, turning) <= last
                ),
                None,
            )
            if turned is None or not any(p.end + DAY < turned for p in left):
                continue
            # Not looked after on the birthday, nor leaving care on or after it in the year
            # (903 rules 1007, 1016): care leavers only.
            if any(p.start <= last and (p.end is None or p.end + DAY >= turned) for p in own):
                continue
            in_touch = weighted(
                rng, [("YES", 86), ("NO", 5), ("REFU", 3), ("NREQ", 3), ("RHOM", 3)]
            )
            if in_touch in ("YES", "NREQ"):  # home or not in touch: nothing known (344)
                activity = weighted(
                    rng,
                    [("F2", 25), ("P2", 5), ("F4", 20), ("P4", 8), ("F1", 6), ("F5", 4),
                     ("G5", 20), ("G4", 6), ("G6", 6)],
                )  # fmt: skip
                # Staying put with foster carers (Z1) is from 18, never at 17 (903 rule 3001).
                staying_put = 0 if turned == birthday(born, 17) else 15
                accommodation = weighted(
                    rng,
                    [("U1", 25), ("Z1", staying_put), ("G1", 12), ("E1", 15), ("C1", 12),
                     ("D1", 5), ("B2", 2), ("S2", 2), ("X2", 2), ("V2", 2), ("W1", 8)],
                )  # fmt: skip
            else:
                activity = accommodation = "0"
            rows.append(
                CareLeaverContact(
                    family_id=own[-1].rows[-1][1],
                    person_id=person_id,
                    year=year,
                    in_touch=in_touch,
                    activity=activity,
                    accommodation=accommodation,
                )
            )
    return rows
