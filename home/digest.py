"""The daily digest: one email each working morning telling a worker what needs them today,
and a pod manager what needs their pod, so nothing due is found out too late.

An email leaves the secure system, so the digest names families by their reference and links
to them, never by a child's name or the family's name, and says nothing of what is in the
record (no decision's words, no caller, no message): the link is the way in, through sign-in
and the family door.

It gathers several apps (visits from onestory, meetings from scheduling, actions from
supervision, calls from scheduling), so it lives in home."""

from __future__ import annotations

import datetime
import email.utils
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from families.models import Family
from families.selectors import held_by, held_by_team
from onestory.timeliness import visits_due
from pods.models import Team, Worker
from pods.permissions import managed_pods, members_on
from pods.working_days import add_working_days
from scheduling.models import CallTaken, DigestChoice
from scheduling.selectors import meetings_due_within, meetings_for_team
from supervision.selectors import my_actions, pod_actions

# Meetings and actions due within this many working days are in the digest.
HORIZON_WORKING_DAYS = 5
# A long list is cut: the digest says how many more there are and links to the page.
MOST_SHOWN = 25


@dataclass(frozen=True)
class DigestItem:
    """One line: a family's reference, what is due in plain words, and where to go."""

    reference: str
    text: str
    link: str


@dataclass(frozen=True)
class DigestSection:
    title: str
    items: list[DigestItem]
    more: int = 0  # left out of ``items`` past MOST_SHOWN


@dataclass(frozen=True)
class DigestPart:
    """What needs someone (``heading`` "You") or a pod ("Oak Pod")."""

    heading: str
    sections: list[DigestSection]


@dataclass
class Digest:
    worker: Worker
    today: datetime.date
    parts: list[DigestPart] = field(default_factory=list)

    @property
    def subject(self) -> str:
        count = sum(len(s.items) + s.more for part in self.parts for s in part.sections)
        return f"Your day in {settings.PODS_SERVICE_NAME}, {self.today:%A %-d %B}: {count} to see"

    def context(self) -> dict:
        return {
            "digest": self,
            "name": self.worker.user.first_name or self.worker.name,
            "home_link": site_url(reverse("home")),
            "turn_off_link": site_url(reverse("digest_choice")),
            "service_name": settings.PODS_SERVICE_NAME,
            "council_name": settings.PODS_COUNCIL_NAME,
        }

    def message(self) -> EmailMultiAlternatives:
        user = self.worker.user
        context = self.context()
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=render_to_string("home/email/digest.txt", context),
            to=[email.utils.formataddr((self.worker.name, user.email))],
        )
        message.attach_alternative(render_to_string("home/email/digest.html", context), "text/html")
        return message


def site_url(path: str) -> str:
    return f"{settings.PODS_SITE_URL}{path}"


def family_link(family_id: int) -> str:
    return site_url(reverse("family_detail", args=[family_id]))


def wants_digest(user) -> bool:
    choice = DigestChoice.objects.filter(user=user).first()
    return choice is None or choice.wants_digest


@transaction.atomic
def digest_choice_save(*, user, wants: bool) -> DigestChoice:
    """Turn one's own digest on or off (every change kept in the history)."""
    choice, _ = DigestChoice.objects.select_for_update().get_or_create(user=user)
    choice.wants_digest = wants
    choice.changed = timezone.now()
    choice._history_user = user
    choice.save()
    return choice


def digest_for(worker: Worker, today: datetime.date) -> Digest | None:
    """The worker's digest for ``today``, or None when they turned it off or there is nothing
    to tell them. Everything is read as the worker would see it (their visibility)."""
    user = worker.user
    if not wants_digest(user):
        return None
    until = add_working_days(today, HORIZON_WORKING_DAYS)
    digest = Digest(worker=worker, today=today)
    own = _sections(
        visits=visits_due(held_by(user, worker), today),
        meetings=meetings_due_within(user, worker, today, HORIZON_WORKING_DAYS),
        actions=my_actions(user, worker).filter(due__lte=until),
        calls=_calls_waiting(user, CallTaken.objects.filter(for_worker=worker)),
        today=today,
    )
    if own:
        digest.parts.append(DigestPart(heading="For you", sections=own))
    for pod in managed_pods(worker, today):
        sections = _pod_sections(user, pod, today, until)
        if sections:
            digest.parts.append(DigestPart(heading=f"For {pod.name}", sections=sections))
    return digest if digest.parts else None


