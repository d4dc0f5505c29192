"""Writes to families: each function is one business action in one transaction, called alike by
views, admin and the seed command, so nothing is ever half-saved.

Validation failures raise ``ValidationError`` with messages a worker can act on, keyed by the
form field they are about where there is one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.security_log import Kind as SecurityKind
from accounts.security_log import Outcome as SecurityOutcome
from accounts.security_log import security_event_record
from families.models import (
    Allocation,
    ChildStatus,
    Episode,
    Family,
    FamilyGrant,
    FamilyGroupObjectPermission,
    FamilyMember,
    FamilyUserObjectPermission,
    NeedAssessment,
    Person,
    PodAllocation,
    Professional,
    Referral,
    RestrictedAccess,
)
from families.models.codes import CareEnded, CareLegalStatus, Disability, WorkerChangeReason
from families.models.visibility import VIEW_FAMILY
from families.selectors import current_team
from pods.models import Team, TeamMembership, Worker, overlapping
from pods.working_days import months_before

# The continuity rule's window and the re-referral KPI's: 12 calendar months, in one place.
CONTINUITY_MONTHS = 12
OPEN_PLAN_KINDS = [
    ChildStatus.Kind.CIN_PLAN,
    ChildStatus.Kind.CP_PLAN,
    ChildStatus.Kind.LOOKED_AFTER,
    ChildStatus.Kind.CARE_PROCEEDINGS,
]


def within_continuity_window(previous_end: datetime.date, start: datetime.date) -> bool:
    """Whether an episode starting on ``start`` is within 12 calendar months of the end of
    the family's previous one (the continuity rule; the re-referral KPI counts the same)."""
    return previous_end >= months_before(start, CONTINUITY_MONTHS)


ALREADY_OPEN = (
    "{family} is already open to social work: a new referral is added to the open episode"
)
NOT_OPEN = "{family} is not open to social work: re-refer the family first"
WORKER_NOT_IN_TEAM = "{worker} is not in {team} on {day:%-d %B %Y}: choose someone in the pod"
DOB_IN_FUTURE = "Date of birth must be today or in the past"
STATUS_OVERLAPS = "{person} already has a {kind} from {start:%-d %B %Y}{until}: end that one first"
OPEN_PLANS = "{names} still {verb} an open plan or status: end {them} before closing"
CLOSURE_BEFORE_REFERRAL = "The episode cannot close before the referral on {day:%-d %B %Y}"
PLAN_BEFORE_REFERRAL = "The plan cannot start before the referral on {day:%-d %B %Y}"
CHANGE_REASON_NEEDED = "Choose why the social worker is changing"
CHANGE_REASON_UNKNOWN = "Choose why the social worker is changing from the list"
REASON_NEEDED = "Enter the reason"
EXPIRY_NEEDED = "Enter when this access ends"
EXPIRY_IN_PAST = "The access must end in the future"
EXPIRY_TOO_LONG = "Access can be given for at most {days} days at a time"
MAX_GRANT_DAYS = 90
BREAK_GLASS_RESTRICTED = (
    "This record is restricted, so break glass cannot open it: only the workers named on the "
    "restriction can see it. Ask the manager of the pod that holds the family to add you, "
    "giving them the reference"
)


@dataclass(frozen=True)
class PersonDetails:
    first_name: str
    last_name: str
    relationship: str
    date_of_birth: datetime.date | None = None
    gender: str = Person.Gender.NOT_KNOWN
    lives_in_household: bool = True
    # What the statutory returns need to know of a child (families/models/people.py).
    expected_date_of_birth: datetime.date | None = None
    date_of_death: datetime.date | None = None
    ethnicity: str = ""
    first_language: str = ""
    upn: str = ""
    former_upn: str = ""
    upn_unknown: str = ""
    disabilities: tuple[str, ...] = ()
    own_child_born: datetime.date | None = None


@dataclass(frozen=True)
class ReferralOutcome:
    family: Family
    episode: Episode
    continuity_worker: Worker | None = None  # set when the continuity rule gave it back

    @property
    def message(self) -> str:
        if self.continuity_worker is None:
            return (
                f"{self.family.display_name} is open and waiting for allocation at the front door"
            )
        return (
            f"{self.family.display_name} was open to {self.continuity_worker.name} less than "
            f"12 months ago, so the family goes back to them"
        )


# --- people ---------------------------------------------------------------------------------


