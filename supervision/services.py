"""Writes to supervision, each in one transaction: a discussion and its decisions (and the
chronology entry they write) save together or not at all. Views, the seed command and tests
call these; the rules of who may do what live here, not in the views."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from families.models import Family, Person
from onestory import services as story
from onestory.models import TEXT_LIMIT, Entry
from pods.models import Team, Worker
from supervision import agenda, permissions
from supervision.models import (
    CaseDiscussion,
    Decision,
    DiscussionRequest,
    GroupSupervision,
    OneToOneSupervision,
    ReflectivePracticeGroup,
    RPGSession,
)

NOT_YOUR_POD = "Only a pod manager of this pod can run its group supervision"
NOT_IN_POD = "Choose a family the pod holds"
FAMILY_NOT_VISIBLE = "You cannot see this family's record, so it cannot go on your agenda"
SCORE_RANGE = "Enter a score from 0 to 10"
NO_OWNER = "Choose who owns this decision"
OWNER_NOT_IN_POD = "{name} is not in the pod: choose an owner from the pod"
NO_DUE = "Enter the date this decision is due"
NO_TEXT = "Say what was decided"
CLOSED = "This session is closed: open this week's session to discuss the family"
ATTENDEE_NOT_IN_POD = "{name} is not in the pod on {day:%-d %B %Y}"
NOT_YOUR_SUPERVISEE = "You do not supervise {name}: a 1:1 is recorded by the supervisor"
FUTURE_SUPERVISION = "The date of the supervision must be today or in the past"
RPG_ATTENDEE = "{name} is not a member or facilitator of this group"
NOT_AN_RPG_FACILITATOR = "Only the group's facilitators record its sessions"


@dataclass(frozen=True)
class DecisionDetails:
    text: str
    owner: Worker | None
    due: datetime.date | None


# --- group supervision ---------------------------------------------------------------------


def session_week(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


@transaction.atomic
def group_session_open(*, pod: Team, day: datetime.date, by: Worker) -> GroupSupervision:
    """Open the pod's session for the week of ``day`` (or return the one already opened that
    week), with the proposed agenda."""
    if not permissions.manages(by, pod, day):
        raise PermissionDenied(NOT_YOUR_POD)
    monday, sunday = session_week(day)
    existing = GroupSupervision.objects.filter(pod=pod, date__range=(monday, sunday)).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            session = GroupSupervision.objects.create(pod=pod, date=day, facilitator=by)
    except IntegrityError:  # opened by someone else a moment ago
        return GroupSupervision.objects.get(pod=pod, date=day)
    for position, proposal in enumerate(agenda.propose(pod, day, user=by.user), start=1):
        CaseDiscussion.objects.create(
            group_session=session,
            family=proposal.family,
            position=position,
            reasons="; ".join(proposal.reasons)[:300],
        )
    return session


def _check_running(session: GroupSupervision, by: Worker) -> None:
    if not permissions.manages(by, session.pod, session.date):
        raise PermissionDenied(NOT_YOUR_POD)
    if not session.is_open:
        raise ValidationError(CLOSED)


@transaction.atomic
def agenda_add(*, session: GroupSupervision, family: Family, by: Worker) -> CaseDiscussion:
    _check_running(session, by)
    if not Family.objects.visible_to(by.user).filter(pk=family.pk).exists():
        raise ValidationError({"family": FAMILY_NOT_VISIBLE})
    if not agenda.pod_families(session.pod, session.date, by.user).filter(pk=family.pk).exists():
        raise ValidationError({"family": NOT_IN_POD})
    existing = session.discussions.filter(family=family).first()
    if existing is not None:
        return existing
    last = session.discussions.aggregate(last=Max("position"))["last"] or 0
    return CaseDiscussion.objects.create(
        group_session=session, family=family, position=last + 1, reasons="added by the manager"
    )


@transaction.atomic
def agenda_move(*, discussion: CaseDiscussion, by: Worker, up: bool) -> None:
    """Swap the discussion with the one before (up) or after it on the agenda."""
    session = discussion.group_session
    _check_running(session, by)
    items = list(session.discussions.select_for_update().order_by("position", "pk"))
    index = next(i for i, item in enumerate(items) if item.pk == discussion.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def attendance_save(*, session: GroupSupervision, workers: list[Worker], by: Worker) -> None:
    _check_running(session, by)
    members = set(permissions.members_on(session.pod, session.date).values_list("pk", flat=True))
    strangers = [worker for worker in workers if worker.pk not in members]
    if strangers:
        raise ValidationError(
            {
                "attendees": [
                    ATTENDEE_NOT_IN_POD.format(name=worker.name, day=session.date)
                    for worker in strangers
                ]
            }
        )
    session.attendees.set(workers)


@transaction.atomic
def session_close(*, session: GroupSupervision, by: Worker) -> GroupSupervision:
    _check_running(session, by)
    session.status = GroupSupervision.Status.CLOSED
    session.closed = timezone.now()
    session.save()
    return session


@transaction.atomic
def discussion_save(
    *,
    discussion: CaseDiscussion,
    by: Worker,
    decisions: list[DecisionDetails],
    presenting_worker: Worker | None = None,
    scaling_score: int | None = None,
    **texts: str,
) -> CaseDiscussion:
    """Record the discussion of a family and its decisions, and write (or correct) the
    management-oversight entry in the family's chronology. All or nothing."""
    discussion = CaseDiscussion.objects.select_for_update().get(pk=discussion.pk)
    session = discussion.group_session or discussion.one_to_one
    team_day = _discussion_scope(discussion, by)
    pod, day = team_day
    errors: dict[str, list[str]] = {}
    if scaling_score is not None and not 0 <= scaling_score <= 10:
        errors.setdefault("scaling_score", []).append(SCORE_RANGE)
    members = {w.pk: w for w in permissions.members_on(pod, day)} if pod else {}
    for number, decision in enumerate(decisions, start=1):
        prefix = f"decision_{number}"
        if not decision.text.strip():
            errors.setdefault(f"{prefix}_text", []).append(NO_TEXT)
        if decision.owner is None:
            errors.setdefault(f"{prefix}_owner", []).append(NO_OWNER)
        elif pod is not None and decision.owner.pk not in members:
            errors.setdefault(f"{prefix}_owner", []).append(
                OWNER_NOT_IN_POD.format(name=decision.owner.name)
            )
        if decision.due is None:
            errors.setdefault(f"{prefix}_due", []).append(NO_DUE)
    try:
        story.check_lengths(
            {
                CaseDiscussion._meta.get_field(name).verbose_name: text
                for name, text in texts.items()
            }
            | {f"Decision {n}": d.text for n, d in enumerate(decisions, start=1)}
        )
    except ValidationError as error:
        errors.setdefault("__all__", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)

    for name, text in texts.items():
        setattr(discussion, name, text)
    discussion.scaling_score = scaling_score
    discussion.presenting_worker = presenting_worker
    first_time = discussion.discussed is None
    discussion.discussed = discussion.discussed or timezone.now()
    discussion.save()
    for decision in decisions:
        Decision.objects.create(
            discussion=discussion,
            text=decision.text.strip(),
            owner=decision.owner,
            due=decision.due,
        )
    DiscussionRequest.objects.filter(family=discussion.family, answered_by__isnull=True).update(
        answered_by=discussion
    )
    _write_to_chronology(discussion, by, session, first_time)
    return discussion


