"""Reads of the One Story record for pages, in a fixed number of queries however long the
family's story is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from families.models import ChildStatus, Family, FamilyMember, Person
from onestory.models import CaseSummary, ChildSeen, Entry

CHRONOLOGY_PAGE = 50


def summary_of(family: Family) -> CaseSummary:
    """The family's summary to read: an empty, unsaved one when nobody has written it yet."""
    return CaseSummary.objects.filter(family=family).select_related(
        "updated_by"
    ).first() or CaseSummary(family=family)


def children_of(family: Family) -> list[Person]:
    return list(
        Person.objects.filter(
            memberships__family=family, memberships__relationship=FamilyMember.Relationship.CHILD
        ).order_by("date_of_birth", "first_name")
    )


def entries_for_reading(family: Family, user) -> QuerySet[Entry]:
    """Entries anyone who can see the family may read: filed ones, and the reader's own drafts."""
    from django.db.models import Q

    return (
        Entry.objects.filter(family=family)
        .filter(~Q(status=Entry.Status.DRAFT) | Q(author=user))
        .select_related("author")
        .prefetch_related(
            Prefetch("children_seen", queryset=ChildSeen.objects.select_related("person"))
        )
    )


@dataclass(frozen=True)
class StatusEvent:
    """A status starting or ending, shown in the chronology beside the entries."""

    when: datetime.date
    status: ChildStatus
    started: bool
    is_status_event = True  # the template tells these from entries by it

    @property
    def title(self) -> str:
        verb = "started" if self.started else "ended"
        return f"{self.status.person.first_name}: {self.status.get_kind_display()} {verb}"


@dataclass(frozen=True)
class ChronologyPage:
    items: list  # Entry and StatusEvent, newest first
    significant: list[Entry]
    page: int
    has_next: bool


def chronology(
    family: Family,
    user,
    *,
    kind: str = "",
    child_id: int | None = None,
    significant_only: bool = False,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    page: int = 1,
) -> ChronologyPage:
    """The family's story in time order, newest first: entries and status changes, filtered,
    a page at a time. Significant events come separately, for the top of the page."""
    entries = entries_for_reading(family, user)
    if kind:
        entries = entries.filter(kind=kind)
    if child_id:
        entries = entries.filter(children_seen__person_id=child_id)
    if significant_only:
        entries = entries.filter(significant=True)
    if date_from:
        entries = entries.filter(occurred__date__gte=date_from)
    if date_to:
        entries = entries.filter(occurred__date__lte=date_to)
    offset = (page - 1) * CHRONOLOGY_PAGE
    window = list(entries.order_by("-occurred", "-pk")[offset : offset + CHRONOLOGY_PAGE + 1])
    has_next = len(window) > CHRONOLOGY_PAGE
    window = window[:CHRONOLOGY_PAGE]

    events: list[StatusEvent] = []
    if not kind and not significant_only:
        newest = (
            None if page == 1 else timezone.localtime(window[0].occurred).date() if window else None
        )
        oldest = timezone.localtime(window[-1].occurred).date() if window and has_next else None
        statuses = family.child_statuses.select_related("person")
        if child_id:
            statuses = statuses.filter(person_id=child_id)
        for status in statuses:
            for day, started in ((status.start, True), (status.end, False)):
                if day is None or (oldest and day < oldest) or (newest and day > newest):
                    continue
                if (date_from and day < date_from) or (date_to and day > date_to):
                    continue
                events.append(StatusEvent(day, status, started))

    def moment(item) -> datetime.datetime:
        if isinstance(item, StatusEvent):
            return timezone.make_aware(datetime.datetime.combine(item.when, datetime.time(0, 0)))
        return item.occurred

    items = sorted([*window, *events], key=moment, reverse=True)
    significant = (
        []
        if significant_only
        else list(
            entries_for_reading(family, user).filter(significant=True).order_by("-occurred")[:10]
        )
    )
    return ChronologyPage(items=items, significant=significant, page=page, has_next=has_next)


def latest_entries(family: Family, user, count: int = 5) -> list[Entry]:
    return list(entries_for_reading(family, user).order_by("-occurred", "-pk")[:count])