# The first character of a unique pupil number is a check letter over the other twelve
# (CIN rule 1510); characters 2-4 are a council's number (1530), 5-12 digits (1540) and 13 a
# digit or, for a temporary number, a letter other than I, O and S (1550).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_COUNCILS = frozenset(
    [f"{n:03d}" for n in (*range(1, 6), *range(201, 214), *range(301, 321), *range(330, 337),
                          *range(340, 345), *range(350, 360), *range(370, 374), *range(380, 385),
                          *range(390, 395), *range(660, 682), *range(701, 709), *range(800, 804),
                          *range(805, 809), *range(810, 814), *range(820, 824), *range(835, 840),
                          *range(850, 853), *range(855, 858), *range(865, 897), *range(935, 939),
                          940, 941, 420, 815, 816, 825, 826, 830, 831, 840, 841, 845, 846, 860,
                          861, 908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933)]
)  # fmt: skip
UPN_WRONG_LENGTH = (
    "The {name} must be 13 characters: a letter, then 12 numbers (the last may be a letter)"
)
UPN_WRONG_SHAPE = "The {name} must be a letter, 11 numbers, then a number or a letter"
UPN_WRONG_COUNCIL = "The {name} is not right: characters 2 to 4 must be a council's number"
UPN_WRONG_CHECK_LETTER = (
    "The {name} is not right: its first letter does not match the rest of the number. "
    "Check it with the school"
)
UPN_AND_REASON = "Leave why there is no unique pupil number empty: the number is known"
NO_DISABILITY_ALONE = "Choose No disability on its own, or the child's disabilities"
BORN_AND_EXPECTED = (
    "Enter the date of birth or, for an unborn child, the expected date of birth, not both"
)
DEATH_BEFORE_BIRTH = "The date of death cannot be before the date of birth"
DEATH_IN_FUTURE = "The date of death must be today or in the past"
OWN_CHILD_NOT_FEMALE = "Her own child's date of birth is asked only for a girl or young woman"
OWN_CHILD_NOT_A_CHILD = "Her own child's date of birth is asked only for a child in the family"
OWN_CHILD_BEFORE_BIRTH = "Her own child's date of birth must be after her own date of birth"
OWN_CHILD_IN_FUTURE = "Her own child's date of birth must be today or in the past"


def upn_problem(upn: str, *, name: str = "unique pupil number") -> str | None:
    """What is wrong with a unique pupil number, in words for the form, or None when it is a
    well-formed number with the right check letter."""
    if len(upn) != 13:
        return UPN_WRONG_LENGTH.format(name=name)
    check, middle, last = upn[0], upn[1:12], upn[12]
    if (
        check not in UPN_LETTERS
        or not middle.isdigit()
        or not (last.isdigit() or last in UPN_LETTERS)
    ):
        return UPN_WRONG_SHAPE.format(name=name)
    if middle[:3] not in UPN_COUNCILS:
        return UPN_WRONG_COUNCIL.format(name=name)
    # A temporary number's last letter counts as its place in the check letters (DfE UPN guide).
    values = [int(c) for c in middle] + [int(last) if last.isdigit() else UPN_LETTERS.index(last)]
    total = sum(value * weight for value, weight in zip(values, range(2, 14), strict=True))
    if UPN_LETTERS[total % 23] != check:
        return UPN_WRONG_CHECK_LETTER.format(name=name)
    return None


def _clean_upn(value: str) -> str:
    return "".join(value.split()).upper()


def _person_identifiers_check(person: Person, *, relationship: str, today: datetime.date) -> None:
    """The rules between a person's own facts, each error on the field it is about. A fact
    left out is never an error here: the family page shows what the returns still need."""
    errors: dict[str, str] = {}
    if person.date_of_birth and person.date_of_birth > today:
        errors["date_of_birth"] = DOB_IN_FUTURE
    if person.date_of_birth and person.expected_date_of_birth:
        errors["expected_date_of_birth"] = BORN_AND_EXPECTED
    for field, name in (
        ("upn", "unique pupil number"),
        ("former_upn", "former unique pupil number"),
    ):
        value = getattr(person, field)
        problem = upn_problem(value, name=name) if value else None
        if problem:
            errors[field] = problem
    if person.upn and person.upn_unknown:
        errors["upn_unknown"] = UPN_AND_REASON
    if Disability.NONE in person.disabilities and len(person.disabilities) > 1:
        errors["disabilities"] = NO_DISABILITY_ALONE
    if person.date_of_death:
        if person.date_of_death > today:
            errors["date_of_death"] = DEATH_IN_FUTURE
        elif person.date_of_birth and person.date_of_death < person.date_of_birth:
            errors["date_of_death"] = DEATH_BEFORE_BIRTH
    if person.own_child_born:
        if relationship != FamilyMember.Relationship.CHILD:
            errors["own_child_born"] = OWN_CHILD_NOT_A_CHILD
        elif person.gender != Person.Gender.FEMALE:
            errors["own_child_born"] = OWN_CHILD_NOT_FEMALE
        elif person.own_child_born > today:
            errors["own_child_born"] = OWN_CHILD_IN_FUTURE
        elif person.date_of_birth and person.own_child_born <= person.date_of_birth:
            errors["own_child_born"] = OWN_CHILD_BEFORE_BIRTH
    if errors:
        raise ValidationError(errors)