def _discussion_scope(discussion: CaseDiscussion, by: Worker) -> tuple[Team | None, datetime.date]:
    """The pod whose members may own decisions, and the day; refuses who may not save."""
    if discussion.group_session_id:
        session = discussion.group_session
        _check_running(session, by)
        return session.pod, session.date
    one_to_one = discussion.one_to_one
    if by.pk != one_to_one.supervisor_id:
        raise PermissionDenied(NOT_YOUR_SUPERVISEE.format(name=one_to_one.supervisee.name))
    team = agenda.family_pod(discussion.family, one_to_one.date)
    return team, one_to_one.date


def _write_to_chronology(discussion: CaseDiscussion, by: Worker, session, first_time: bool) -> None:
    """The management-oversight entry: what the pod (or the 1:1) decided, who owns it, when
    it is due. A later save of the same discussion corrects that entry."""
    texts = _oversight_texts(discussion)
    if discussion.entry is None:
        when = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(12)))
        entry = Entry.objects.create(
            family=discussion.family,
            author=by.user,
            kind=Entry.Kind.SUPERVISION_DECISION,
            occurred=min(when, timezone.now()),
            status=Entry.Status.FINAL,
            **texts,
        )
        discussion.entry = entry
        discussion.save(update_fields=["entry"])
    else:
        entry = discussion.entry
        for name, text in texts.items():
            setattr(entry, name, text)
        entry.updated = timezone.now()
        entry._history_user = by.user
        entry._change_reason = "Corrected: the discussion was updated"
        entry.save()


