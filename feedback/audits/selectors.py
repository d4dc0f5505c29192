"""Reads of audits for pages. Anything that names a family starts from
``Family.objects.visible_to(user)``; the programme's list names a family only to those who
can see it."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from families.models import Family
from feedback.models.audits import Audit, AuditAction, AuditProgramme
from pods.models import Team
from pods.permissions import managed_pods


def open_actions_for(user) -> QuerySet[AuditAction]:
    """The audit actions ``user`` owns and has not done, soonest due first."""
    return (
        AuditAction.objects.filter(
            owner=user, done__isnull=True, audit__family__in=Family.objects.visible_to(user)
        )
        .select_related("audit__family")
        .order_by("due", "pk")
    )


def audits_to_do(user) -> QuerySet[Audit]:
    """Audits with ``user`` as their auditor (or as the manager in a self-audit), not yet
    submitted."""
    return (
        Audit.objects.filter(
            Q(auditor=user) | Q(self_audit=True, moderator=user),
            status=Audit.Status.ASSIGNED,
            family__in=Family.objects.visible_to(user),
        )
        .select_related("family", "programme")
        .order_by("created", "pk")
    )


def audits_to_moderate(user, teams) -> QuerySet[Audit]:
    """Submitted audits of the families ``teams`` hold now that ``user`` did not audit."""
    return (
        Audit.objects.filter(
            status=Audit.Status.SUBMITTED,
            family__in=Family.objects.visible_to(user).filter(
                pod_allocations__team__in=teams, pod_allocations__end__isnull=True
            ),
        )
        .exclude(auditor=user)
        .select_related("family", "programme")
        .order_by("submitted", "pk")
    )


def family_audits(family: Family) -> QuerySet[Audit]:
    return family.audits.select_related("programme", "auditor", "moderator").order_by(
        "-created", "-pk"
    )


def audit_of_family(family: Family, audit_id: int) -> Audit:
    """The audit, within the family already opened through the door (404 otherwise)."""
    return get_object_or_404(
        Audit.objects.select_related(
            "programme", "auditor", "moderator", "team", "worker__user", "grant"
        ),
        pk=audit_id,
        family=family,
    )


def programme_audits(
    programme: AuditProgramme, user, teams: list[Team] | None
) -> tuple[list[Audit], set[int]]:
    """The programme's audits in ``teams`` (every pod when None), by pod then plan type, and
    the ids of the families among them that ``user`` may see (the others are not named)."""
    audits = programme.audits.select_related("team", "worker__user", "auditor")
    if teams is not None:
        audits = audits.filter(team__in=teams)
    audits = list(audits.order_by("team__name", "plan_type", "pk"))
    visible = set(
        Family.objects.visible_to(user)
        .filter(pk__in=[audit.family_id for audit in audits])
        .values_list("pk", flat=True)
    )
    return audits, visible


HOME_LIMIT = 10


def for_home(user, worker) -> dict:
    """What a home page shows of audits: the user's open audit actions with their due dates,
    audits they are to do, and (for a pod manager) audits waiting for their moderation; and
    ``audit_families``, the families these name, for the access log."""
    actions = list(open_actions_for(user)[:HOME_LIMIT])
    to_do = list(audits_to_do(user)[:HOME_LIMIT])
    pods = list(managed_pods(worker, timezone.localdate()))
    to_moderate = list(audits_to_moderate(user, pods)[:HOME_LIMIT]) if pods else []
    return {
        "audit_actions": actions,
        "audits_to_do": to_do,
        "audits_to_moderate": to_moderate,
        "audit_families": [a.audit.family for a in actions]
        + [a.family for a in to_do + to_moderate],
    }