PERSON_FIELDS = (
    "first_name", "last_name", "date_of_birth", "gender", "expected_date_of_birth",
    "date_of_death", "ethnicity", "first_language", "upn", "former_upn", "upn_unknown",
    "disabilities", "own_child_born",
)  # fmt: skip


def _person_fill(person: Person, fields: dict) -> None:
    for name, value in fields.items():
        if name not in PERSON_FIELDS:
            raise TypeError(f"person has no field {name} to change here")
        if name in ("first_name", "last_name", "first_language"):
            value = value.strip()
        elif name in ("upn", "former_upn"):
            value = _clean_upn(value)
        elif name == "disabilities":
            value = sorted(dict.fromkeys(value))
        setattr(person, name, value)


def _person_create(details: PersonDetails, today: datetime.date) -> Person:
    person = Person()
    _person_fill(person, {name: getattr(details, name) for name in PERSON_FIELDS})
    _person_identifiers_check(person, relationship=details.relationship, today=today)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_add(*, family: Family, details: PersonDetails) -> FamilyMember:
    person = _person_create(details, timezone.localdate())
    return FamilyMember.objects.create(
        family=family,
        person=person,
        relationship=details.relationship,
        lives_in_household=details.lives_in_household,
    )


@transaction.atomic
def person_update(*, family: Family, person: Person, by=None, **fields) -> Person:
    """Change a person's details and identifiers (any of PERSON_FIELDS), kept in the person's
    history with who changed them. The person must be in ``family``."""
    membership = (
        FamilyMember.objects.select_related("person")
        .select_for_update(of=("person",))
        .filter(family=family, person=person)
        .first()
    )
    if membership is None:
        raise ValidationError("This person is not in the family")
    person = membership.person
    _person_fill(person, fields)
    _person_identifiers_check(
        person, relationship=membership.relationship, today=timezone.localdate()
    )
    person.full_clean()
    person._history_user = by
    person.save()
    return person


@transaction.atomic
def professional_add(*, family: Family, added_by, **fields) -> Professional:
    professional = Professional(family=family, added_by=added_by, **fields)
    professional.full_clean()
    professional.save()
    return professional


# --- referral, episodes ---------------------------------------------------------------------


def _next_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('families_reference_seq')")
        (number,) = cursor.fetchone()
    return f"F{number:06d}"


def front_door_team(day: datetime.date) -> Team:
    team = Team.objects.active_on(day).filter(kind=Team.Kind.FRONT_DOOR).order_by("pk").first()
    if team is None:
        raise ValidationError("There is no Front Door team to receive referrals")
    return team


@transaction.atomic
def family_refer(
    *,
    display_name: str,
    received: datetime.date,
    source: str,
    reason: str,
    people: list[PersonDetails],
    recorded_by,
    address: str = "",
    postcode: str = "",
) -> ReferralOutcome:
    """A new family referred to the Front Door for Families: the family and its people, the
    referral, an open episode, and the front door holding it until a pod is allocated."""
    if not any(p.relationship == FamilyMember.Relationship.CHILD for p in people):
        raise ValidationError("Add at least one child: a referral is about a child")
    family = Family(
        reference=_next_reference(), display_name=display_name, address=address, postcode=postcode
    )
    family.full_clean()
    family.save()
    today = timezone.localdate()
    for details in people:
        person = _person_create(details, today)
        FamilyMember.objects.create(
            family=family,
            person=person,
            relationship=details.relationship,
            lives_in_household=details.lives_in_household,
        )
    episode = _episode_open(
        family=family, received=received, source=source, reason=reason, recorded_by=recorded_by
    )
    _hold_in_team(family=family, team=front_door_team(received), start=received, reason="Referral")
    return ReferralOutcome(family=family, episode=episode)


def _episode_open(*, family, received, source, reason, recorded_by) -> Episode:
    referral = Referral(
        family=family, received=received, source=source, reason=reason, recorded_by=recorded_by
    )
    referral.full_clean()
    referral.save()
    return Episode.objects.create(family=family, referral=referral, start=received)


def open_episode(family: Family) -> Episode | None:
    return family.episodes.filter(end__isnull=True).first()


def _last_closed_episode(family: Family) -> Episode | None:
    return family.episodes.filter(end__isnull=False).order_by("-end").first()


def _in_post(worker: Worker, team: Team, day: datetime.date) -> bool:
    employed = worker.start_date <= day and (worker.leave_date is None or worker.leave_date >= day)
    return (
        employed
        and TeamMembership.objects.current_on(day).filter(worker=worker, team=team).exists()
    )


