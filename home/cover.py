"""Cover needed: the pod's planned appointments whose worker is away, and who could go instead.

A colleague who already knows the family is the better cover ("families tell their story
once"): so the suggestions put first the pod members who have met it — seen its children,
recorded entries for it, presented it at group supervision — most recent contact first, and
after them everyone else, fewest appointments that day first. Each says how busy that day
already is. It reads supervision, which is above scheduling, so it lives here in home.

The reads are batched: for any number of appointments, one query each for the appointments,
the pod's members, their absences, their appointments those days, their entries for the
families and their presentations at group supervision."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import TruncDate

from families.models import Family
from families.permissions import CASE_HOLDER_ROLES
from onestory.models import ChildSeen, Entry
from pods.models import Absence, Team, TeamMembership, Worker, overlapping
from pods.working_days import working_days_from
from scheduling.models import Appointment
from supervision.models import CaseDiscussion

SAW_THE_CHILDREN = "Saw the children"
RECORDED_AN_ENTRY = "Recorded an entry"
PRESENTED_AT_SUPERVISION = "Presented the family at group supervision"
# On the same day, the closer contact is named: seeing the children over writing about them.
CONTACT_CLOSENESS = {SAW_THE_CHILDREN: 2, RECORDED_AN_ENTRY: 1, PRESENTED_AT_SUPERVISION: 0}
# Entries that are not a meeting with the family: the pod manager's oversight of a discussion,
# a letter business support sent.
NOT_CONTACT_KINDS = [Entry.Kind.SUPERVISION_DECISION, Entry.Kind.LETTER]


@dataclass(frozen=True)
class Contact:
    day: datetime.date
    kind: str

    @property
    def rank(self) -> tuple:
        return (self.day, CONTACT_CLOSENESS[self.kind])


@dataclass(frozen=True)
class Suggestion:
    worker: Worker
    appointments_that_day: int
    last_contact: Contact | None = None

    @property
    def has_met_family(self) -> bool:
        return self.last_contact is not None


@dataclass(frozen=True)
class CoverNeeded:
    appointment: Appointment
    away_worker: Worker
    suggestions: list[Suggestion]

    @property
    def has_suggestions_who_met_the_family(self) -> bool:
        return any(s.has_met_family for s in self.suggestions)


def _ranked(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Who has met the family, most recent contact first; then who has not, least busy first.
    Fewer appointments that day, then the name, break ties."""
    met = [s for s in suggestions if s.has_met_family]
    not_met = [s for s in suggestions if not s.has_met_family]
    met.sort(key=lambda s: (s.appointments_that_day, s.worker.name))
    met.sort(key=lambda s: s.last_contact.rank, reverse=True)
    not_met.sort(key=lambda s: (s.appointments_that_day, s.worker.name))
    return met + not_met


