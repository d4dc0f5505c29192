"""The CIN census for a collection year, as one XML file, built from the record.

Who goes in: every child of a family whose episode was open at some point in the year (its
referral on or before 31 March, not closed before 1 April), born or due by then; each such
(child, episode) pair is one <CINdetails>. Inside it go the family's assessments, the child's
CIN and CP plans and the section 47 enquiries of that episode, leaving out what was finished
before 1 April (the rules want closure, authorisation, ICPC and plan-end dates inside the year:
8620, 8696, 8715, 4013, 8930), and leaving out dates after 31 March (not yet happened at the
reference date). The mapping of each element is briefs/returns-model.md's; the layout and the
rules are shared/domain/statutory_returns.md §2.

Set-based: one query per kind of record for the whole year (episodes with their referrals,
children, assessments, plans, statutory meetings, the meetings' children), grouped in Python.
The XML is written as text, element by element, so a census of 40,000 children never holds a
tree in memory.
"""

from __future__ import annotations

import datetime
import functools
import io
from collections import defaultdict
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from families.models import ChildStatus, Episode, FamilyMember, Person, Referral
from onestory.models import Assessment
from pods.working_days import add_working_days
from reporting.returns.period import CollectionYear
from scheduling.models import Appointment, _midnight

SOFTWARE_CODE = "Pods"
RELEASE = "1"
SERIAL_NO = "1"
DIED = "RC2"
SERVICES_CEASED = "RC7"

Kind, Status, Outcome = Appointment.Kind, Appointment.Status, Appointment.Outcome
S47_OUTCOMES = (Outcome.CONFERENCE, Outcome.NO_CONFERENCE)


# --- the record, as the census reads it -----------------------------------------------------


@dataclass(slots=True)
class _Episode:
    pk: int
    family_id: int
    start: datetime.date
    end: datetime.date | None
    closure_reason: str
    received: datetime.date
    source: str
    primary_need: str
    no_further_action: bool | None

    def holds(self, day: datetime.date, reference_date: datetime.date) -> bool:
        """``day`` falls in the episode (as far as the reference date)."""
        return self.start <= day <= min(self.end or reference_date, reference_date)


@dataclass(slots=True)
class _Child:
    pk: int
    date_of_birth: datetime.date | None
    expected_date_of_birth: datetime.date | None
    date_of_death: datetime.date | None
    gender: str
    upn: str
    former_upn: str
    upn_unknown: str
    ethnicity: str
    disabilities: list[str]
    families: set[int] = field(default_factory=set)

    # The model's own definitions, applied to the row (no model instance per child: at
    # 40,000 children, making them was a quarter of the build).
    Gender = Person.Gender

    @property
    def child_id(self) -> str:
        return Person.child_id_of(self.pk)

    @property
    def sex_code(self) -> str:
        if self.date_of_birth is None and self.expected_date_of_birth is not None:
            return "U"  # unborn (rule 8750)
        return Person.sex_code.fget(self)

    def born_or_due_by(self, day: datetime.date) -> bool:
        if self.date_of_birth is not None:
            return self.date_of_birth <= day
        return True  # unborn (due), or no date recorded: the validators say which


@dataclass(slots=True)
class _Meeting:
    pk: int
    family_id: int
    kind: str
    day: datetime.date
    outcome: str
    children: set[int] = field(default_factory=set)

    def about(self, child: int) -> bool:
        """A meeting naming no children is about every child of the family."""
        return not self.children or child in self.children


@dataclass(slots=True)
class _Section47:
    day: datetime.date
    target: datetime.date
    icpc: datetime.date | None
    not_required: bool


# --- the build ------------------------------------------------------------------------------


def build_cin_census(year: int) -> bytes:
    """The CIN census for the collection year ending 31 March ``year``, as UTF-8 XML.
    Raises ReturnYearNotEnded before the year is over."""
    period = CollectionYear(year)
    period.check_ended(timezone.localdate())
    record = _Record.fetch(period)
    out = _Writer()
    out.open("Message")
    _header(out, period)
    out.open("Children")
    for child in sorted(record.children.values(), key=lambda c: c.pk):
        details = record.details_of(child)
        if details:
            _child(out, child, details)
            out.flush()
    out.close("Children")
    out.close("Message")
    return out.bytes()


