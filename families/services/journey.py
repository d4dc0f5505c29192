"""A family's journey through social work: referral and re-referral (with the continuity
rule), closing an episode, allocation and transfer to a pod and worker, and what the returns
need of a referral."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from families.models import (
    Allocation,
    ChildStatus,
    Episode,
    Family,
    FamilyGroupObjectPermission,
    FamilyMember,
    PodAllocation,
    Referral,
)
from families.models.codes import WorkerChangeReason
from families.selectors import current_team
from families.services.access import _view_permission
from families.services.people import PersonDetails, _person_create
from pods.models import Team, TeamMembership, Worker
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
OPEN_PLANS = "{names} still {verb} an open plan or status: end {them} before closing"
CLOSURE_BEFORE_REFERRAL = "The episode cannot close before the referral on {day:%-d %B %Y}"
CHANGE_REASON_NEEDED = "Choose why the social worker is changing"
CHANGE_REASON_UNKNOWN = "Choose why the social worker is changing from the list"


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