def _oversight_texts(discussion: CaseDiscussion) -> dict[str, str]:
    where = (
        f"Group supervision of {discussion.group_session.pod.name}"
        if discussion.group_session_id
        else f"1:1 supervision of {discussion.one_to_one.supervisee.name}"
    )
    # The entry's text stops at TEXT_LIMIT and no decision's line is shorter than the
    # shortest possible one, so the decisions past this many never show: not read.
    shown_at_most = TEXT_LIMIT // len("- x (owner: x; due 1 May 2026)\n") + 1
    decisions = [
        (d.text, d.owner.name, d.due)
        for d in discussion.decisions.select_related("owner__user").order_by("due", "pk")[
            :shown_at_most
        ]
    ]
    return oversight_texts(
        where=where,
        presenter=discussion.presenting_worker.name if discussion.presenting_worker else "",
        question=discussion.question,
        score=discussion.scaling_score,
        working_well=discussion.working_well,
        worries=discussion.worries,
        needs_to_happen=discussion.needs_to_happen,
        hypotheses=discussion.hypotheses,
        decisions=decisions,
    )


def oversight_texts(
    *,
    where: str,
    presenter: str,
    question: str,
    score: int | None,
    working_well: str,
    worries: str,
    needs_to_happen: str,
    hypotheses: str,
    decisions: list[tuple[str, str, datetime.date]],
) -> dict[str, str]:
    """The texts of a management-oversight entry (also written by the demo in bulk)."""
    lines = [where + "."]
    if presenter:
        lines.append(f"Presented by {presenter}.")
    if question:
        lines.append(f"Question: {question}")
    if score is not None:
        lines.append(f"Scaling score: {score} out of 10.")
    for title, text in (
        ("What is working well", working_well),
        ("What we are worried about", worries),
        ("What needs to happen", needs_to_happen),
    ):
        if text:
            lines.append(f"{title}: {text}")
    listed = [f"- {text} (owner: {owner}; due {due:%-d %B %Y})" for text, owner, due in decisions]
    return {
        "what_happened": "\n".join(lines)[:TEXT_LIMIT],
        "analysis": hypotheses[:TEXT_LIMIT],
        "next_steps": ("Decisions:\n" + "\n".join(listed))[:TEXT_LIMIT] if listed else "",
    }


@transaction.atomic
def decision_complete(*, decision: Decision, by: Worker) -> Decision:
    """Mark an action done: its owner, or a manager of the owner's pod."""
    decision = Decision.objects.select_for_update().select_related("owner").get(pk=decision.pk)
    today = timezone.localdate()
    allowed = by.pk == decision.owner_id or any(
        permissions.is_member(decision.owner, team, today)
        for team in permissions.managed_pods(by, today)
    )
    if not allowed:
        raise PermissionDenied("Only the owner or their pod manager can complete an action")
    if decision.done is None:
        decision.done = timezone.now()
        decision.done_by = by.user
        decision._history_user = by.user
        decision.save()
    return decision


