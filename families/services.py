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


def _person_create(details: PersonDetails, today: datetime.date) -> Person:
    if details.date_of_birth and details.date_of_birth > today:
        raise ValidationError({"date_of_birth": DOB_IN_FUTURE})
    person = Person(
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        date_of_birth=details.date_of_birth,
        gender=details.gender,
    )
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
    if end < episode.start:
        raise ValidationError({"end": "The closing date must be on or after the episode opened"})
    if not reason:
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
) -> Allocation:
    """Allocate the family to a pod and one of its workers. When another worker held the
    family in this episode, this is a change of social worker and needs a reason."""
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
    if current:
        if start <= current.start:
            raise ValidationError(
                {"start": "The change must start after the current allocation began"}
            )
        current.end = start - datetime.timedelta(days=1)
        current.save()
    _hold_in_team(family=family, team=team, start=start, reason=reason or "Allocation")
    return Allocation.objects.create(
        family=family,
        episode=episode,
        worker=worker,
        start=start,
        reason=reason.strip(),
        is_change_of_worker=current is not None,
    )


def family_transfer(
    *, family: Family, team: Team, worker: Worker, start: datetime.date, reason: str
) -> Allocation:
    """Move an allocated family to another worker, in its pod or another, with a reason."""
    if not family.allocations.filter(end__isnull=True).exists():
        raise ValidationError("The family has no worker yet: allocate it first")
    return family_allocate(family=family, team=team, worker=worker, start=start, reason=reason)


# --- child status ---------------------------------------------------------------------------


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
) -> ChildStatus:
    if not family.members.filter(
        person=person, relationship=FamilyMember.Relationship.CHILD
    ).exists():
        raise ValidationError({"person": "Choose a child in this family"})
    if open_episode(family) is None:
        raise ValidationError(NOT_OPEN.format(family=family.display_name))
    if kind == ChildStatus.Kind.CP_PLAN and not cp_category:
        raise ValidationError({"cp_category": "Choose the category of the child protection plan"})
    if kind == ChildStatus.Kind.LOOKED_AFTER and not legal_status:
        raise ValidationError({"legal_status": "Choose the legal status of the child in care"})
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
    status = ChildStatus(
        family=family,
        person=person,
        kind=kind,
        start=start,
        cp_category=cp_category if kind == ChildStatus.Kind.CP_PLAN else "",
        legal_status=legal_status if kind == ChildStatus.Kind.LOOKED_AFTER else "",
        uasc=uasc and kind == ChildStatus.Kind.LOOKED_AFTER,
    )
    status.full_clean()
    status.save()
    return status


@transaction.atomic
def child_status_end(*, status: ChildStatus, end: datetime.date) -> ChildStatus:
    if status.end is not None:
        raise ValidationError("This has already ended")
    if end < status.start:
        raise ValidationError({"end": f"The end date must be on or after {status.start:%-d %B %Y}"})
    status.end = end
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