class _Record:
    """Everything the census of one year reads, fetched in one query per model."""

    def __init__(self, period: CollectionYear):
        self.period = period
        self.episodes: dict[int, list[_Episode]] = defaultdict(list)  # by family
        self.children: dict[int, _Child] = {}
        self.assessments: dict[int, list[tuple]] = defaultdict(list)  # by family
        self.plans: dict[tuple[int, str], list[tuple]] = defaultdict(list)  # (person, kind)
        self.meetings: dict[int, list[_Meeting]] = defaultdict(list)  # by family

    @classmethod
    def fetch(cls, period: CollectionYear) -> _Record:
        record = cls(period)
        episodes = Episode.objects.filter(referral__received__lte=period.end).filter(
            Q(end__isnull=True) | Q(end__gte=period.start)
        )
        families = episodes.values("family_id")
        for row in episodes.values_list(
            "pk", "family_id", "start", "end", "closure_reason", "referral__received",
            "referral__source", "referral__primary_need", "referral__no_further_action",
        ).order_by("referral__received").iterator():  # fmt: skip
            record.episodes[row[1]].append(_Episode(*row))
        for family_id, person_id, *person in (
            FamilyMember.objects.filter(
                relationship=FamilyMember.Relationship.CHILD, family_id__in=families
            )
            .values_list(
                "family_id", "person_id", "person__date_of_birth",
                "person__expected_date_of_birth", "person__date_of_death", "person__gender",
                "person__upn", "person__former_upn", "person__upn_unknown", "person__ethnicity",
                "person__disabilities",
            )
            .iterator()
        ):  # fmt: skip
            child = record.children.get(person_id) or _Child(person_id, *person)
            child.families.add(family_id)
            record.children[person_id] = child
        for row in (
            Assessment.objects.filter(family_id__in=families, started__lte=period.end)
            .filter(Q(signed_off__isnull=True) | Q(signed_off__gte=_midnight(period.start)))
            .values_list("family_id", "started", "signed_off", "factors")
            .order_by("started", "pk")
            .iterator()
        ):
            family_id, started, signed_off, factors = row
            authorised = timezone.localdate(signed_off) if signed_off else None
            record.assessments[family_id].append((started, authorised, factors))
        for row in (
            ChildStatus.objects.filter(
                family_id__in=families,
                kind__in=[ChildStatus.Kind.CIN_PLAN, ChildStatus.Kind.CP_PLAN],
                start__lte=period.end,
            )
            .filter(Q(end__isnull=True) | Q(end__gte=period.start))
            .values_list(
                "person_id", "family_id", "kind", "start", "end", "cp_category",
                "initial_cp_category", "previous_cp_plans",
            )
            .order_by("start", "pk")
            .iterator()
        ):  # fmt: skip
            record.plans[(row[0], row[2])].append(row)
        meetings = Appointment.objects.filter(
            family_id__in=families,
            kind__in=[Kind.STRATEGY_DISCUSSION, Kind.ICPC, Kind.RCPC],
            status=Status.HELD,
            start__lt=_midnight(period.end, days=1),
        )
        by_pk = {}
        for pk, family_id, kind, start, outcome in (
            meetings.values_list("pk", "family_id", "kind", "start", "outcome")
            .order_by("start", "pk")
            .iterator()
        ):
            meeting = _Meeting(pk, family_id, kind, timezone.localdate(start), outcome)
            by_pk[pk] = meeting
            record.meetings[family_id].append(meeting)
        for appointment_id, person_id in (
            Appointment.children.through.objects.filter(appointment__in=meetings)
            .values_list("appointment_id", "person_id")
            .iterator()
        ):
            by_pk[appointment_id].children.add(person_id)
        return record

    # --- one child's CINdetails -------------------------------------------------------------

    def details_of(self, child: _Child) -> list[dict]:
        reference_date = self.period.end
        found = []
        for family_id in child.families:
            for episode in self.episodes.get(family_id, ()):
                last_day = min(episode.end or reference_date, reference_date)
                if not child.born_or_due_by(last_day):
                    continue
                if child.date_of_death and child.date_of_death < episode.start:
                    continue
                found.append(self._details(child, episode))
        return sorted(found, key=lambda d: d["CINreferralDate"])

    def _details(self, child: _Child, episode: _Episode) -> dict:
        reference_date = self.period.end
        closure, reason = None, ""
        if episode.end is not None and episode.end <= reference_date:
            closure, reason = episode.end, _closure_code(episode)
        if child.date_of_death and child.date_of_death <= (closure or reference_date):
            closure, reason = child.date_of_death, DIED
        details = {
            "CINreferralDate": episode.received,
            "ReferralSource": Referral.SOURCE_CODES.get(episode.source, ""),
            "PrimaryNeedCode": episode.primary_need,
            "CINclosureDate": closure,
            "ReasonForClosure": reason,
            "ReferralNFA": "1" if episode.no_further_action else "0",
            "Assessments": self._assessments(episode),
            "CINPlanDates": self._cin_plans(child, episode),
            "Section47": [],
            "ChildProtectionPlans": self._cp_plans(child, episode),
            "DateOfInitialCPC": None,
        }
        details["Section47"], details["DateOfInitialCPC"] = self._section47s(child, episode)
        return details

    def _assessments(self, episode: _Episode) -> list[tuple]:
        found = []
        for started, authorised, factors in self.assessments.get(episode.family_id, ()):
            if not self._belongs(episode, started, authorised):
                continue
            if authorised is not None and authorised > self.period.end:
                authorised = None  # not yet authorised at the reference date
            found.append((started, authorised, factors if authorised else []))
        return found

    def _plans(self, child: _Child, episode: _Episode, kind: str) -> list[tuple]:
        return [
            row
            for row in self.plans.get((child.pk, kind), ())
            if row[1] == episode.family_id and self._belongs(episode, row[3], row[4])
        ]

    def _cin_plans(self, child: _Child, episode: _Episode) -> list[tuple]:
        plans = self._plans(child, episode, ChildStatus.Kind.CIN_PLAN)
        return [(row[3], self._by_reference_date(row[4])) for row in plans]

    def _cp_plans(self, child: _Child, episode: _Episode) -> list[dict]:
        plans = []
        for _, _, _, start, end, latest, initial, previous in self._plans(
            child, episode, ChildStatus.Kind.CP_PLAN
        ):
            until = min(end or self.period.end, self.period.end)
            reviews = [
                m.day
                for m in self.meetings.get(episode.family_id, ())
                if m.kind == Kind.RCPC
                and m.about(child.pk)
                and start < m.day <= until
                and self.period.includes(m.day)
            ]
            codes = ChildStatus.CP_CATEGORY_CODES
            plans.append({
                "CPPstartDate": start,
                "CPPendDate": self._by_reference_date(end),
                "InitialCategoryOfAbuse": codes.get(initial or latest, ""),
                "LatestCategoryOfAbuse": codes.get(latest, ""),
                "NumberOfPreviousCPP": previous,
                "Reviews": reviews,
            })  # fmt: skip
        return plans

    def _section47s(self, child: _Child, episode: _Episode):
        """The episode's section 47 enquiries (held strategy discussions that started one), each
        with the ICPC that followed it; and an ICPC in the year that no enquiry led to (a
        transfer-in conference), which goes at CINdetails level (never both: rule 2884)."""
        meetings = [
            m
            for m in self.meetings.get(episode.family_id, ())
            if m.about(child.pk) and self._belongs(episode, m.day, m.day)
        ]
        icpcs = [m for m in meetings if m.kind == Kind.ICPC]
        discussions = [
            m for m in meetings if m.kind == Kind.STRATEGY_DISCUSSION and m.outcome in S47_OUTCOMES
        ]
        claimed, found = set(), []
        for index, discussion in enumerate(discussions):
            following = discussions[index + 1].day if index + 1 < len(discussions) else None
            icpc = None
            if discussion.outcome == Outcome.CONFERENCE:
                icpc = next(
                    (
                        m
                        for m in icpcs
                        if m.day >= discussion.day
                        and m.pk not in claimed
                        and (following is None or m.day < following)
                    ),
                    None,
                )
            if icpc is not None:
                claimed.add(icpc.pk)
            finished = icpc.day if icpc else (
                discussion.day if discussion.outcome == Outcome.NO_CONFERENCE else None
            )  # fmt: skip
            if finished is not None and finished < self.period.start:
                continue  # completed before the year
            found.append(
                _Section47(
                    day=discussion.day,
                    target=_icpc_target(discussion.day),
                    icpc=icpc.day if icpc else None,
                    not_required=discussion.outcome == Outcome.NO_CONFERENCE,
                )
            )
        unclaimed = [m.day for m in icpcs if m.pk not in claimed and self.period.includes(m.day)]
        return found, (unclaimed[0] if unclaimed else None)

    def _belongs(self, episode: _Episode, start: datetime.date, end: datetime.date | None) -> bool:
        """Whether something of the family from ``start`` to ``end`` goes in ``episode``: the
        episode it started in or, when it started in none (before the referral: the record
        is wrong, and the validators should say so), the first episode it runs into."""
        reference_date = self.period.end
        family = self.episodes.get(episode.family_id, ())
        if episode.holds(start, reference_date):
            return True
        if any(other.holds(start, reference_date) for other in family):
            return False
        until = min(end or reference_date, reference_date)
        running = [e for e in family if e.start <= until and (e.end is None or e.end >= start)]
        return bool(running) and running[0] is episode

    def _by_reference_date(self, day: datetime.date | None) -> datetime.date | None:
        return day if day is not None and day <= self.period.end else None