class _Pod:
    """What suggesting cover needs to know about the pods of some appointments, read once."""

    def __init__(self, appointments: list[Appointment]):
        days = [a.day for a in appointments]
        first, last = min(days), max(days)
        team_ids = {a.team_id for a in appointments}
        self.memberships = list(
            TeamMembership.objects.filter(
                overlapping("start", "end", first, last),
                team_id__in=team_ids,
                worker__role__in=CASE_HOLDER_ROLES,
            ).select_related("worker__user")
        )
        worker_ids = {m.worker_id for m in self.memberships}
        self.absences = defaultdict(list)
        for absence in Absence.objects.filter(
            worker_id__in=worker_ids, start__lte=last, end__gte=first
        ):
            self.absences[absence.worker_id].append(absence)
        self.busy = self._appointments_per_day(worker_ids, first, last)
        families = {a.family_id for a in appointments}
        user_ids = {m.worker.user_id: m.worker_id for m in self.memberships}
        self.contacts = self._contacts(families, user_ids, worker_ids)

    @staticmethod
    def _appointments_per_day(worker_ids, first, last) -> dict[tuple[int, datetime.date], int]:
        rows = (
            Appointment.objects.active()
            .filter(worker_id__in=worker_ids)
            .between(first, last)
            .annotate(day=TruncDate("start"))
            .values("worker_id", "day")
            .annotate(count=Count("pk"))
            .order_by()
        )
        return {(row["worker_id"], row["day"]): row["count"] for row in rows}

    @staticmethod
    def _contacts(families, user_ids, worker_ids) -> dict[tuple[int, int], list[Contact]]:
        """Every (worker, family) pair's last contact of each kind."""
        contacts: dict[tuple[int, int], list[Contact]] = defaultdict(list)
        entries = (
            Entry.objects.counted()
            .filter(family_id__in=families, author_id__in=user_ids)
            .exclude(kind__in=NOT_CONTACT_KINDS)
            .annotate(saw=Exists(ChildSeen.objects.filter(entry=OuterRef("pk"))))
            .values("author_id", "family_id", "saw")
            .annotate(last=Max(TruncDate("occurred")))
            .order_by()
        )
        for row in entries:
            kind = SAW_THE_CHILDREN if row["saw"] else RECORDED_AN_ENTRY
            key = (user_ids[row["author_id"]], row["family_id"])
            contacts[key].append(Contact(day=row["last"], kind=kind))
        presented = (
            CaseDiscussion.objects.filter(
                group_session__isnull=False,
                discussed__isnull=False,
                family_id__in=families,
                presenting_worker_id__in=worker_ids,
            )
            .values("presenting_worker_id", "family_id")
            .annotate(last=Max("group_session__date"))
            .order_by()
        )
        for row in presented:
            key = (row["presenting_worker_id"], row["family_id"])
            contacts[key].append(Contact(day=row["last"], kind=PRESENTED_AT_SUPERVISION))
        return contacts

    def _available(self, appointment: Appointment, day: datetime.date) -> list[Worker]:
        seen: dict[int, Worker] = {}
        for membership in self.memberships:
            worker = membership.worker
            if (
                membership.team_id == appointment.team_id
                and membership.start <= day
                and (membership.end is None or membership.end >= day)
                and worker.start_date <= day
                and (worker.leave_date is None or worker.leave_date >= day)
                and worker.pk != appointment.worker_id
                and not any(a.start <= day <= a.end for a in self.absences[worker.pk])
            ):
                seen[worker.pk] = worker
        return list(seen.values())

    def suggestions(self, appointment: Appointment, day: datetime.date) -> list[Suggestion]:
        suggestions = []
        for worker in self._available(appointment, day):
            contacts = self.contacts.get((worker.pk, appointment.family_id), [])
            suggestions.append(
                Suggestion(
                    worker=worker,
                    appointments_that_day=self.busy.get((worker.pk, day), 0),
                    last_contact=max(contacts, key=lambda c: c.rank, default=None),
                )
            )
        return _ranked(suggestions)


def cover_suggestions(appointment: Appointment, day: datetime.date) -> list[Suggestion]:
    """Who in the appointment's pod could cover it on ``day``: members at work that day who
    can hold cases (practitioners and pod managers, not business support), other than its
    worker; those who have met the family first, most recent contact first, then the rest,
    fewest appointments that day first. Six queries, whatever the size of the pod."""
    return _Pod([appointment]).suggestions(appointment, day)


def cover_needed(
    user, team: Team, today: datetime.date, days: int = 5, *, visible_ids=None
) -> list[CoverNeeded]:
    """The pod's planned appointments from ``today`` to the end of the next ``days`` working
    days whose worker is away on the appointment's day, soonest first, each with its
    suggestions; only appointments of families ``user`` may see (``visible_ids``, when the
    caller has read them from ``Family.objects.visible_to(user)`` already)."""
    last = working_days_from(today, days)[-1]
    away = Absence.objects.filter(
        worker=OuterRef("worker"), start__lte=OuterRef("day_of"), end__gte=OuterRef("day_of")
    )
    visible = (
        Q(family_id__in=visible_ids)
        if visible_ids is not None
        else Q(family__in=Family.objects.visible_to(user))
    )
    appointments = list(
        Appointment.objects.filter(visible, team=team, status=Appointment.Status.PLANNED)
        .between(today, last)
        .annotate(day_of=TruncDate("start"))
        .filter(Exists(away))
        .select_related("family", "worker__user", "team")
        .order_by("start", "pk")
    )
    if not appointments:
        return []
    pod = _Pod(appointments)
    return [
        CoverNeeded(
            appointment=appointment,
            away_worker=appointment.worker,
            suggestions=pod.suggestions(appointment, appointment.day),
        )
        for appointment in appointments
    ]
