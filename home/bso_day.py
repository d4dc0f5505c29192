"""The business support officer's day (issue 13): what to arrange first, in one screen.

Meetings to schedule (nearest deadline first), today's and this week's appointments across the
pod, invitations and letters to send, calls waiting, who is away and on duty, and cover needed.
Every family shown comes through ``Family.objects.visible_to`` (a restricted family the BSO is
not named on never appears); the page logs the families it shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from families.models import Family
from families.selectors import held_by_team
from home import cover
from pods.models import Team
from pods.permissions import members_on
from pods.working_days import working_days_from
from scheduling import calls, clocks
from scheduling import selectors as meeting_selectors
from scheduling.models import Appointment, Invitation, Letter

MEETINGS_SHOWN = 25
INVITATIONS_SHOWN = 25


@dataclass
class BsoDay:
    today: datetime.date
    meetings: list  # (MeetingDue, Family) pairs, nearest deadline first
    meetings_count: int
    today_appointments: list[Appointment]
    week_appointments: list[Appointment]
    invitations: list[Appointment]  # appointments with invitations still to send
    letters: list[Letter]
    calls: list
    cover_needed: list
    families_shown: list[Family] = field(default_factory=list)


def _pod_appointments(team: Team, first: datetime.date, last: datetime.date):
    members = members_on(team, first).values("pk")
    return (
        Appointment.objects.active()
        .between(first, last)
        .filter(Q(team=team) | Q(worker__in=members) | Q(chair__in=members))
        .select_related("worker__user", "chair__user")
        .order_by("start", "pk")
    )


def _with_visible_families(user, appointments: list[Appointment], visible: set[int]):
    """Family appointments only where the family is visible, each with ``family`` set to the
    visible row (so the template never reaches a hidden one). ``visible`` holds the pod's
    visible families; a family outside the pod (a chair's other meetings) is asked about."""
    ids = {a.family_id for a in appointments if a.family_id}
    outside = ids - visible
    if outside:
        visible = visible | set(
            Family.objects.visible_to(user).filter(pk__in=outside).values_list("pk", flat=True)
        )
    families = Family.objects.in_bulk(ids & visible)
    shown = []
    for appointment in appointments:
        if appointment.family_id is None:
            shown.append(appointment)
        elif appointment.family_id in families:
            appointment.family = families[appointment.family_id]
            shown.append(appointment)
    return shown


def bso_day(user, team: Team, today: datetime.date) -> BsoDay:
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    if week_end < today + datetime.timedelta(days=2):
        # From Friday, "this week" runs on to the next working days.
        week_end = working_days_from(today, 5)[-1]
    # The pod's families the user may see, read once: every part below is within them.
    visible = set(held_by_team(user, team).values_list("pk", flat=True))
    appointments = _with_visible_families(
        user, list(_pod_appointments(team, today, week_end)), visible
    )
    due = meeting_selectors.unbooked(clocks.meetings_due(visible, today))
    meetings = meeting_selectors.with_families(due[:MEETINGS_SHOWN])
    inviting = _with_invitations_to_send(appointments)
    to_invite = [
        a for a in appointments if a.status == Appointment.Status.PLANNED and a.pk in inviting
    ][:INVITATIONS_SHOWN]
    letters = list(
        Letter.objects.filter(
            family_id__in=visible, status=Letter.Status.READY, kind__in=Letter.CASE_KINDS
        ).select_related("family")[:INVITATIONS_SHOWN]
    )
    day = BsoDay(
        today=today,
        meetings=meetings,
        meetings_count=len(due),
        today_appointments=[a for a in appointments if a.day == today],
        week_appointments=[a for a in appointments if a.day > today],
        invitations=to_invite,
        letters=letters,
        calls=list(calls.calls_waiting_among(visible)),
        cover_needed=cover.cover_needed(user, team, today, visible_ids=visible),
    )
    shown = {f.pk: f for _, f in meetings}
    shown.update({a.family.pk: a.family for a in appointments if a.family_id})
    shown.update({letter.family.pk: letter.family for letter in letters})
    shown.update({call.family.pk: call.family for call in day.calls})
    day.families_shown = list(shown.values())
    return day


def _with_invitations_to_send(appointments: list[Appointment]) -> set[int]:
    ids = [a.pk for a in appointments]
    return set(
        Invitation.objects.filter(appointment_id__in=ids, state=Invitation.State.TO_SEND)
        .exclude(worker__isnull=False)
        .values_list("appointment_id", flat=True)
    )