def _pod_sections(user, pod: Team, today: datetime.date, until: datetime.date):
    members = members_on(pod, today).values("pk")
    return _sections(
        visits=visits_due(held_by_team(user, pod), today),
        meetings=[m for m in meetings_for_team(user, pod, today) if m.due <= until],
        actions=pod_actions(user, pod, today).filter(done__isnull=True, due__lte=until),
        calls=_calls_waiting(user, CallTaken.objects.filter(for_worker__in=members)),
        today=today,
    )


def _calls_waiting(user, calls: QuerySet[CallTaken]) -> QuerySet[CallTaken]:
    return calls.filter(
        picked_up__isnull=True, family__in=Family.objects.visible_to(user)
    ).select_related("family", "for_worker__user")


def _sections(*, visits, meetings, actions, calls, today) -> list[DigestSection]:
    candidates = [
        ("Statutory visits overdue", _visit_items(visits, today)),
        ("Meetings due in the next 5 working days", _meeting_items(meetings, today)),
        ("Supervision actions due", _action_items(actions, today)),
        ("Calls waiting to be picked up", _call_items(calls)),
    ]
    return [_section(title, items) for title, items in candidates if items]


def _section(title: str, items: list[DigestItem]) -> DigestSection:
    return DigestSection(
        title=title, items=items[:MOST_SHOWN], more=max(0, len(items) - MOST_SHOWN)
    )


def _visit_items(visits, today) -> list[DigestItem]:
    """One line per family: how many children's visits are overdue and since when (the
    children are not named, so they are counted)."""
    overdue: dict[int, list] = defaultdict(list)
    references = {}
    for visit in visits:
        if visit.is_overdue:
            overdue[visit.family.pk].append(visit.due)
            references[visit.family.pk] = visit.family.reference
    items = []
    for family_id, dues in sorted(overdue.items(), key=lambda pair: min(pair[1])):
        children = "1 child's visit" if len(dues) == 1 else f"{len(dues)} children's visits"
        items.append(
            DigestItem(
                reference=references[family_id],
                text=f"{children} overdue since {_day(min(dues), today)}",
                link=family_link(family_id),
            )
        )
    return items


def _meeting_items(meetings, today) -> list[DigestItem]:
    references = _references(m.family_id for m in meetings)
    items = []
    for meeting in sorted(meetings, key=lambda m: m.due):
        state = "overdue, due" if meeting.is_overdue(today) else "due"
        booked = (
            f"booked for {_day(meeting.booked.day, today)}"
            if meeting.booked is not None
            else "not booked yet"
        )
        items.append(
            DigestItem(
                reference=references.get(meeting.family_id, ""),
                text=f"{meeting.kind_label} {state} by {_day(meeting.due, today)}: {booked}",
                link=family_link(meeting.family_id),
            )
        )
    return items


def _action_items(actions, today) -> list[DigestItem]:
    """The action's due date and owner only: what it says may name a child."""
    items = []
    for action in actions.select_related("owner__user", "discussion__family"):
        state = "overdue, was due" if action.due < today else "due"
        family = action.discussion.family
        items.append(
            DigestItem(
                reference=family.reference,
                text=f"Action for {action.owner.name} {state} {_day(action.due, today)}",
                link=family_link(family.pk),
            )
        )
    return items


def _call_items(calls) -> list[DigestItem]:
    """When the call came and for whom, never who called or what they said."""
    items = []
    for call in calls:
        urgent = "Urgent call" if call.urgent else "Call"
        items.append(
            DigestItem(
                reference=call.family.reference,
                text=f"{urgent} for {call.for_worker.name}, to pick up by {call.pick_up_by:%-d %B}",
                link=family_link(call.family_id),
            )
        )
    return items


def _references(family_ids: Iterable[int]) -> dict[int, str]:
    return dict(Family.objects.filter(pk__in=set(family_ids)).values_list("pk", "reference"))


def _day(day: datetime.date, today: datetime.date) -> str:
    if day == today:
        return "today"
    if day == today + datetime.timedelta(days=1):
        return "tomorrow"
    return f"{day:%A %-d %B}" if day.year == today.year else f"{day:%A %-d %B %Y}"


def digest_recipients(today: datetime.date) -> QuerySet[Worker]:
    """Everyone employed today with an active sign-in and an email address."""
    return (
        Worker.objects.employed_on(today)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def build_all_digests(today: datetime.date) -> int:
    """Every worker's digest built, none sent (make bench): how many have something to say."""
    return sum(1 for worker in digest_recipients(today) if digest_for(worker, today) is not None)