def _closure_code(episode: _Episode) -> str:
    """The episode's closure reason as a DfE code. A referral that led to no further action
    closed before any assessment: RC8 and RC9 are "closed after assessment" (8825Q), so
    its reason is RC7, services ceased."""
    if episode.no_further_action:
        return SERVICES_CEASED
    return Episode.CLOSURE_CODES.get(episode.closure_reason, "")


@functools.lru_cache(maxsize=1024)
def _icpc_target(day: datetime.date) -> datetime.date:
    """The ICPC's deadline on the scheduling clock: 15 working days after the discussion."""
    return add_working_days(day, settings.PODS_MEETING_CLOCKS["icpc_working_days"])


# --- the XML --------------------------------------------------------------------------------


class _Writer:
    """Writes elements as indented text; empty values are left out (the ingress reads a
    missing element and an empty one alike, and the DfE's own files leave them out)."""

    def __init__(self):
        self.parts = ['<?xml version="1.0" encoding="utf-8"?>\n']
        self.depth = 0
        self.written = io.BytesIO()

    def flush(self) -> None:
        """Encode what is written so far (after each child: the text never piles up)."""
        self.written.write("".join(self.parts).encode("utf-8"))
        self.parts.clear()

    def open(self, name: str) -> None:
        self.parts.append(f"{'  ' * self.depth}<{name}>\n")
        self.depth += 1

    def close(self, name: str) -> None:
        self.depth -= 1
        self.parts.append(f"{'  ' * self.depth}</{name}>\n")

    def value(self, name: str, value) -> None:
        if value is None or value == "":
            return
        if isinstance(value, datetime.date):
            value = value.isoformat()
        self.parts.append(f"{'  ' * self.depth}<{name}>{escape(str(value))}</{name}>\n")

    def bytes(self) -> bytes:
        self.flush()
        return self.written.getvalue()


