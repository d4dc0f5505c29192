"""The demo authority's statutory facts: what the CIN census and the SSDA903 return report,
filled in on the families, referrals, assessments, plans, meetings and allocations that
``families.demo``, ``onestory.demo`` and ``scheduling.demo`` simulated, and consistent with
them (DEMO_BUILDERS: right after ``scheduling.demo.build``).

- *Children* (``_people``): a unique pupil number with its check letter (CIN rule 1510) and our
  council's number (``settings.PODS_LA_CODE``) for every child of school age (4 or over), now
  and then a former one; the reason there is none for the others (not of school age; a referral
  with no further action; a young asylum seeker who has never been to school here); their
  disabilities (most none); and for a few young women in care, their own child's birth.
- *Referrals* (``_referrals``): the DfE's finer source behind each plain one, whether it led to
  no further action (closed at the front door, never assessed: the assessments builder leaves
  those out) and, once assessed, the child's primary need, from what followed.
- *Assessments*: the factors identified, on those signed off (only those: CIN rule 8614).
- *Child protection plans*: the category at the initial conference, and the plans before.
- *Allocations*: each change of worker's DfE reason, from the reason the sweep gave.
- *Looked after* (``reporting.demo.care``): periods of care, placements, times missing,
  adoption, the year's health outcomes (OC2) and care leavers' contact (OC3).
- *Reviews*: how each child took part in their held child in care reviews.

Set-based, for scale 10 (about 21,000 open children): a few queries to read everything, plain
Python with one random generator a step (so a change to one step leaves the others' facts as
they were), then ``UPDATE ... FROM (VALUES ...)`` and bulk inserts (``reporting.demo.bulk``).
Rows are always visited in primary-key order: the same seed gives the same facts."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.conf import settings
from django.utils import timezone

from families.demo.allocation import CHANGE_REASONS, LEAVER_REASON, MOVED_TEAM_REASON
from families.models import Allocation, ChildStatus, Episode, FamilyMember, Person, Referral
from families.models.codes import AssessmentFactor, Disability, PrimaryNeed, UPNUnknown
from onestory.models import Assessment
from reporting.demo import care
from reporting.demo.bulk import create_rows, update_rows
from reporting.demo.common import birthday, weighted
from scheduling.models import Appointment, ReviewParticipation

CP = ChildStatus.Kind.CP_PLAN
CIN = ChildStatus.Kind.CIN_PLAN
LAC = ChildStatus.Kind.LOOKED_AFTER
PROCEEDINGS = ChildStatus.Kind.CARE_PROCEEDINGS
Outcome = Assessment.Outcome
Source = Referral.Source

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # CIN rule 1510's, for remainders 0 to 22
SCHOOL_AGE = 4  # in a reception class by the September after their fourth birthday
NEIGHBOURS = ["845", "938", "816", "850", "886"]  # for a few former UPNs

# The plain source the simulation chose, and the DfE's finer sources behind it.
FINER_SOURCES = {
    Source.HEALTH: [
        (Source.HEALTH, 30), (Source.GP, 20), (Source.HEALTH_VISITOR, 15),
        (Source.SCHOOL_NURSE, 10), (Source.EMERGENCY, 15), (Source.PRIMARY_HEALTH, 10),
    ],
    Source.SCHOOL: [(Source.SCHOOL, 85), (Source.EDUCATION_SERVICES, 15)],
    Source.FAMILY: [(Source.FAMILY, 80), (Source.ACQUAINTANCE, 20)],
    Source.POLICE: [(Source.POLICE, 92), (Source.LEGAL_AGENCY, 8)],
    Source.LOCAL_AUTHORITY: [
        (Source.LOCAL_AUTHORITY, 50), (Source.SOCIAL_CARE, 30), (Source.OTHER_AUTHORITY, 20),
    ],
    Source.OTHER: [
        (Source.OTHER, 30), (Source.EARLY_HELP, 35), (Source.INDIVIDUAL_OTHER, 15),
        (Source.UNKNOWN, 10), (Source.LEGAL_AGENCY, 10),
    ],
}  # fmt: skip

# Why a worker changed (families.demo.allocation's reasons) as the DfE's SW_REASON.
CHANGE_REASON_CODES = {
    LEAVER_REASON: "LEFTRL",
    MOVED_TEAM_REASON: "LEFTRL",
    "Caseload balancing in the pod": "MANAGE",
    "The family asked for a different worker": "PCCHAN",
    "Worker reduced their hours": "OTHERS",
    "Worker on long-term sick leave": "ABSENC",
    "Matched to a worker with the right experience for the family": "MANAGE",
}
# A new reason in the sweep needs its code here.
assert set(CHANGE_REASONS) <= set(CHANGE_REASON_CODES)  # noqa: S101

Factor = AssessmentFactor
ABUSE_FACTORS = {
    "neglect": [[Factor.NEGLECT]],
    "emotional": [[Factor.EMOTIONAL_ABUSE]],
    "physical": [[Factor.PHYSICAL_ABUSE_BY_ADULT]] * 5 + [[Factor.PHYSICAL_ABUSE_BY_CHILD]],
    "sexual": [[Factor.SEXUAL_ABUSE_BY_ADULT]] * 4 + [[Factor.SEXUAL_ABUSE_BY_CHILD]],
    "multiple": [[Factor.NEGLECT, Factor.EMOTIONAL_ABUSE]],
}
ADULT_FACTORS = [
    Factor.DOMESTIC_ABUSE_PARENT, Factor.DRUGS_PARENT, Factor.ALCOHOL_PARENT,
    Factor.MENTAL_HEALTH_PARENT, Factor.LEARNING_DISABILITY_PARENT,
    Factor.PHYSICAL_DISABILITY_PARENT, Factor.DOMESTIC_ABUSE_CHILD,
]  # fmt: skip
NEED_FACTORS = [
    Factor.MENTAL_HEALTH_PARENT, Factor.DOMESTIC_ABUSE_PARENT, Factor.DRUGS_PARENT,
    Factor.MENTAL_HEALTH_CHILD, Factor.SOCIALLY_UNACCEPTABLE_BEHAVIOUR, Factor.SELF_HARM,
    Factor.MISSING, Factor.GANGS, Factor.CRIMINAL_EXPLOITATION, Factor.YOUNG_CARER,
    Factor.PHYSICAL_DISABILITY_CHILD, Factor.LEARNING_DISABILITY_CHILD,
]  # fmt: skip
OTHER_DISABILITIES = [code for code in Disability.values if code != Disability.NONE]


def upn(serial: int, school_year: int) -> str:
    """A unique pupil number: our council's number, a school (from the serial), the year the
    child joined it and a serial there, behind the check letter of CIN rule 1510."""
    digits = f"{settings.PODS_LA_CODE}{2000 + serial // 1000:04d}{school_year % 100:02d}"
    digits += f"{serial % 1000:03d}"
    return check_letter(digits) + digits


def check_letter(digits: str) -> str:
    """The check letter of a UPN's last 12 characters (digits 2 to 13, weighted 2 to 13)."""
    return CHECK_LETTERS[sum(int(d) * w for w, d in enumerate(digits, start=2)) % 23]