@transaction.atomic
def family_rerefer(
    *, family: Family, received: datetime.date, source: str, reason: str, recorded_by
) -> ReferralOutcome:
    """A family referred again. The continuity rule: closed less than 12 months ago, and its
    last worker still in post in the same pod, it goes straight back to them."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if open_episode(family):
        raise ValidationError(ALREADY_OPEN.format(family=family.display_name))
    last = _last_closed_episode(family)
    if last and received <= last.end:
        raise ValidationError(
            {"received": "The new referral must be after the family's last episode closed"}
        )
    episode = _episode_open(
        family=family, received=received, source=source, reason=reason, recorded_by=recorded_by
    )
    if last is not None and within_continuity_window(last.end, received):
        last_allocation = last.allocations.order_by("-start").select_related("worker").first()
        last_pod = family.pod_allocations.order_by("-start").select_related("team").first()
        if (
            last_allocation
            and last_pod
            and last_pod.team.is_pod
            and _in_post(last_allocation.worker, last_pod.team, received)
        ):
            reason_text = "Continuity: re-referred within 12 months of closing"
            _hold_in_team(family=family, team=last_pod.team, start=received, reason=reason_text)
            Allocation.objects.create(
                family=family,
                episode=episode,
                worker=last_allocation.worker,
                start=received,
                reason=reason_text,
            )
            episode.referral.no_further_action = False  # it went straight to a worker
            episode.referral.save()
            return ReferralOutcome(family, episode, continuity_worker=last_allocation.worker)
    _hold_in_team(
        family=family, team=front_door_team(received), start=received, reason="Re-referral"
    )
    return ReferralOutcome(family=family, episode=episode)


@transaction.atomic
def episode_close(*, family: Family, end: datetime.date, reason: str) -> Episode:
    """Close the family's episode. Refused while any child still has an open plan or status.
    The family stays visible to its last pod, which knew it, for re-referral and records."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    episode = open_episode(family)
    if episode is None:
        raise ValidationError(NOT_OPEN.format(family=family.display_name))
    referral = episode.referral
    if end < referral.received or end < episode.start:
        raise ValidationError(
            {"end": CLOSURE_BEFORE_REFERRAL.format(day=max(referral.received, episode.start))}
        )
    if reason not in Episode.ClosureReason.values:
        raise ValidationError({"reason": "Choose why the family's episode is closing"})
    still_open = (
        ChildStatus.objects.filter(family=family, kind__in=OPEN_PLAN_KINDS)
        .filter(end__isnull=True)
        .select_related("person")
    )
    names = sorted({status.person.first_name for status in still_open})
    if names:
        several = len(names) > 1
        raise ValidationError(
            OPEN_PLANS.format(
                names=" and ".join(names),
                verb="have" if several else "has",
                them="them" if several else "it",
            )
        )
    episode.end = end
    episode.closure_reason = reason
    episode.full_clean()
    episode.save()
    # The front door's "no further action": closed with that reason before any assessment.
    # (Assessments are onestory's; the reverse relation reads them without importing it.)
    assessed = family.assessments.filter(started__gte=episode.start, started__lte=end).exists()
    referral.no_further_action = reason == Episode.ClosureReason.NO_FURTHER_ACTION and not assessed
    referral.save()
    for interval in (
        family.allocations.filter(end__isnull=True),
        family.pod_allocations.filter(end__isnull=True),
    ):
        for row in interval:
            row.end = end
            row.save()
    return episode


# --- allocation and transfer ----------------------------------------------------------------


def _view_permission() -> Permission:
    return Permission.objects.get(codename=VIEW_FAMILY, content_type__app_label="families")


def _pod_grant_rewrite(family: Family, team: Team) -> None:
    """One group grant per family, to the pod that holds it: rewritten, never added to."""
    permission = _view_permission()
    FamilyGroupObjectPermission.objects.filter(content_object=family).delete()
    FamilyGroupObjectPermission.objects.create(
        content_object=family, group_id=team.group_id, permission=permission
    )


def _hold_in_team(*, family: Family, team: Team, start: datetime.date, reason: str) -> None:
    current = family.pod_allocations.filter(end__isnull=True).first()
    if current and current.team_id == team.pk:
        return
    if current and current.start >= start:
        # Moved on the day it arrived (referred and allocated the same day): the move
        # replaces the stay, and simple-history keeps where it was first.
        current.team = team
        current.reason = reason
        current.save()
    else:
        if current:
            current.end = start - datetime.timedelta(days=1)
            current.save()
        PodAllocation.objects.create(family=family, team=team, start=start, reason=reason)
    _pod_grant_rewrite(family, team)