def _header(out: _Writer, period: CollectionYear) -> None:
    out.open("Header")
    out.open("CollectionDetails")
    out.value("Collection", "CIN")
    out.value("Year", period.year)
    out.value("ReferenceDate", period.end)
    out.close("CollectionDetails")
    out.open("Source")
    out.value("SourceLevel", "L")
    out.value("LEA", settings.PODS_LA_CODE)
    out.value("SoftwareCode", SOFTWARE_CODE)
    out.value("Release", RELEASE)
    out.value("SerialNo", SERIAL_NO)
    out.value("DateTime", timezone.localtime().replace(microsecond=0, tzinfo=None).isoformat())
    out.close("Source")
    out.close("Header")


def _child(out: _Writer, child: _Child, details: list[dict]) -> None:
    out.open("Child")
    out.open("ChildIdentifiers")
    out.value("LAchildID", child.child_id)
    out.value("UPN", child.upn)
    out.value("FormerUPN", child.former_upn)
    out.value("UPNunknown", "" if child.upn else child.upn_unknown)
    if child.date_of_birth is not None:
        out.value("PersonBirthDate", child.date_of_birth)
    else:
        out.value("ExpectedPersonBirthDate", child.expected_date_of_birth)
    out.value("Sex", child.sex_code)
    out.value("PersonDeathDate", child.date_of_death)
    out.close("ChildIdentifiers")
    out.open("ChildCharacteristics")
    out.value("Ethnicity", child.ethnicity)
    if child.disabilities:
        out.open("Disabilities")
        for code in child.disabilities:
            out.value("Disability", code)
        out.close("Disabilities")
    out.close("ChildCharacteristics")
    for each in details:
        _cin_details(out, each)
    out.close("Child")


def _cin_details(out: _Writer, details: dict) -> None:
    out.open("CINdetails")
    for name in ("CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
                 "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA"):  # fmt: skip
        out.value(name, details[name])
    for started, authorised, factors in details["Assessments"]:
        out.open("Assessments")
        out.value("AssessmentActualStartDate", started)
        out.value("AssessmentAuthorisationDate", authorised)
        if factors:
            out.open("FactorsIdentifiedAtAssessment")
            for code in factors:
                out.value("AssessmentFactors", code)
            out.close("FactorsIdentifiedAtAssessment")
        out.close("Assessments")
    for start, end in details["CINPlanDates"]:
        out.open("CINPlanDates")
        out.value("CINPlanStartDate", start)
        out.value("CINPlanEndDate", end)
        out.close("CINPlanDates")
    for s47 in details["Section47"]:
        out.open("Section47")
        out.value("S47ActualStartDate", s47.day)
        out.value("InitialCPCtarget", s47.target)
        out.value("DateOfInitialCPC", s47.icpc)
        out.value("ICPCnotRequired", "1" if s47.not_required else "0")
        out.close("Section47")
    for plan in details["ChildProtectionPlans"]:
        out.open("ChildProtectionPlans")
        for name in ("CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
                     "LatestCategoryOfAbuse", "NumberOfPreviousCPP"):  # fmt: skip
            out.value(name, plan[name])
        for day in plan["Reviews"]:
            out.open("Reviews")
            out.value("CPPreviewDate", day)
            out.close("Reviews")
        out.close("ChildProtectionPlans")
    out.close("CINdetails")
