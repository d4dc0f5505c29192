"""Reads of families for pages: always starting from ``Family.objects.visible_to(user)``, and
in a fixed number of queries however many families there are."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from families.models import (
    Allocation,
    ChildStatus,
    Episode,
    Family,
    FamilyMember,
    NeedAssessment,
    Person,
    Placement,
    PodAllocation,
)
from families.models.codes import PreviousPermanence
from pods.models import Team, Worker, current_on

SEARCH_LIMIT = 50
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


def earlier_cp_plans_by_child(family: Family) -> dict[str, int]:
    """Each child's number of child protection plans recorded here so far, by first name:
    what a new plan's number of previous plans starts from. One query."""
    children = (
        Person.objects.filter(
            memberships__family=family, memberships__relationship=FamilyMember.Relationship.CHILD
        )
        .annotate(
            cp_plans_so_far=Count("statuses", filter=Q(statuses__kind=ChildStatus.Kind.CP_PLAN))
        )
        .order_by("date_of_birth", "pk")
    )
    return {child.first_name: child.cp_plans_so_far for child in children}


def is_change_of_worker(family: Family) -> bool:
    """Whether allocating the family now changes its social worker: someone has already held
    it in its open episode (the SSDA903 then asks why the worker changed)."""
    return Allocation.objects.filter(
        family=family, episode__family=family, episode__end__isnull=True
    ).exists()