@transaction.atomic
def family_allocate(
    *,
    family: Family,
    team: Team,
    worker: Worker,
    start: datetime.date,
    reason: str = "",
    change_reason: str = "",
) -> Allocation:
    """Allocate the family to a pod and one of its workers. When another worker held the
    family in this episode, this is a change of social worker and needs a reason; why it
    changed (``change_reason``, the SSDA903's SW_REASON) is required on the form for a
    change, and kept empty for the first worker (a first contact). Allocating a worker means
    the referral did not end in no further action."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    episode = open_episode(family)
    if episode is None:
        raise ValidationError(NOT_OPEN.format(family=family.display_name))
    if not _in_post(worker, team, start):
        raise ValidationError(
            {"worker": WORKER_NOT_IN_TEAM.format(worker=worker, team=team, day=start)}
        )
    if start < episode.start:
        raise ValidationError({"start": "The allocation must start on or after the episode opened"})
    current = family.allocations.filter(end__isnull=True).first()
    if current and current.worker_id == worker.pk and current_team(family) == team:
        raise ValidationError({"worker": f"{worker} already holds this family"})
    if current and not reason.strip():
        raise ValidationError({"reason": "Enter why the family is changing worker"})
    if change_reason and (
        change_reason not in WorkerChangeReason.values
        or change_reason == WorkerChangeReason.FIRST_CONTACT
    ):
        raise ValidationError({"change_reason": CHANGE_REASON_UNKNOWN})
    is_change = episode.allocations.exists()
    if current:
        if start <= current.start:
            raise ValidationError(
                {"start": "The change must start after the current allocation began"}
            )
        current.end = start - datetime.timedelta(days=1)
        current.save()
    _hold_in_team(family=family, team=team, start=start, reason=reason or "Allocation")
    if episode.referral.no_further_action is not False:
        episode.referral.no_further_action = False
        episode.referral.save()
    return Allocation.objects.create(
        family=family,
        episode=episode,
        worker=worker,
        start=start,
        reason=reason.strip(),
        is_change_of_worker=current is not None,
        change_reason=change_reason if is_change else "",
    )


def family_transfer(
    *,
    family: Family,
    team: Team,
    worker: Worker,
    start: datetime.date,
    reason: str,
    change_reason: str = "",
) -> Allocation:
    """Move an allocated family to another worker, in its pod or another, with a reason."""
    if not family.allocations.filter(end__isnull=True).exists():
        raise ValidationError("The family has no worker yet: allocate it first")
    return family_allocate(
        family=family,
        team=team,
        worker=worker,
        start=start,
        reason=reason,
        change_reason=change_reason,
    )


@transaction.atomic
def referral_update(
    *,
    referral: Referral,
    source: str,
    primary_need: str,
    no_further_action: bool | None,
    by=None,
) -> Referral:
    """Correct or complete what the returns need of a referral: who referred, the child's
    primary need (decided at assessment) and whether it led to no further action."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    referral.source = source
    referral.primary_need = primary_need
    referral.no_further_action = no_further_action
    referral.full_clean()
    referral._history_user = by
    referral.save()
    return referral


# --- child status ---------------------------------------------------------------------------


# The councils a previous permanence order can come from (SSDA903 rule 633): the DfE's
# numbers, 999 for not known, and the UK outside England.
_PERMANENCE_COUNCILS = (
    "800 889 822 301 304 303 330 825 837 302 846 370 350 890 867 380 305 801 351 873 823 895 896 "
    "381 909 202 908 331 306 841 830 831 878 371 835 332 840 307 308 811 881 845 390 916 203 876 "
    "850 311 204 884 312 205 313 805 919 310 309 420 921 206 207 886 810 382 314 340 888 208 856 "
    "383 855 209 925 341 201 821 352 806 887 826 315 929 812 391 926 892 813 802 928 891 392 316 "
    "815 353 931 879 836 851 874 807 354 317 870 318 372 857 333 935 343 803 373 342 893 356 355 "
    "871 394 334 933 882 936 861 852 319 860 808 393 866 210 357 894 883 880 358 211 937 869 320 "
    "359 865 384 335 336 212 868 872 885 344 877 213 938 816 999 WAL SCO NUK NIR"
)
PERMANENCE_COUNCILS = frozenset(_PERMANENCE_COUNCILS.split())
PERMANENCE_COUNCIL_UNKNOWN = (
    "Enter the council's three-digit DfE number (999 if not known), or WAL, SCO, NIR or NUK"
)
PERMANENCE_KIND_NEEDED = "Choose the kind of permanence order the council and date belong to"
PERMANENCE_NOT_BEFORE = "The previous permanence order must be before this care began"
PERMANENCE_NOT_NEW_PERIOD = (
    "This care carries on from the legal status that ended the day before: a previous "
    "permanence order is recorded when a period of care begins"
)
FEWER_PREVIOUS_PLANS = (
    "{person} has had {count} child protection plan{s} recorded here before this one: "
    "enter {count} or more"
)
CARE_ENDED_AND_NEXT = "Choose either why care ended or the new legal status, not both"
CARE_ENDED_NOT_IN_CARE = "Only a looked-after status has a reason care ended"
NEXT_LEGAL_STATUS_NEEDED = "Choose the new legal status"

