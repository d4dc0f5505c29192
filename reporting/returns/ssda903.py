"""The SSDA903 return for children looked after, as its eleven CSV files, built from the record.

A period of care is one looked-after ChildStatus or several back to back (each legal status
change a new row starting the day after the last ended). Within a period, an episode starts at
every date where the legal status or the placement changes (RNE S at the start of care, L for a
legal status change only, P a placement change only, B both). DEC is the day after an episode's
last day, left blank when that is after 31 March (still looked after then); REC is X1 between
the episodes of a period and the period's ``care_ended`` at its end. Which children and rows go
in, and each column, follow shared/domain/statutory_returns.md §3 and briefs/returns-model.md.

Set-based: one query per model for the year, grouped in Python; never a query per child.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from families.models import (
    Adoption,
    Allocation,
    CareLeaverContact,
    ChildStatus,
    Family,
    HealthOutcomes,
    MissingEpisode,
    Person,
    Placement,
)
from families.models.people import eighteenth_birthday
from reporting.returns.period import CollectionYear
from scheduling.models import Appointment, ReviewParticipation, _midnight

COLUMNS = {
    "header.csv": "CHILD SEX DOB ETHNIC UPN MOTHER MC_DOB",
    "episodes.csv": "CHILD DECOM RNE LS CIN PLACE PLACE_PROVIDER DEC REC REASON_PLACE_CHANGE "
    "HOME_POST PL_POST URN",
    "reviews.csv": "CHILD DOB REVIEW REVIEW_CODE",
    "uasc.csv": "CHILD SEX DOB DUC",
    "oc2.csv": "CHILD DOB SDQ_SCORE SDQ_REASON CONVICTED HEALTH_CHECK IMMUNISATIONS TEETH_CHECK "
    "HEALTH_ASSESSMENT SUBSTANCE_MISUSE INTERVENTION_RECEIVED INTERVENTION_OFFERED",
    "oc3.csv": "CHILD DOB IN_TOUCH ACTIV ACCOM",
    "ad1.csv": "CHILD DOB DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR",
    "placed_for_adoption.csv": "CHILD DOB DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED",
    "previous_permanence.csv": "CHILD DOB PREV_PERM LA_PERM DATE_PERM",
    "missing.csv": "CHILD DOB MISSING MIS_START MIS_END",
    "sw_episodes.csv": "CHILD DOB SW_ID SW_DECOM SW_DEC SW_REASON",
}
COLUMNS = {name: columns.split() for name, columns in COLUMNS.items()}

BETWEEN_EPISODES = "X1"
ADOPTED = ("E11", "E12")
SHORT_BREAKS = ("V3", "V4")
UPN_UNKNOWN_903 = ("UN1", "UN2", "UN3", "UN4", "UN5")  # UN6 and UN7 are the census's only
FIRST_CONTACT = "FCONTA"
LEAVER_AGES = (17, 21)
SHORTEST_SW_EPISODE = datetime.timedelta(days=3)
TEMPORARY_PLACEMENTS = ("T0", "T1", "T2", "T3", "T4")
ONE_DAY = datetime.timedelta(days=1)


# --- the record, as the return reads it -----------------------------------------------------


@dataclass(slots=True)
class _Status:
    family_id: int
    start: datetime.date
    end: datetime.date | None
    legal_status: str
    care_need: str
    care_ended: str
    uasc: bool
    uasc_ceased: datetime.date | None
    previous_permanence: str
    previous_permanence_council: str
    previous_permanence_date: datetime.date | None

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(slots=True)
class _Placement:
    start: datetime.date
    end: datetime.date | None
    place: str
    provider: str
    postcode: str
    urn: str
    change_reason: str

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(slots=True)
class _PeriodOfCare:
    statuses: list[_Status]

    @property
    def start(self) -> datetime.date:
        return self.statuses[0].start

    @property
    def end(self) -> datetime.date | None:
        return self.statuses[-1].end

    @property
    def first(self) -> _Status:
        return self.statuses[0]

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(slots=True)
class _EpisodeRow:
    decom: datetime.date
    rne: str
    status: _Status
    placement: _Placement | None
    last_day: datetime.date | None  # None while it goes on
    rec: str
    reason_place_change: str = ""

    @property
    def dec(self) -> datetime.date | None:
        return self.last_day + ONE_DAY if self.last_day is not None else None


@dataclass(slots=True)
class _Child:
    pk: int
    date_of_birth: datetime.date | None
    gender: str
    ethnicity: str
    upn: str
    upn_unknown: str
    own_child_born: datetime.date | None
    periods: list[_PeriodOfCare] = field(default_factory=list)
    episodes: list[_EpisodeRow] = field(default_factory=list)

    # The model's own definitions, applied to the row.
    Gender = Person.Gender

    @property
    def child_id(self) -> str:
        return Person.child_id_of(self.pk)

    sex = Person.sex_code


# --- the build ------------------------------------------------------------------------------


def build_ssda903(year: int) -> dict[str, bytes]:
    """The SSDA903 return for the collection year ending 31 March ``year``: the eleven tables
    as UTF-8 CSV (header row, dates DD/MM/YYYY), header-only where there is nothing to report.
    Raises ReturnYearNotEnded before the year is over."""
    period = CollectionYear(year)
    period.check_ended(timezone.localdate())
    return _Return(period).files()


def _day(value: datetime.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value is not None else ""


def _flag(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


class _Return:
    def __init__(self, period: CollectionYear):
        self.period = period
        self.rows: dict[str, list[list]] = {name: [] for name in COLUMNS}
        self._fetch()

    def _fetch(self) -> None:
        period = self.period
        # Anyone looked after at some point from the day before the year (an episode ending
        # on 31 March last year has its DEC, 1 April, in this year) to 31 March.
        in_care = ChildStatus.objects.filter(
            kind=ChildStatus.Kind.LOOKED_AFTER, start__lte=period.end
        ).filter(Q(end__isnull=True) | Q(end__gte=period.start - ONE_DAY))
        people = in_care.values("person_id")
        leavers = CareLeaverContact.objects.filter(year=period.year)

        reported = Q(pk__in=people) | Q(pk__in=leavers.values("person_id"))
        self.children: dict[int, _Child] = {
            row[0]: _Child(*row)
            for row in Person.objects.filter(reported)
            .values_list(
                "pk", "date_of_birth", "gender", "ethnicity", "upn", "upn_unknown",
                "own_child_born",
            )
            .iterator()
        }  # fmt: skip
        statuses = defaultdict(list)
        for person_id, *row in (
            ChildStatus.objects.filter(kind=ChildStatus.Kind.LOOKED_AFTER, person_id__in=people)
            .values_list(
                "person_id", "family_id", "start", "end", "legal_status", "care_need",
                "care_ended", "uasc", "uasc_ceased", "previous_permanence",
                "previous_permanence_council", "previous_permanence_date",
            )
            .order_by("start")
            .iterator()
        ):  # fmt: skip
            statuses[person_id].append(_Status(*row))
        self.placements = defaultdict(list)
        for person_id, *row in (
            Placement.objects.filter(person_id__in=people)
            .values_list(
                "person_id", "start", "end", "place", "provider", "postcode", "urn",
                "change_reason",
            )
            .order_by("start")
            .iterator()
        ):  # fmt: skip
            self.placements[person_id].append(_Placement(*row))
        self.postcodes = dict(
            Family.objects.filter(pk__in=in_care.values("family_id")).values_list("pk", "postcode")
        )
        for person_id, rows in statuses.items():
            child = self.children[person_id]
            child.periods = _periods_of_care(rows)
            child.episodes = [
                episode
                for care in child.periods
                for episode in self._episodes(care, self.placements[person_id])
                if self._in_year(episode)
            ]
        # Care leavers whose 17th to 21st birthday fell in the year (the DfE's definition:
        # no rule asks for an OC3 row, 391 refuses one under 17).
        self.leavers = [
            row
            for row in leavers.values_list(
                "person_id", "in_touch", "activity", "accommodation"
            ).order_by("person_id")
            if LEAVER_AGES[0] <= (self._age_at_year_end(row[0]) or 0) <= LEAVER_AGES[1]
        ]
        self.reviews = list(
            Appointment.children.through.objects.filter(
                person_id__in=people,
                appointment__kind=Appointment.Kind.CIC_REVIEW,
                appointment__status=Appointment.Status.HELD,
                appointment__start__gte=_midnight(period.start),
                appointment__start__lt=_midnight(period.end, days=1),
            )
            .values_list("person_id", "appointment_id", "appointment__start")
            .order_by("appointment__start")
        )
        self.participation = {
            (appointment_id, person_id): code
            for appointment_id, person_id, code in ReviewParticipation.objects.filter(
                person_id__in=people,
                appointment__kind=Appointment.Kind.CIC_REVIEW,
                appointment__start__gte=_midnight(period.start),
                appointment__start__lt=_midnight(period.end, days=1),
            ).values_list("appointment_id", "person_id", "code")
        }
        self.missing = list(
            MissingEpisode.objects.filter(person_id__in=people, start__lte=period.end)
            .filter(Q(end__isnull=True) | Q(end__gte=period.start))
            .values_list("person_id", "kind", "start", "end")
            .order_by("person_id", "start")
        )
        self.health = {
            row[0]: row[1:]
            for row in HealthOutcomes.objects.filter(
                person_id__in=people, year=period.year
            ).values_list(
                "person_id", "sdq_score", "sdq_reason", "convicted", "health_check",
                "immunisations", "teeth_check", "health_assessment", "substance_misuse",
                "intervention_received", "intervention_offered",
            )
        }  # fmt: skip
        self.adoptions = defaultdict(list)
        for person_id, *row in (
            Adoption.objects.filter(person_id__in=people, decided__lte=period.end)
            .values_list(
                "person_id", "decided", "matched", "reversed", "reversed_reason",
                "by_foster_carers", "adopters", "adopters_sex", "adopters_legal_status",
            )
            .order_by("decided")
        ):  # fmt: skip
            self.adoptions[person_id].append(row)
        self.allocations = defaultdict(list)
        for family_id, *row in (
            Allocation.objects.filter(
                family_id__in=in_care.values("family_id"), start__lte=period.end
            )
            .filter(Q(end__isnull=True) | Q(end__gte=period.start))
            .values_list(
                "family_id", "worker_id", "start", "end", "change_reason", "is_change_of_worker"
            )
            .order_by("start")
        ):
            self.allocations[family_id].append(row)

    def _age_at_year_end(self, person_id: int) -> int | None:
        born = self.children[person_id].date_of_birth
        if born is None:
            return None
        end = self.period.end
        return end.year - born.year - ((end.month, end.day) < (born.month, born.day))

    # --- episodes ---------------------------------------------------------------------------

    def _episodes(self, care: _PeriodOfCare, placements: list[_Placement]) -> list[_EpisodeRow]:
        changes = {care.start: "S"}
        for previous, status in zip(care.statuses, care.statuses[1:], strict=False):
            if status.legal_status != previous.legal_status:
                changes[status.start] = "L"
        for placement in placements:
            if care.covers(placement.start) and placement.start != care.start:
                changes[placement.start] = "B" if changes.get(placement.start) == "L" else "P"
        days = sorted(changes)
        episodes = []
        for index, day in enumerate(days):
            last = index == len(days) - 1
            episodes.append(
                _EpisodeRow(
                    decom=day,
                    rne=changes[day],
                    status=next(s for s in care.statuses if s.covers(day)),
                    placement=next((p for p in placements if p.covers(day)), None),
                    last_day=care.end if last else days[index + 1] - ONE_DAY,
                    rec=care.statuses[-1].care_ended if last else BETWEEN_EPISODES,
                )
            )
        for episode, following in zip(episodes, episodes[1:], strict=False):
            # Why the child left the placement goes on the episode that ends (903/225); not
            # into or out of a temporary one (903/226).
            if (
                following.rne in ("P", "B")
                and episode.placement is not None
                and not _temporary(episode.placement)
                and not _temporary(following.placement)
            ):
                episode.reason_place_change = episode.placement.change_reason
        return episodes

    def _in_year(self, episode: _EpisodeRow) -> bool:
        return episode.decom <= self.period.end and (
            episode.dec is None or episode.dec >= self.period.start
        )

    def _dec_and_rec(self, episode: _EpisodeRow) -> tuple[datetime.date | None, str]:
        if episode.dec is None or episode.dec > self.period.end:
            return None, ""  # still looked after at 31 March
        return episode.dec, episode.rec

    # --- the tables -------------------------------------------------------------------------

    def files(self) -> dict[str, bytes]:
        leavers = {row[0] for row in self.leavers}
        reported = [
            child
            for child in sorted(self.children.values(), key=lambda c: c.pk)
            if child.episodes or child.pk in leavers
        ]
        for child in reported:
            self._child_rows(child)
        for person_id, in_touch, activity, accommodation in self.leavers:
            child = self.children[person_id]
            self._add("oc3.csv", child, in_touch, activity, accommodation)

        for person_id, appointment_id, start in self.reviews:
            child = self.children[person_id]
            if child.episodes:
                code = self.participation.get((appointment_id, person_id), "")
                self._add("reviews.csv", child, _day(timezone.localdate(start)), code)
        for person_id, kind, start, end in self.missing:
            child = self.children[person_id]
            if child.episodes:
                ended = end if end is not None and end <= self.period.end else None
                self._add("missing.csv", child, kind, _day(start), _day(ended))
        return {name: self._csv(name) for name in COLUMNS}

    def _child_rows(self, child: _Child) -> None:
        upn = child.upn or (child.upn_unknown if child.upn_unknown in UPN_UNKNOWN_903 else "")
        mother, first_child_born = self._motherhood(child)
        self.rows["header.csv"].append([
            child.child_id, child.sex, _day(child.date_of_birth), child.ethnicity, upn,
            mother, _day(first_child_born),
        ])  # fmt: skip
        if not child.episodes:
            return  # a care leaver with OC3 only
        for episode in child.episodes:
            dec, rec = self._dec_and_rec(episode)
            placement = episode.placement
            self.rows["episodes.csv"].append([
                child.child_id, _day(episode.decom), episode.rne, episode.status.legal_status,
                episode.status.care_need, placement.place if placement else "",
                placement.provider if placement else "", _day(dec), rec,
                episode.reason_place_change if dec else "",
                self.postcodes.get(episode.status.family_id, ""),
                placement.postcode if placement else "", placement.urn if placement else "",
            ])  # fmt: skip
        self._uasc(child)
        self._oc2(child)
        self._adoption(child)
        self._previous_permanence(child)
        self._sw_episodes(child)

    def _motherhood(self, child: _Child) -> tuple[str, datetime.date | None]:
        """MOTHER and MC_DOB: asked of girls looked after in the year (393), never of a care
        leaver who was not (628), nor of boys. A mother is one whose child was born by the
        time her care ended, or by 31 March while it goes on (625)."""
        if child.sex != "F" or not child.episodes:
            return "", None
        dec = self._dec_and_rec(child.episodes[-1])[0]
        born = child.own_child_born
        if born is not None and born <= min(dec or self.period.end, self.period.end):
            return "1", born
        return "0", None

    def _uasc(self, child: _Child) -> None:
        uasc = [s for care in child.periods for s in care.statuses if s.uasc]
        if uasc:
            # An unaccompanied asylum-seeking *child* is one until 18 at the latest: with no
            # earlier end recorded, DUC is the 18th birthday (304; 205B expects it so).
            ceased = max((s.uasc_ceased for s in uasc if s.uasc_ceased), default=None)
            ceased = ceased or eighteenth_birthday(child.date_of_birth)
            self.rows["uasc.csv"].append(
                [child.child_id, child.sex, _day(child.date_of_birth), _day(ceased)]
            )

    def _oc2(self, child: _Child) -> None:
        """Children looked after for the whole 12 months to 31 March (in care on 1 April and
        still on 31 March, in one period, none of it short breaks), with outcomes recorded."""
        outcomes = self.health.get(child.pk)
        if outcomes is None:
            return
        whole_year = any(
            care.covers(self.period.start)
            # Care ending on 31 March (DEC 31/03: last day 30 March) counts, as in the
            # validator's continuity (lac_validator/utils.py) that 191 and 190 read.
            and (care.end is None or care.end + ONE_DAY >= self.period.end)
            and not any(s.legal_status in SHORT_BREAKS for s in care.statuses)
            for care in child.periods
        )
        if whole_year:
            score, reason, *flags = outcomes
            self._add(
                "oc2.csv", child, "" if score is None else str(score), reason,
                *(_flag(value) for value in flags),
            )  # fmt: skip

    def _adoption(self, child: _Child) -> None:
        # Decisions made during a period of care in the return, not reversed before the year
        # (one made in an earlier period of care ended with it: 1003).
        reported = [
            care for care in child.periods if any(care.covers(e.decom) for e in child.episodes)
        ]
        adoptions = [
            row
            for row in self.adoptions.get(child.pk, [])
            if any(care.covers(row[0]) for care in reported)
        ]
        for decided, _matched, reversed_, reason, *_ in adoptions:
            if reversed_ is not None and reversed_ < self.period.start:
                continue
            ceased = reversed_ if reversed_ is not None and reversed_ <= self.period.end else None
            self._add(
                "placed_for_adoption.csv", child, _day(decided), _day(ceased),
                reason if ceased else "",
            )  # fmt: skip
        adopted = any(
            e.rec in ADOPTED and self._dec_and_rec(e)[0] is not None for e in child.episodes
        )
        current = [a for a in adoptions if a[2] is None]
        if adopted and current:
            decided, matched, _r, _rr, by_foster_carers, adopters, sex, legal_status = current[-1]
            self._add(
                "ad1.csv", child, _day(decided), _day(matched), _flag(by_foster_carers),
                "" if adopters is None else str(adopters), sex, legal_status,
            )  # fmt: skip

    def _previous_permanence(self, child: _Child) -> None:
        started = [care for care in child.periods if self.period.includes(care.start)]
        if started:
            first = started[0].first
            self._add(
                "previous_permanence.csv", child, first.previous_permanence,
                first.previous_permanence_council, _day(first.previous_permanence_date),
            )  # fmt: skip

    def _sw_episodes(self, child: _Child) -> None:
        """The family's allocations while the child was looked after in the year, each from
        the later of its start and the start of care (SW12STG2: a child's social worker
        episodes begin with their care), SW_DEC the allocation's end when it is by 31 March.

        Two rules of the DfE's shape the rows: an episode under 3 days (a short cover
        allocation, or one that ended just after care began) is not an episode (SW09STG2),
        and the child's latest episode is open (SW17STG2): the return reports who the
        child's social worker is, even when the child has since left care."""
        rows = []
        for care in child.periods:
            if not any(care.covers(e.decom) for e in child.episodes):
                continue
            families = dict.fromkeys(s.family_id for s in care.statuses)
            for family_id in families:
                for worker_id, start, end, change_reason, is_change in self.allocations.get(
                    family_id, ()
                ):
                    if (care.end is not None and start > care.end) or (
                        end is not None and end < care.start
                    ):
                        continue
                    first_day = max(start, care.start)
                    ended = end if end is not None and end <= self.period.end else None
                    if ended is not None and ended - first_day < SHORTEST_SW_EPISODE:
                        continue
                    reason = change_reason or ("" if is_change else FIRST_CONTACT)
                    rows.append((first_day, worker_id, ended, reason))
        rows = sorted(dict((row[0], row) for row in rows).values())  # one a day (SW19STG2)
        for number, (first_day, worker_id, ended, reason) in enumerate(rows, start=1):
            if number == len(rows):
                ended = None
            self._add(
                "sw_episodes.csv", child, f"SW{worker_id:06d}", _day(first_day), _day(ended),
                reason,
            )  # fmt: skip

    def _add(self, name: str, child: _Child, *values) -> None:
        """A row of a table whose first columns are CHILD and DOB."""
        self.rows[name].append([child.child_id, _day(child.date_of_birth), *values])

    def _csv(self, name: str) -> bytes:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(COLUMNS[name])
        writer.writerows(self.rows[name])
        return text.getvalue().encode("utf-8")


def _temporary(placement: _Placement | None) -> bool:
    return placement is not None and placement.place in TEMPORARY_PLACEMENTS


def _periods_of_care(statuses: list[_Status]) -> list[_PeriodOfCare]:
    """Looked-after statuses (oldest first) chained into periods of care: a status starting
    the day after the last one ended continues the same period."""
    periods: list[_PeriodOfCare] = []
    for status in statuses:
        last = periods[-1].statuses[-1] if periods else None
        if last is not None and last.end is not None and status.start == last.end + ONE_DAY:
            periods[-1].statuses.append(status)
        else:
            periods.append(_PeriodOfCare([status]))
    return periods
