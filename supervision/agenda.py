"""The agenda group supervision proposes for a pod's week: the families a worker asked to
bring, children whose visits are overdue, plans with a review coming, families new to the pod
or to their worker, and families the pod has not discussed for a long while. The pod manager
adds to it and reorders it; nothing here is final.

Every family here goes through the door (``Family.objects.visible_to``) for the person asking:
a pod manager not named on a restricted family is neither offered it nor proposed it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q

from families.models import Allocation, Episode, Family, PodAllocation
from onestory.models import Plan
from onestory.timeliness import visits_due
from pods.models import Team, current_on
from supervision.models import CaseDiscussion, DiscussionRequest

REVIEW_AHEAD_DAYS = 14  # a review or conference within two weeks
NEW_WITHIN_DAYS = 14  # allocated to the pod or to a new worker in the last two weeks
LONG_WHILE_AT_MOST = 3  # families not discussed for a long while, oldest first


@dataclass
class Proposal:
    family: Family
    reasons: list[str] = field(default_factory=list)


def pod_families(pod: Team, day: datetime.date, user):
    """Open families the pod holds on the day that ``user`` may see."""
    in_pod = PodAllocation.objects.filter(current_on(day), family=OuterRef("pk"), team=pod)
    open_episode = Episode.objects.filter(current_on(day), family=OuterRef("pk"))
    return Family.objects.visible_to(user).filter(Exists(in_pod), Exists(open_episode))


def family_pod(family: Family, day: datetime.date) -> Team | None:
    allocation = (
        PodAllocation.objects.filter(current_on(day), family=family).select_related("team").first()
    )
    return allocation.team if allocation else None


def propose(pod: Team, day: datetime.date, *, user) -> list[Proposal]:
    """The proposed agenda, in the order the reasons are listed above; a family once, with
    every reason it has. Never a restricted family: the agenda is read by the whole pod and
    shown on the room's screen, so a manager named on one adds it by hand, knowing who is
    there."""
    families = pod_families(pod, day, user).filter(restricted=False)
    proposals: dict[int, Proposal] = {}

    def add(family: Family, reason: str) -> None:
        proposal = proposals.setdefault(family.pk, Proposal(family))
        if reason not in proposal.reasons:
            proposal.reasons.append(reason)

    requests = DiscussionRequest.objects.filter(
        answered_by__isnull=True, family__in=families
    ).select_related("family", "requested_by__user")
    for request in requests:
        add(request.family, f"{request.requested_by.name} asked to bring it")

    for due in visits_due(families, day):
        if due.is_overdue:
            add(due.family, f"{due.child.first_name}'s visit is overdue")

    reviews = Plan.objects.filter(
        family__in=families,
        end__isnull=True,
        review_date__range=(day, day + datetime.timedelta(days=REVIEW_AHEAD_DAYS)),
    ).select_related("family")
    for plan in reviews:
        add(plan.family, f"{plan.get_kind_display()} review on {plan.review_date:%-d %b}")

    since = day - datetime.timedelta(days=NEW_WITHIN_DAYS)
    for moved in PodAllocation.objects.filter(
        family__in=families, team=pod, start__range=(since, day)
    ).select_related("family"):
        add(moved.family, "new to the pod")
    for allocation in Allocation.objects.filter(
        family__in=families, start__range=(since, day), end__isnull=True
    ).select_related("family", "worker__user"):
        add(allocation.family, f"newly allocated to {allocation.worker.name}")

    cutoff = day - datetime.timedelta(weeks=settings.PODS_NOT_DISCUSSED_WEEKS)
    last = (
        families.exclude(pk__in=list(proposals))
        .annotate(last_discussed=Max("case_discussions__discussed"))
        .filter(Q(last_discussed__isnull=True) | Q(last_discussed__date__lt=cutoff))
        .order_by("last_discussed", "pk")[:LONG_WHILE_AT_MOST]
    )
    for family in last:
        add(
            family,
            "not discussed yet"
            if family.last_discussed is None
            else f"not discussed since {family.last_discussed:%-d %b %Y}",
        )
    return list(proposals.values())


def scaling_trend(family: Family, before: CaseDiscussion | None = None, limit: int = 6):
    """The family's earlier scaling scores, oldest first: (date, score)."""
    scores = CaseDiscussion.objects.filter(
        family=family, discussed__isnull=False, scaling_score__isnull=False
    )
    if before is not None:
        scores = scores.exclude(pk=before.pk)
    rows = list(scores.order_by("-discussed").values_list("discussed", "scaling_score")[:limit])
    return [(when.date(), score) for when, score in reversed(rows)]