CP_FIELDS = {"cp_category", "initial_cp_category", "previous_cp_plans"}
CARE_FIELDS = {
    "legal_status", "care_need", "uasc", "previous_permanence", "previous_permanence_council",
    "previous_permanence_date", "care_ended",
}  # fmt: skip


def earlier_cp_plans(person: Person, before: datetime.date) -> int:
    """How many child protection plans Pods holds for the child that began before ``before``:
    the least the number of previous plans can be."""
    return ChildStatus.objects.filter(
        person=person, kind=ChildStatus.Kind.CP_PLAN, start__lt=before
    ).count()


def _continues_care(person: Person, start: datetime.date, *, exclude=None) -> bool:
    """Whether a looked-after status starting on ``start`` carries on a period of care: one
    ended the day before (a change of legal status)."""
    previous = ChildStatus.objects.filter(
        person=person, kind=ChildStatus.Kind.LOOKED_AFTER, end=start - datetime.timedelta(days=1)
    )
    if exclude is not None:
        previous = previous.exclude(pk=exclude.pk)
    return previous.exists()


def _status_checks(status: ChildStatus) -> None:
    """The rules between a status's own facts and the record around it, each error on the
    field it is about. Facts left out are shown as missing on the family page, not refused."""
    errors: dict[str, str] = {}
    if status.kind == ChildStatus.Kind.CP_PLAN and status.previous_cp_plans is not None:
        count = earlier_cp_plans(status.person, status.start)
        if status.previous_cp_plans < count:
            errors["previous_cp_plans"] = FEWER_PREVIOUS_PLANS.format(
                person=status.person.first_name, count=count, s="" if count == 1 else "s"
            )
    if status.kind == ChildStatus.Kind.LOOKED_AFTER:
        council = status.previous_permanence_council
        if council and council not in PERMANENCE_COUNCILS:
            errors["previous_permanence_council"] = PERMANENCE_COUNCIL_UNKNOWN
        if (council or status.previous_permanence_date) and not status.previous_permanence:
            errors["previous_permanence"] = PERMANENCE_KIND_NEEDED
        if status.previous_permanence_date and status.previous_permanence_date >= status.start:
            errors["previous_permanence_date"] = PERMANENCE_NOT_BEFORE
        has_permanence = status.previous_permanence or council or status.previous_permanence_date
        if has_permanence and _continues_care(status.person, status.start, exclude=status):
            errors["previous_permanence"] = PERMANENCE_NOT_NEW_PERIOD
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def child_status_start(
    *,
    family: Family,
    person: Person,
    kind: str,
    start: datetime.date,
    cp_category: str = "",
    legal_status: str = "",
    uasc: bool = False,
    previous_cp_plans: int | None = None,
    care_need: str = "",
    previous_permanence: str = "",
    previous_permanence_council: str = "",
    previous_permanence_date: datetime.date | None = None,
    by=None,
) -> ChildStatus:
    """Start a plan or status for a child. A child protection plan starts with the category
    decided at the initial conference (``cp_category``: the initial and, until a review changes
    it, the latest) and the number of plans the child had before, which defaults to the number
    Pods holds. A looked-after status has its legal status and, when it begins a new period
    of care, any permanence order the child had before."""
    if not family.members.filter(
        person=person, relationship=FamilyMember.Relationship.CHILD
    ).exists():
        raise ValidationError({"person": "Choose a child in this family"})
    episode = open_episode(family)
    if episode is None:
        raise ValidationError(NOT_OPEN.format(family=family.display_name))
    if kind == ChildStatus.Kind.CP_PLAN and not cp_category:
        raise ValidationError({"cp_category": "Choose the category of the child protection plan"})
    if kind == ChildStatus.Kind.LOOKED_AFTER and not legal_status:
        raise ValidationError({"legal_status": "Choose the legal status of the child in care"})
    plans = (ChildStatus.Kind.CP_PLAN, ChildStatus.Kind.CIN_PLAN)
    if kind in plans and start < episode.referral.received:
        raise ValidationError({"start": PLAN_BEFORE_REFERRAL.format(day=episode.referral.received)})
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one writer per child
    clash = (
        ChildStatus.objects.filter(person=person, kind=kind)
        .filter(overlapping("start", "end", start, None))
        .first()
    )
    if clash:
        until = f" to {clash.end:%-d %B %Y}" if clash.end else ""
        raise ValidationError(
            {
                "start": STATUS_OVERLAPS.format(
                    person=person.first_name,
                    kind=clash.get_kind_display().lower(),
                    start=clash.start,
                    until=until,
                )
            }
        )
    is_cp = kind == ChildStatus.Kind.CP_PLAN
    in_care = kind == ChildStatus.Kind.LOOKED_AFTER
    if is_cp and previous_cp_plans is None:
        previous_cp_plans = earlier_cp_plans(person, start)
    status = ChildStatus(
        family=family,
        person=person,
        kind=kind,
        start=start,
        cp_category=cp_category if is_cp else "",
        initial_cp_category=cp_category if is_cp else "",
        previous_cp_plans=previous_cp_plans if is_cp else None,
        legal_status=legal_status if in_care else "",
        care_need=care_need if in_care else "",
        uasc=uasc and in_care,
        previous_permanence=previous_permanence if in_care else "",
        previous_permanence_council=(previous_permanence_council or "").strip().upper()
        if in_care
        else "",
        previous_permanence_date=previous_permanence_date if in_care else None,
    )
    status.full_clean()
    _status_checks(status)
    status._history_user = by
    status.save()
    return status