# --- what the earlier builders wrote --------------------------------------------------------


class Record:
    """Everything the steps read, in a few queries, each in primary-key order."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.history_start = today.replace(year=today.year - 3, day=1)  # as families.demo's
        self.children = list(
            FamilyMember.objects.filter(relationship=FamilyMember.Relationship.CHILD)
            .order_by("person_id")
            .values_list("person_id", "family_id", "person__date_of_birth", "person__gender")
        )
        self.episodes = defaultdict(list)  # family: [(pk, start, end, closure, referral, source)]
        for row in Episode.objects.order_by("family_id", "start").values_list(
            "family_id", "pk", "start", "end", "closure_reason", "referral_id", "referral__source"
        ):
            self.episodes[row[0]].append(row[1:])
        self.allocated = set(Allocation.objects.values_list("episode_id", flat=True).distinct())
        self.statuses = defaultdict(list)  # person: [(pk, family, kind, start, end, cp, ls, uasc)]
        self.family_statuses = defaultdict(list)  # family: the same, by start
        for row in ChildStatus.objects.order_by("person_id", "start", "pk").values_list(
            "person_id", "pk", "family_id", "kind", "start", "end", "cp_category",
            "legal_status", "uasc",
        ):  # fmt: skip
            self.statuses[row[0]].append(row[1:])
            self.family_statuses[row[2]].append(row[1:])
        self.assessments = defaultdict(list)  # family: [(pk, started, completed, signed, outcome)]
        for row in Assessment.objects.order_by("family_id", "started", "pk").values_list(
            "family_id", "pk", "started", "completed", "signed_off", "outcome"
        ):
            self.assessments[row[0]].append(row[1:])

    def is_nfa(self, family_id: int, episode) -> bool | None:
        """Closed with no assessment (at the front door, or within days): no further action.
        None while the front door has not decided. The episodes open before the history were
        assessed before it (onestory.demo assesses those begun in it)."""
        pk, start, end, *_ = episode
        if end is None:
            return False if pk in self.allocated else None
        if start < self.history_start:
            return False
        return not any(start <= a[1] <= end for a in self.assessments.get(family_id, ()))

    def statuses_of_family(self, family_id: int):
        return self.family_statuses.get(family_id, [])


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    """Fill in the statutory facts of the demo authority (after scheduling.demo.build, in its
    transaction); return counts for seed_demo's summary line."""
    seeds = [rng.getrandbits(64) for _ in range(7)]
    record = Record(today)
    counts = {}
    counts |= _people(random.Random(seeds[0]), record)
    counts |= _referrals(random.Random(seeds[1]), record)
    counts |= _assessment_factors(random.Random(seeds[2]), record)
    counts |= _protection_plans(random.Random(seeds[3]), record)
    counts |= _allocation_reasons()
    counts |= care.build(random.Random(seeds[4]), record)
    counts |= _review_participation(random.Random(seeds[5]), record)
    return counts