# --- what the statutory returns still need ----------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A fact the statutory returns need that the record does not hold yet, and the form
    that puts it right (a URL name and its arguments)."""

    person: Person | None
    missing: str
    url_name: str
    url_kwargs: dict

    @property
    def url(self) -> str:
        return reverse(self.url_name, kwargs=self.url_kwargs)


def returns_window_start(today: datetime.date) -> datetime.date:
    """The first day the returns still being made can cover: the start of the last collection
    year that has ended (its return is built in the spring after it), so for 2 December 2026,
    1 April 2025. Older episodes are in returns already sent."""
    this_year_began = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return this_year_began.replace(year=this_year_began.year - 1)


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def return_gaps(
    family: Family, *, today: datetime.date | None = None, page: FamilyPage | None = None
) -> list[Gap]:
    """What the CIN census and the SSDA903 return will need of this family that its record
    does not hold yet, child by child, each with the form that records it. Nothing for a
    family with no episode in the returns still being made.

    At most five queries: the episodes, the children, their plans and care (none of these
    when the family page's reads are passed as ``page``), the placements in force (only when
    a child is looked after) and the authorised assessments (only when a primary need is
    missing)."""
    today = today or timezone.localdate()
    since = returns_window_start(today)
    in_window = Q(end__isnull=True) | Q(end__gte=since)
    kinds = [ChildStatus.Kind.CP_PLAN, ChildStatus.Kind.LOOKED_AFTER]
    if page is not None:
        episodes = sorted(
            (e for e in page.episodes if e.end is None or e.end >= since), key=lambda e: e.start
        )
    else:
        episodes = list(family.episodes.filter(in_window).select_related("referral"))
        episodes.sort(key=lambda e: e.start)
    if not episodes:
        return []
    family_id = family.pk
    if page is not None:
        members = page.children
    else:
        members = list(
            family.members.filter(relationship=FamilyMember.Relationship.CHILD).select_related(
                "person"
            )
        )
    children = sorted(
        (m.person for m in members),
        key=lambda p: (p.date_of_birth or p.expected_date_of_birth or datetime.date.max, p.pk),
    )
    child_ids = {child.pk for child in children}
    # A day more than the window, to know whether care at its start carried on from before.
    day_before = since - datetime.timedelta(days=1)
    if page is not None:
        rows = [
            s for s in page.statuses if s.kind in kinds and (s.end is None or s.end >= day_before)
        ]
    else:
        near_window = Q(end__isnull=True) | Q(end__gte=day_before)
        rows = list(family.child_statuses.filter(near_window).filter(kind__in=kinds))
    rows = sorted((s for s in rows if s.person_id in child_ids), key=lambda s: s.start)
    care_ends = {
        (s.person_id, s.end) for s in rows if s.kind == ChildStatus.Kind.LOOKED_AFTER and s.end
    }
    statuses = [s for s in rows if s.end is None or s.end >= since]
    open_episode = next((e for e in episodes if e.end is None), None)
    further_action = (
        open_episode is not None and open_episode.referral.no_further_action is not True
    )
    gaps: list[Gap] = []
    for child in children:
        gaps.extend(_child_gaps(child, family_id, further_action=further_action))
        own = [s for s in statuses if s.person_id == child.pk]
        gaps.extend(_status_gaps(child, own, family_id, care_ends=care_ends))
    in_care_now = {
        s.person_id for s in statuses if s.kind == ChildStatus.Kind.LOOKED_AFTER and s.end is None
    }
    if in_care_now:
        placed = set(
            Placement.objects.filter(person_id__in=in_care_now)
            .filter(current_on(today))
            .values_list("person_id", flat=True)
        )
        gaps.extend(
            Gap(child, "where they live now: a placement", "placement_add",
                {"family_id": family_id})
            for child in children if child.pk in in_care_now - placed
        )  # fmt: skip
    gaps.extend(_referral_gaps(family, episodes))
    return gaps


def _child_gaps(child: Person, family_id: int, *, further_action: bool) -> list[Gap]:
    edit = ("person_edit", {"family_id": family_id, "person_id": child.pk})
    missing = []
    if not child.date_of_birth and not child.expected_date_of_birth:
        missing.append("date of birth, or the expected date for an unborn child")
    if not child.ethnicity:
        missing.append("ethnicity")
    if not child.upn and not child.upn_unknown:
        missing.append("unique pupil number (UPN), or why there is none")
    if further_action and not child.disabilities:
        missing.append("disabilities, or that there is none")
    return [Gap(child, words, *edit) for words in missing]


def _status_gaps(
    child: Person, statuses: list[ChildStatus], family_id: int, *, care_ends: set
) -> list[Gap]:
    """``care_ends`` holds (child, last day) of every period of care's statuses near the window:
    a status starting the day after one ends carries that care on."""
    gaps = []
    care_starts = {s.start for s in statuses if s.kind == ChildStatus.Kind.LOOKED_AFTER}
    for status in statuses:
        edit = ("status_edit", {"family_id": family_id, "status_id": status.pk})
        since = f"from {_day(status.start)}"
        missing = []
        if status.kind == ChildStatus.Kind.CP_PLAN:
            if not status.initial_cp_category:
                missing.append(
                    f"child protection plan {since}: the category at the initial conference"
                )
            if status.previous_cp_plans is None:
                missing.append(f"child protection plan {since}: how many plans before it")
        else:
            if not status.legal_status:
                missing.append(f"care {since}: the legal status")
            if not status.care_need:
                missing.append(f"care {since}: the category of need")
            care_went_on = status.end and status.end + datetime.timedelta(days=1) in care_starts
            if status.end and not care_went_on and not status.care_ended:
                missing.append(f"care that ended on {_day(status.end)}: why it ended")
            carried_on = (child.pk, status.start - datetime.timedelta(days=1)) in care_ends
            if not carried_on:
                missing.extend(_permanence_gaps(status, since))
        gaps.extend(Gap(child, words, *edit) for words in missing)
    return gaps


def _permanence_gaps(status: ChildStatus, when: str) -> list[str]:
    """A period of care's start asks for any permanence order before it (PREV_PERM), and an
    order's council and date (903/630)."""
    if not status.previous_permanence:
        return [f"care {when}: whether the child had a permanence order before"]
    if status.previous_permanence == PreviousPermanence.NONE:
        return []
    missing = []
    if not status.previous_permanence_council:
        missing.append(f"care {when}: the council that made the previous permanence order")
    if not status.previous_permanence_date:
        missing.append(f"care {when}: the date of the previous permanence order")
    return missing


def _referral_gaps(family: Family, episodes: list[Episode]) -> list[Gap]:
    gaps = []
    needs_need = [e for e in episodes if not e.referral.primary_need]
    authorised = (
        list(
            # Assessments are onestory's (above this app): read through the reverse relation.
            family.assessments.filter(signed_off__isnull=False).values_list("started", flat=True)
        )
        if needs_need
        else []
    )
    for episode in episodes:
        referral = episode.referral
        edit = ("referral_edit", {"family_id": family.pk, "referral_id": referral.pk})
        received = f"the referral of {_day(referral.received)}"
        if not referral.source:
            gaps.append(Gap(None, f"who made {received}", *edit))
        assessed = any(
            episode.start <= started and (episode.end is None or started <= episode.end)
            for started in authorised
        )
        if assessed and not referral.primary_need:
            gaps.append(Gap(None, f"the primary need decided at assessment, for {received}", *edit))
        if episode.end is not None and referral.no_further_action is None:
            gaps.append(Gap(None, f"whether {received} led to no further action", *edit))
    return gaps