@transaction.atomic
def child_status_end(
    *,
    status: ChildStatus,
    end: datetime.date,
    care_ended: str = "",
    next_legal_status: str = "",
    by=None,
) -> ChildStatus:
    """End a plan or status on ``end`` (its last day). For a looked-after child, either care
    ended (``care_ended``, why) or only the legal status changed (``next_legal_status``): then
    the next status starts the day after in the same transaction, carrying on the period of
    care with its category of need and UASC."""
    status = (
        ChildStatus.objects.select_for_update().select_related("person", "family").get(pk=status.pk)
    )
    if status.end is not None:
        raise ValidationError("This has already ended")
    if end < status.start:
        raise ValidationError({"end": f"The end date must be on or after {status.start:%-d %B %Y}"})
    in_care = status.kind == ChildStatus.Kind.LOOKED_AFTER
    if (care_ended or next_legal_status) and not in_care:
        raise ValidationError({"care_ended": CARE_ENDED_NOT_IN_CARE})
    if care_ended and next_legal_status:
        raise ValidationError({"care_ended": CARE_ENDED_AND_NEXT})
    if care_ended and care_ended not in CareEnded.values:
        raise ValidationError({"care_ended": "Choose why care ended from the list"})
    if next_legal_status and next_legal_status not in CareLegalStatus.values:
        raise ValidationError({"next_legal_status": NEXT_LEGAL_STATUS_NEEDED})
    status.end = end
    status.care_ended = care_ended
    status._history_user = by
    status.save()
    if next_legal_status:
        child_status_start(
            family=status.family,
            person=status.person,
            kind=ChildStatus.Kind.LOOKED_AFTER,
            start=end + datetime.timedelta(days=1),
            legal_status=next_legal_status,
            care_need=status.care_need,
            uasc=status.uasc,
            by=by,
        )
    return status


@transaction.atomic
def child_status_update(*, status: ChildStatus, by=None, **fields) -> ChildStatus:
    """Complete or correct a status's facts: a child protection plan's categories (the latest
    changes at a review conference) and previous plans; a period of care's legal status (a
    correction: a change of legal status ends this one and starts the next), category of
    need, UASC, previous permanence and, once ended, why care ended."""
    status = ChildStatus.objects.select_for_update().select_related("person").get(pk=status.pk)
    allowed = {ChildStatus.Kind.CP_PLAN: CP_FIELDS, ChildStatus.Kind.LOOKED_AFTER: CARE_FIELDS}
    unknown = set(fields) - allowed.get(status.kind, set())
    if unknown:
        raise TypeError(f"a {status.kind} has no {', '.join(sorted(unknown))} to change here")
    if fields.get("care_ended") and status.end is None:
        raise ValidationError({"care_ended": "Care has not ended: end the status to say why"})
    for name, value in fields.items():
        if name == "previous_permanence_council":
            value = (value or "").strip().upper()
        setattr(status, name, value)
    if status.kind == ChildStatus.Kind.CP_PLAN and not status.cp_category:
        status.cp_category = status.initial_cp_category  # the latest, until a review changes it
    status.full_clean()
    _status_checks(status)
    status._history_user = by
    status.save()
    return status


# --- level of need --------------------------------------------------------------------------


