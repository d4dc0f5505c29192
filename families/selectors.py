"""Reads of families for pages: always starting from ``Family.objects.visible_to(user)``, and
in a fixed number of queries however many families there are."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest

from families.models import (
    Allocation,
    ChildStatus,
    Episode,
    Family,
    FamilyMember,
    NeedAssessment,
    PodAllocation,
)
from pods.models import Team, Worker

SEARCH_LIMIT = 50
TRIGRAM_THRESHOLD = 0.2
TRIGRAM_THRESHOLD = 0.2
REFERENCE = re.compile(r"^F?\d{1,8}$", re.IGNORECASE)
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %m %Y", "%d.%m.%Y")


def open_families(user) -> QuerySet[Family]:
    return Family.objects.visible_to(user).filter(
        Exists(Episode.objects.filter(family=OuterRef("pk"), end__isnull=True))
    )


def held_by(user, worker: Worker) -> QuerySet[Family]:
    """Open families the worker holds, within what ``user`` may see."""
    held = Allocation.objects.filter(family=OuterRef("pk"), worker=worker, end__isnull=True)
    return open_families(user).filter(Exists(held))


def held_by_team(user, team: Team) -> QuerySet[Family]:
    """Open families the team holds, within what ``user`` may see."""
    in_pod = PodAllocation.objects.filter(family=OuterRef("pk"), team=team, end__isnull=True)
    return open_families(user).filter(Exists(in_pod))


def search_families(user, query: str) -> list[Family]:
    """Families the user can see that match a reference, a date of birth, or names, tolerant
    of misspellings (trigram similarity), best matches first."""
    query = " ".join(query.split())[:100]
    visible = Family.objects.visible_to(user)
    if not query:
        return []
    if REFERENCE.match(query):
        number = int(query.upper().lstrip("F"))
        return list(visible.filter(reference=f"F{number:06d}"))
    birthday = _parse_date(query)
    if birthday:
        matches = visible.filter(members__person__date_of_birth=birthday).distinct()
        return list(matches.order_by("display_name")[:SEARCH_LIMIT])
    # Fetch the visible families' ids first: matching names among a pod's few hundred
    # families is quick, where matching across every person in the city first is not.
    visible_ids = list(visible.values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        # PostgreSQL's default similarity threshold (0.3) misses a swapped pair of letters in
        # a short surname ("Wojick" for "Wojcik"); 0.2 finds it, and ranking puts the best first.
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [TRIGRAM_THRESHOLD])
        return list(_name_matches(Family.objects.filter(pk__in=visible_ids), query))


def _name_matches(visible: QuerySet[Family], query: str) -> QuerySet[Family]:
    """Every word of the query matches a name in the family (or the family's name)."""
    matches = visible
    for word in query.split():
        people = FamilyMember.objects.filter(family=OuterRef("pk")).filter(
            Q(person__last_name__trigram_similar=word) | Q(person__first_name__trigram_similar=word)
        )
        matches = matches.filter(Q(display_name__trigram_word_similar=word) | Exists(people))
    best_person = (
        FamilyMember.objects.filter(family=OuterRef("pk"))
        .annotate(
            score=Greatest(
                TrigramSimilarity("person__last_name", query),
                TrigramSimilarity("person__first_name", query),
            )
        )
        .order_by("-score")
        .values("score")[:1]
    )
    return matches.annotate(
        score=Greatest(TrigramWordSimilarity(query, "display_name"), best_person)
    ).order_by("-score", "display_name")[:SEARCH_LIMIT]


def _parse_date(text: str) -> datetime.date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class FamilyPage:
    family: Family
    members: list[FamilyMember]
    statuses: list[ChildStatus]
    allocations: list[Allocation]
    pod_allocations: list[PodAllocation]
    episodes: list[Episode]
    latest_need: NeedAssessment | None
    professionals: list

    @property
    def current_allocation(self) -> Allocation | None:
        return next((a for a in self.allocations if a.end is None), None)

    @property
    def current_team(self):
        return self.pod_allocations[0].team if self.pod_allocations else None

    @property
    def open_episode(self) -> Episode | None:
        return next((e for e in self.episodes if e.end is None), None)

    @property
    def children(self) -> list[FamilyMember]:
        return [m for m in self.members if m.is_child]

    @property
    def workers_this_episode(self) -> int:
        episode = self.open_episode
        return len(
            {a.worker_id for a in self.allocations if episode and a.episode_id == episode.pk}
        )


def family_page(family: Family) -> FamilyPage:
    """Everything the family page shows, in seven queries."""
    return FamilyPage(
        family=family,
        members=list(
            family.members.select_related("person").order_by(
                "relationship", "person__date_of_birth"
            )
        ),
        statuses=list(family.child_statuses.select_related("person").order_by("-start")),
        allocations=list(family.allocations.select_related("worker__user").order_by("-start")),
        pod_allocations=list(family.pod_allocations.select_related("team").order_by("-start")),
        episodes=list(family.episodes.select_related("referral").order_by("-start")),
        latest_need=family.need_assessments.select_related("child").first(),
        professionals=list(family.professionals.all()),
    )


def year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def changes_of_worker(as_of: datetime.date, families: QuerySet[Family] | None = None) -> int:
    """Changes of social worker in the 12 months up to and including ``as_of``: allocations
    that replaced another worker in the same episode and began after the same day a year
    before. First allocations of an episode are not changes. Answerable for any past date,
    because allocations are never overwritten."""
    allocations = Allocation.objects.filter(
        is_change_of_worker=True, start__gt=year_before(as_of), start__lte=as_of
    )
    if families is not None:
        allocations = allocations.filter(family__in=families)
    return allocations.count()


def current_team(family: Family) -> Team | None:
    """The team that holds the family now, or held it last when it is closed."""
    latest = family.pod_allocations.order_by("-start").select_related("team").first()
    return latest.team if latest else None
