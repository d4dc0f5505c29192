"""A child's plans and statuses over time (child in need and child protection plans, being
looked after, care proceedings) with what the returns need of each, and the level of need."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from families.models import (
    ChildStatus,
    Family,
    FamilyMember,
    NeedAssessment,
    Person,
)
from families.models.codes import CareEnded, CareLegalStatus
from families.models.people import eighteenth_birthday
from families.services.journey import NOT_OPEN, open_episode
from pods.models import overlapping

STATUS_OVERLAPS = "{person} already has a {kind} from {start:%-d %B %Y}{until}: end that one first"
PLAN_BEFORE_REFERRAL = "The plan cannot start before the referral on {day:%-d %B %Y}"


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
UASC_CEASED_NOT_UASC = (
    "Tick that the child is an unaccompanied asylum-seeking child, or leave the date they "
    "stopped being one empty"
)
UASC_CEASED_AFTER_18 = (
    "{person} stopped being an unaccompanied asylum-seeking child at 18, on {day:%-d %B %Y}, "
    "at the latest"
)
UASC_CEASED_BEFORE_BIRTH = (
    "The date they stopped being an unaccompanied asylum-seeking child must be after their "
    "date of birth"
)
CARE_ENDED_AND_NEXT = "Choose either why care ended or the new legal status, not both"
CARE_ENDED_NOT_IN_CARE = "Only a looked-after status has a reason care ended"
NEXT_LEGAL_STATUS_NEEDED = "Choose the new legal status"

CP_FIELDS = {"cp_category", "initial_cp_category", "previous_cp_plans"}
CARE_FIELDS = {
    "legal_status", "care_need", "uasc", "uasc_ceased", "previous_permanence",
    "previous_permanence_council", "previous_permanence_date", "care_ended",
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
        errors.update(_uasc_checks(status))
        has_permanence = status.previous_permanence or council or status.previous_permanence_date
        if has_permanence and _continues_care(status.person, status.start, exclude=status):
            errors["previous_permanence"] = PERMANENCE_NOT_NEW_PERIOD
    if errors:
        raise ValidationError(errors)


def _uasc_checks(status: ChildStatus) -> dict[str, str]:
    ceased, born = status.uasc_ceased, status.person.date_of_birth
    if ceased is None:
        return {}
    if not status.uasc:
        return {"uasc_ceased": UASC_CEASED_NOT_UASC}
    if born is not None and ceased <= born:
        return {"uasc_ceased": UASC_CEASED_BEFORE_BIRTH}
    if born is not None and ceased > (eighteen := eighteenth_birthday(born)):
        return {
            "uasc_ceased": UASC_CEASED_AFTER_18.format(
                person=status.person.first_name, day=eighteen
            )
        }
    return {}


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