@transaction.atomic
def need_assessment_record(
    *,
    family: Family,
    date: datetime.date,
    level: int,
    indicators: list[str],
    assessed_by,
    child: Person | None = None,
    notes: str = "",
) -> NeedAssessment:
    from families.continuum import indicator_ids

    unknown = set(indicators) - indicator_ids()
    if unknown:
        raise ValidationError({"indicators": "Choose indicators from the continuum of need"})
    assessment = NeedAssessment(
        family=family,
        child=child,
        date=date,
        level=level,
        indicators=sorted(indicators),
        notes=notes,
        assessed_by=assessed_by,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


# --- exceptions to pod visibility -------------------------------------------------------------


@transaction.atomic
def grant_give(
    *,
    family: Family,
    user,
    kind: str,
    reason: str,
    expires: datetime.datetime | None,
    granted_by,
    request=None,
) -> FamilyGrant:
    """Let someone outside the pod see the family, for a reason, until ``expires``. Written
    to the security log (``request``, when there is one, gives the address)."""
    grant = _grant_create(
        family=family, user=user, kind=kind, reason=reason, expires=expires, granted_by=granted_by
    )
    security_event_record(
        kind=SecurityKind.GRANT_GIVEN,
        request=request,
        user=granted_by,
        target=family,
        detail=_grant_detail(grant),
    )
    return grant


def _grant_create(*, family, user, kind, reason, expires, granted_by) -> FamilyGrant:
    now = timezone.now()
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = REASON_NEEDED
    if expires is None:
        errors["expires"] = EXPIRY_NEEDED
    elif expires <= now:
        errors["expires"] = EXPIRY_IN_PAST
    elif expires > now + datetime.timedelta(days=MAX_GRANT_DAYS):
        errors["expires"] = EXPIRY_TOO_LONG.format(days=MAX_GRANT_DAYS)
    if errors:
        raise ValidationError(errors)
    grant = FamilyGrant.objects.create(
        family=family,
        user=user,
        kind=kind,
        reason=reason.strip(),
        granted_by=granted_by,
        starts=now,
        expires=expires,
    )
    FamilyUserObjectPermission.objects.get_or_create(
        content_object=family, user=user, permission=_view_permission()
    )
    return grant


def _grant_detail(grant: FamilyGrant) -> str:
    # Who and until when, never the reason: the reason is free text about the family, and the
    # security log is read by administrators who are not entitled to case information.
    until = f"{timezone.localtime(grant.expires):%Y-%m-%d %H:%M}"
    return f"{grant.get_kind_display()} for {grant.user.get_username()} until {until}"


@transaction.atomic
def grant_revoke(*, grant: FamilyGrant, by=None, request=None) -> None:
    grant.revoked = timezone.now()
    grant.save()
    if not FamilyGrant.objects.in_force().filter(family=grant.family, user=grant.user).exists():
        FamilyUserObjectPermission.objects.filter(
            content_object=grant.family, user=grant.user
        ).delete()
    security_event_record(
        kind=SecurityKind.GRANT_REVOKED,
        request=request,
        user=by,
        target=grant.family,
        detail=f"{grant.get_kind_display()} for {grant.user.get_username()}",
    )


def break_glass(*, family: Family, user, reason: str, request=None) -> FamilyGrant:
    """A senior leader opens a family outside their visibility: recorded, reasoned, short.

    A restricted family is seen only by the workers named on it, so a grant could not open it:
    the attempt is refused (and logged) instead of leaving a grant that lets nobody in."""
    if family.restricted and not family.restricted_access.filter(user=user).exists():
        security_event_record(
            kind=SecurityKind.BREAK_GLASS,
            outcome=SecurityOutcome.REFUSED,
            request=request,
            user=user,
            target=family,
            detail="The record is restricted to named workers",
        )
        # Not inside the transaction below: the refusal stays in the log after the raise.
        raise ValidationError({"reference": BREAK_GLASS_RESTRICTED})
    with transaction.atomic():
        grant = _grant_create(
            family=family,
            user=user,
            kind=FamilyGrant.Kind.BREAK_GLASS,
            reason=reason,
            expires=timezone.now() + datetime.timedelta(hours=settings.PODS_BREAK_GLASS_HOURS),
            granted_by=user,
        )
        security_event_record(
            kind=SecurityKind.BREAK_GLASS,
            request=request,
            user=user,
            target=family,
            detail=_grant_detail(grant),
        )
    return grant


def grants_expired_clear(*, at: datetime.datetime | None = None) -> int:
    """Daily tidy-up of guardian user rows that no grant in force stands behind. Visibility
    never relies on this: expiry is checked at query time."""
    in_force = FamilyGrant.objects.in_force(at).filter(
        user=OuterRef("user"), family=OuterRef("content_object")
    )
    count, _ = FamilyUserObjectPermission.objects.exclude(Exists(in_force)).delete()
    return count


@transaction.atomic
def family_restrict(
    *, family: Family, reason: str, review_date: datetime.date, named_users, by, request=None
) -> Family:
    """Restrict a family to named workers only. The person restricting it is always named."""
    if not reason.strip():
        raise ValidationError({"reason": REASON_NEEDED})
    if review_date is None or review_date <= timezone.localdate():
        raise ValidationError({"review_date": "Enter a review date in the future"})
    family.restricted = True
    family.restriction_reason = reason.strip()
    family.restriction_review_date = review_date
    family.save()
    named = {*named_users, by}
    for user in named:
        RestrictedAccess.objects.get_or_create(family=family, user=user, defaults={"added_by": by})
    security_event_record(
        kind=SecurityKind.RECORD_RESTRICTED,
        request=request,
        user=by,
        target=family,
        detail=f"Named: {', '.join(sorted(user.get_username() for user in named))}; "
        f"review on {review_date:%Y-%m-%d}",
    )
    return family