# --- the steps -------------------------------------------------------------------------------


def _people(rng: random.Random, record: Record) -> dict[str, int]:
    today = record.today
    rows, serial = [], 0
    for person_id, family_id, born, gender in record.children:
        episodes = record.episodes.get(family_id, [])
        statuses = record.statuses.get(person_id, [])
        uasc = any(s[7] for s in statuses)
        number = former = unknown = ""
        if born is None or birthday(born, SCHOOL_AGE) > today:
            unknown = UPNUnknown.NOT_SCHOOL_AGE
        elif episodes and all(record.is_nfa(family_id, e) for e in episodes) and rng.random() < 0.4:
            unknown = UPNUnknown.REFERRAL_NFA  # never assessed, so never asked the school
        elif uasc and rng.random() < 0.25:
            unknown = UPNUnknown.NEVER_AT_SCHOOL
        else:
            number = upn(serial, birthday(born, SCHOOL_AGE).year)
            serial += 1
            if rng.random() < 0.01:  # moved here from a neighbouring council's school
                school, pupil = rng.randint(2000, 7999), rng.randint(0, 99999)
                digits = f"{rng.choice(NEIGHBOURS)}{school}{pupil:05d}"
                former = check_letter(digits) + digits
        if rng.random() < 0.88:
            disabilities = [Disability.NONE.value]
        else:
            chosen = set(rng.sample(OTHER_DISABILITIES, rng.choice([1, 1, 1, 2])))
            disabilities = [code for code in OTHER_DISABILITIES if code in chosen]
        own_child = None
        if gender == Person.Gender.FEMALE and born is not None:
            in_care = [s for s in statuses if s[2] == LAC]
            fifteen = birthday(born, 15)
            if in_care and rng.random() < 0.06:
                last = min(today, max(s[4] or today for s in in_care))
                first = max(fifteen, in_care[0][3])
                if first < last:
                    own_child = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
        rows.append((person_id, number, former, unknown, disabilities, own_child))
    update_rows(
        Person, ["upn", "former_upn", "upn_unknown", "disabilities", "own_child_born"], rows
    )
    return {
        "children with a UPN": sum(1 for row in rows if row[1]),
        "children with a reason for no UPN": sum(1 for row in rows if row[3]),
    }


def _primary_need(rng: random.Random, kinds: set[str], statuses) -> str:
    if LAC in kinds:
        first = next(s for s in statuses if s[2] == LAC)
        if first[7]:  # unaccompanied: no parent here
            return PrimaryNeed.ABSENT_PARENTING
        if first[6] == ChildStatus.LegalStatus.REMAND:
            return PrimaryNeed.SOCIALLY_UNACCEPTABLE_BEHAVIOUR
        if first[6] == ChildStatus.LegalStatus.S20:
            return weighted(rng, [("N1", 35), ("N4", 20), ("N5", 30), ("N6", 10), ("N3", 5)])
        return weighted(rng, [("N1", 90), ("N5", 5), ("N3", 5)])
    if CP in kinds or PROCEEDINGS in kinds:
        return weighted(rng, [("N1", 85), ("N5", 10), ("N4", 5)])
    if CIN in kinds:
        return weighted(
            rng,
            [("N1", 25), ("N2", 12), ("N3", 10), ("N4", 20), ("N5", 20), ("N6", 6), ("N7", 4),
             ("N8", 3)],
        )  # fmt: skip
    return weighted(rng, [("N9", 35), ("N4", 20), ("N5", 20), ("N3", 10), ("N2", 5), ("N1", 10)])