@transaction.atomic
def discussion_request(*, family: Family, by: Worker, note: str = "") -> DiscussionRequest:
    """Ask for a family to be discussed at the pod's next group supervision (once)."""
    existing = DiscussionRequest.objects.filter(family=family, answered_by__isnull=True).first()
    if existing is not None:
        return existing
    return DiscussionRequest.objects.create(family=family, requested_by=by, note=note[:300])


# --- 1:1 supervision -----------------------------------------------------------------------


def one_to_one_due(worker: Worker) -> int:
    return (
        settings.PODS_ONE_TO_ONE_DAYS_NEWLY_QUALIFIED
        if worker.newly_qualified
        else settings.PODS_ONE_TO_ONE_DAYS
    )


@transaction.atomic
def one_to_one_record(
    *,
    supervisor: Worker,
    supervisee: Worker,
    date: datetime.date,
    practice_notes: str = "",
    wellbeing: str = "",
    families: list[Family] = (),
) -> OneToOneSupervision:
    """Record a 1:1 held by the worker's supervisor, with the families to discuss in it."""
    if not permissions.supervisors_of(supervisee, date).filter(pk=supervisor.pk).exists():
        raise PermissionDenied(NOT_YOUR_SUPERVISEE.format(name=supervisee.name))
    if date > timezone.localdate():
        raise ValidationError({"date": FUTURE_SUPERVISION})
    story.check_lengths(
        {"Practice and development": practice_notes, "Wellbeing and containment": wellbeing}
    )
    supervision = OneToOneSupervision.objects.create(
        supervisor=supervisor,
        supervisee=supervisee,
        date=date,
        practice_notes=practice_notes,
        wellbeing=wellbeing,
        recorded_by=supervisor.user,
    )
    for position, family in enumerate(families, start=1):
        CaseDiscussion.objects.create(one_to_one=supervision, family=family, position=position)
    return supervision


# --- reflective practice groups -------------------------------------------------------------


@transaction.atomic
def rpg_session_record(
    *,
    group: ReflectivePracticeGroup,
    date: datetime.date,
    minutes: int,
    attendees: list[Worker],
    themes: str,
    notes: str,
    by: Worker,
) -> RPGSession:
    if not group.facilitators.filter(pk=by.pk).exists():
        raise PermissionDenied(NOT_AN_RPG_FACILITATOR)
    allowed = set(group.members.values_list("pk", flat=True)) | set(
        group.facilitators.values_list("pk", flat=True)
    )
    strangers = [worker for worker in attendees if worker.pk not in allowed]
    if strangers:
        raise ValidationError(
            {"attendees": [RPG_ATTENDEE.format(name=worker.name) for worker in strangers]}
        )
    if date > timezone.localdate():
        raise ValidationError({"date": "The date of the session must be today or in the past"})
    session = RPGSession(
        group=group, date=date, minutes=minutes, themes=themes, notes=notes, recorded_by=by.user
    )
    session.full_clean(exclude=["recorded_by"])
    session.save()
    session.attendees.set(attendees)
    return session


_CAPITALISED = re.compile(r"\b(?:[A-Z][a-z]*'[A-Z][a-z]+|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)")


def names_in_notes(text: str, user) -> list[str]:
    """Capitalised words in ``text`` that are the first name or surname of someone in a family
    ``user`` can see: RPG notes are about practice, not people, so the form warns."""
    words = set(_CAPITALISED.findall(text or ""))
    if not words:
        return []
    people = Person.objects.filter(memberships__family__in=Family.objects.visible_to(user)).filter(
        Q(first_name__in=words) | Q(last_name__in=words)
    )
    found = set()
    for first, last in people.values_list("first_name", "last_name").distinct()[:200]:
        found.update(name for name in (first, last) if name in words)
    return sorted(found)
