"""Reads of compliments, limited to what the user may see, by the same rule as complaints
(feedback/complaints/selectors.py): the complaints officer sees every one, a pod manager
those about their pod, its workers or a family they can see, a worker those for them. The
words of a compliment about a family are shown only to those who can see the family."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from families.models import Family, PodAllocation
from feedback.models import Compliment, Theme
from pods import permissions as pod_permissions
from pods.models import Team, TeamMembership, current_on
from pods.selectors import worker_for

SHOWN_FOR_DAYS = 30


def compliments_visible_to(user, *, today: datetime.date | None = None) -> QuerySet[Compliment]:
    worker = worker_for(user)
    if worker is None:
        return Compliment.objects.none()
    if pod_permissions.is_complaints_officer(worker):
        return Compliment.objects.all()
    today = today or timezone.localdate()
    seen = Q(worker=worker)
    if pod_permissions.is_pod_manager(worker):
        pods = pod_permissions.managed_pods(worker, today)
        members = TeamMembership.objects.current_on(today).filter(team__in=pods)
        seen |= (
            Q(team__in=pods)
            | Q(worker__in=members.values("worker"))
            | Q(family__in=Family.objects.visible_to(user))
        )
    return Compliment.objects.filter(seen)


def with_details(compliments: QuerySet[Compliment]) -> QuerySet[Compliment]:
    return compliments.select_related("family", "worker__user", "team").prefetch_related("themes")


def with_words_shown(user, compliments) -> list[tuple[Compliment, bool]]:
    """Each compliment with whether its words may be shown: always, unless it is about a
    family the user cannot see (the complaints officer sees them all). One query."""
    compliments = list(compliments)
    family_ids = {c.family_id for c in compliments if c.family_id}
    if not family_ids or pod_permissions.is_complaints_officer(worker_for(user)):
        visible = family_ids
    else:
        visible = set(
            Family.objects.visible_to(user).filter(pk__in=family_ids).values_list("pk", flat=True)
        )
    return [(c, c.family_id is None or c.family_id in visible) for c in compliments]


def for_worker_home(user, worker, today: datetime.date) -> list[tuple[Compliment, bool]]:
    """ "A compliment for you": the worker's compliments from the last 30 days, and older ones
    not yet marked seen, newest first."""
    since = today - datetime.timedelta(days=SHOWN_FOR_DAYS)
    compliments = with_details(
        Compliment.objects.filter(worker=worker).filter(
            Q(received__gte=since) | Q(seen_by_worker__isnull=True)
        )
    )[:10]
    return with_words_shown(user, compliments)


def financial_year(day: datetime.date) -> int:
    """The year an April-to-March year starts: 2016 for 2016-17."""
    return day.year if day.month >= 4 else day.year - 1


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


@dataclass(frozen=True)
class Counts:
    year: int
    total: int
    by_pod: list[tuple[str, int]]
    by_theme: list[tuple[str, int]]

    @property
    def label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"


def pod_named(compliments: QuerySet[Compliment]) -> QuerySet[Compliment]:
    """Each compliment with ``pod_name``: the team it is about, or else the pod of the worker
    it is about on the day it came, or else the pod that held the family then (as the
    compliments KPI counts it); none when none of those is known."""
    on_the_day = current_on(OuterRef("received"))
    worker_pod = TeamMembership.objects.filter(
        on_the_day, worker=OuterRef("worker_id"), team__kind=Team.Kind.POD
    ).values("team__name")[:1]
    family_pod = PodAllocation.objects.filter(on_the_day, family=OuterRef("family_id")).values(
        "team__name"
    )[:1]
    return compliments.annotate(
        pod_name=Coalesce(F("team__name"), Subquery(worker_pod), Subquery(family_pod))
    )


def counts(compliments: QuerySet[Compliment], year: int) -> Counts:
    """How many compliments in a financial year, by pod (``pod_named``; "No team" for those
    whose pod is not known) and by theme. Three queries."""
    start, end = year_bounds(year)
    in_year = compliments.filter(received__range=(start, end))
    by_pod = (
        pod_named(in_year)
        .values("pod_name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("pod_name")
    )
    by_theme = (
        Theme.objects.filter(compliments__in=in_year)
        .values("name")
        .annotate(n=Count("compliments", distinct=True))
        .order_by("-n", "name")
    )
    return Counts(
        year=year,
        total=in_year.count(),
        by_pod=[(row["pod_name"] or "No team", row["n"]) for row in by_pod],
        by_theme=[(row["name"], row["n"]) for row in by_theme],
    )