def _referrals(rng: random.Random, record: Record) -> dict[str, int]:
    rows = []
    for family_id in sorted(record.episodes):
        statuses = record.statuses_of_family(family_id)
        assessments = record.assessments.get(family_id, [])
        for episode in record.episodes[family_id]:
            pk, start, end, _closure, referral_id, source = episode
            finer = FINER_SOURCES.get(source)
            new_source = weighted(rng, finer) if finer else source
            nfa = record.is_nfa(family_id, episode)
            inside = [s for s in statuses if start <= s[3] and (end is None or s[3] <= end)]
            pending = any(
                a[2] is None and start <= a[1] and (end is None or a[1] <= end) for a in assessments
            )
            need = ""
            if nfa is False and not pending:  # decided at assessment
                inside.sort(key=lambda s: s[3])
                need = _primary_need(rng, {s[2] for s in inside}, inside)
            rows.append((referral_id, new_source, nfa, need))
    update_rows(Referral, ["source", "no_further_action", "primary_need"], rows)
    return {"referrals with no further action": sum(1 for row in rows if row[2])}


def _assessment_factors(rng: random.Random, record: Record) -> dict[str, int]:
    rows = []
    for family_id in sorted(record.assessments):
        categories = [s[5] for s in record.statuses_of_family(family_id) if s[2] == CP]
        for pk, started, _completed, signed, outcome in record.assessments[family_id]:
            if signed is None:
                continue  # recorded on authorisation (CIN rule 8614)
            if outcome in (Outcome.ICPC, Outcome.LEGAL_PLANNING):
                abuse = rng.choice(ABUSE_FACTORS.get(categories[0] if categories else "neglect"))
                factors = [*abuse, *rng.sample(ADULT_FACTORS, rng.randint(1, 3))]
            elif outcome == Outcome.CIN_PLAN:
                factors = rng.sample(NEED_FACTORS, rng.randint(1, 3))
            elif rng.random() < 0.4 and _closed_after_assessment(record, family_id, started):
                factors = [Factor.NONE]  # nothing found: the case closed (CIN query 8873Q)
            else:
                factors = rng.sample(NEED_FACTORS, 1)
            order = {code: i for i, code in enumerate(Factor.values)}
            rows.append((pk, sorted({str(f) for f in factors}, key=order.__getitem__)))
    update_rows(Assessment, ["factors"], rows)
    return {"assessments with factors": len(rows)}


def _closed_after_assessment(record: Record, family_id: int, started: datetime.date) -> bool:
    """The episode the assessment began in closed with no further action or a step down."""
    return any(
        start <= started <= (end or started) and closure in ("no_further_action", "step_down")
        for _pk, start, end, closure, *_ in record.episodes.get(family_id, ())
    )


def _protection_plans(rng: random.Random, record: Record) -> dict[str, int]:
    rows = []
    categories = ChildStatus.CPCategory.values
    for person_id in sorted(record.statuses):
        plans = [s for s in record.statuses[person_id] if s[2] == CP]
        for number, (pk, *_rest) in enumerate(plans):
            latest = plans[number][5] or "neglect"
            initial = latest if rng.random() < 0.85 else rng.choice(categories)
            before = number + (1 if rng.random() < 0.06 else 0)  # one elsewhere, now and then
            rows.append((pk, latest, initial, before))
    update_rows(ChildStatus, ["cp_category", "initial_cp_category", "previous_cp_plans"], rows)
    return {"child protection plans": len(rows)}


def _allocation_reasons() -> dict[str, int]:
    """A query a reason, on the allocations and on their history alike."""
    for model in (Allocation.history.model, Allocation):
        changes = model.objects.filter(is_change_of_worker=True)
        changed = 0
        for reason, code in sorted(CHANGE_REASON_CODES.items()):
            changed += changes.filter(reason=reason).update(change_reason=code)
        changed += changes.filter(change_reason="").update(change_reason="OTHERS")
    return {"changes of worker with a reason": changed}  # the allocations', counted last


def _review_participation(rng: random.Random, record: Record) -> dict[str, int]:
    born = {person_id: dob for person_id, _f, dob, _g in record.children}
    through = Appointment.children.through
    held = (
        through.objects.filter(
            appointment__kind=Appointment.Kind.CIC_REVIEW,
            appointment__status=Appointment.Status.HELD,
        )
        .order_by("appointment_id", "person_id")
        .values_list("appointment_id", "person_id", "appointment__start")
    )
    rows = []
    for appointment_id, person_id, start in held.iterator():
        dob = born.get(person_id)
        if dob is not None and birthday(dob, 4) > timezone.localdate(start):
            code = "PN0"
        else:
            code = weighted(
                rng,
                [("PN1", 55), ("PN2", 10), ("PN3", 5), ("PN4", 5), ("PN5", 10), ("PN6", 10),
                 ("PN7", 5)],
            )  # fmt: skip
        rows.append(
            ReviewParticipation(appointment_id=appointment_id, person_id=person_id, code=code)
        )
    create_rows(ReviewParticipation, rows)
    return {"reviews with participation": len(rows)}
