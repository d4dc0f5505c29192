"""Reads for the supervision screens. Anything that names a family is filtered by what the
reader may see (Family.objects.visible_to), so a family that has moved to another pod drops
out of this pod's lists rather than leaking its name."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from families.models import Family
from pods.models import Team, Worker
from supervision import permissions
from supervision.models import CaseDiscussion, Decision, GroupSupervision, OneToOneSupervision

RECENTLY_DONE_DAYS = 14
ACTIONS_PAGE = 50  # the pod's actions, a page at a time


def _decisions(user) -> QuerySet[Decision]:
    return Decision.objects.filter(
        discussion__family__in=Family.objects.visible_to(user)
    ).select_related("owner__user", "discussion__family")


def pod_actions(user, pod: Team, day: datetime.date) -> QuerySet[Decision]:
    """The pod's actions: open ones, and those done in the last two weeks; open first, then
    by due date."""
    members = permissions.members_on(pod, day).values("pk")
    recently = timezone.make_aware(
        datetime.datetime.combine(
            day - datetime.timedelta(days=RECENTLY_DONE_DAYS), datetime.time()
        )
    )
    # PostgreSQL starts from the families the user may see (one list, read once) and reads
    # their decisions by index, rather than checking every decision in the service.
    return (
        _decisions(user)
        .filter(Q(discussion__group_session__pod=pod) | Q(owner_id__in=members))
        .filter(Q(done__isnull=True) | Q(done__gte=recently))
        .order_by(F("done").asc(nulls_first=True), "due", "pk")  # open (no done) first
    )


@dataclass(frozen=True)
class ActionsPage:
    actions: list[Decision]
    page: int
    has_next: bool


def pod_actions_page(user, pod: Team, day: datetime.date, page: int = 1) -> ActionsPage:
    """One page of ``pod_actions``, so the page costs the same however many actions the pod
    has piled up."""
    offset = (page - 1) * ACTIONS_PAGE
    window = list(pod_actions(user, pod, day)[offset : offset + ACTIONS_PAGE + 1])
    return ActionsPage(
        actions=window[:ACTIONS_PAGE], page=page, has_next=len(window) > ACTIONS_PAGE
    )


def my_actions(user, worker: Worker) -> QuerySet[Decision]:
    return _decisions(user).filter(owner=worker, done__isnull=True).order_by("due", "pk")


def agenda_of(session: GroupSupervision, user) -> list[CaseDiscussion]:
    """The session's families the reader may see, in agenda order."""
    return list(
        session.discussions.filter(family__in=Family.objects.visible_to(user))
        .select_related("family", "presenting_worker__user")
        .order_by("position", "pk")
    )


@dataclass(frozen=True)
class SupervisionDue:
    supervisee: Worker
    last: datetime.date | None
    due: datetime.date

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due < today


def one_to_ones_due(supervisor: Worker, day: datetime.date) -> list[SupervisionDue]:
    """Each of the supervisor's supervisees with their last 1:1 and when the next is due
    (for someone who has had none: today, or their start in post plus the interval), most
    overdue first."""
    from supervision.services import one_to_one_due

    supervisees = list(
        permissions.supervisees_of(supervisor, day)
        .select_related("user")
        .annotate(last_one_to_one=Max("supervisions_received__date"))
    )
    rows = []
    for worker in supervisees:
        since = worker.last_one_to_one or max(
            worker.start_date, day - datetime.timedelta(days=one_to_one_due(worker))
        )
        rows.append(
            SupervisionDue(
                supervisee=worker,
                last=worker.last_one_to_one,
                due=since + datetime.timedelta(days=one_to_one_due(worker)),
            )
        )
    return sorted(rows, key=lambda row: (row.due, row.supervisee.name))


def one_to_ones_of(worker: Worker) -> QuerySet[OneToOneSupervision]:
    return OneToOneSupervision.objects.filter(
        Q(supervisor=worker) | Q(supervisee=worker)
    ).select_related("supervisor__user", "supervisee__user")
