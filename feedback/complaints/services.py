"""What is done to a complaint, one service per step of the statutory procedure. Each checks
its rule, saves everything or nothing (``transaction.atomic``) and raises a ValidationError
whose message says what to do, keyed by the form field it is about.

The steps: record it (stage 1 opens, due by its clock), extend a stage once with a reason,
answer a stage with an outcome (the response letter is made through the scheduling letters),
escalate within the window after an answer, add and complete actions, close it with what was
learnt."""

from __future__ import annotations

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from feedback.complaints import clocks
from feedback.complaints.letter import complaint_letter_body
from feedback.models import Complaint, ComplaintAction, ComplaintStage, Outcome, Theme
from feedback.models.base import From, ReceivedBy
from scheduling import letters

Stage = ComplaintStage.Number

RECEIVED_IN_FUTURE = "The date it was received must be today or in the past"
HOW_NEEDED = "Choose how the complaint came"
WHO_NEEDED = "Choose who made the complaint"
NAME_NEEDED = "Enter the name of the person who made the complaint"
SUMMARY_NEEDED = "Enter what the complaint is about"
ABOUT_NOBODY = "Choose the family, worker or team the complaint is about"
NOT_A_COMPLAINT_THEME = "Choose themes from the list of complaint themes"
ADVOCATE_OFFER_NEEDED = (
    "Enter the date an advocate was offered: a child or young person who complains must be "
    "offered an advocate, and the offer recorded"
)
ADVOCATE_OFFERED_BEFORE_RECEIPT = "The advocate must be offered on or after the day it came"

COMPLAINT_CLOSED = "This complaint was closed on {date}: nothing more can be done to it"
STAGE_ANSWERED = "{stage} was answered on {date}: it can no longer be extended or answered"
ALREADY_EXTENDED = (
    "{stage} was already extended once, to {date}: the procedure allows one extension"
)
PANEL_NOT_EXTENDED = "A stage 3 review panel cannot be extended"
EXTENSION_REASON_NEEDED = "Enter why the response needs more time"
EXTENSION_NOT_LATER = "The new date must be after {date}, when it is due now"
EXTENSION_BEYOND_MAXIMUM = (
    "The new date must be no later than {date}: {working_days} working days from {opened} is "
    "the most the procedure allows for {stage_lower}"
)
OUTCOME_NEEDED = "Choose the outcome: upheld, partly upheld or not upheld"
RESPONSE_NEEDED = "Enter what the response says"
RESPONDED_BEFORE_OPENED = "The date of the response must be on or after {date}, when it opened"
RESPONDED_IN_FUTURE = "The date of the response must be today or in the past"
NO_WAY_TO_WRITE = (
    "Add the complainant's address or email address before responding: the response goes to "
    "them in writing"
)
NOT_ANSWERED_YET = (
    "{stage} has not been answered yet: a complaint goes to the next stage only after the response"
)
NO_STAGE_AFTER_PANEL = (
    "Stage 3 is the last stage: after the panel the complainant may go to the Local "
    "Government and Social Care Ombudsman"
)
ESCALATION_TOO_LATE = (
    "The request to escalate had to be made by {date}, 20 working days after the response of "
    "{responded}"
)
ESCALATION_BEFORE_RESPONSE = "The request must be on or after {date}, the day of the response"
ESCALATION_IN_FUTURE = "The date of the request must be today or in the past"
ACTION_TEXT_NEEDED = "Enter what is to be done"
ACTION_DUE_IN_PAST = "The date it is due must be today or in the future"
ACTION_ALREADY_DONE = "This action was done on {date}"
CLOSE_WITH_OPEN_STAGE = "Answer {stage_lower} before closing the complaint"
CLOSED_BEFORE_RECEIVED = "The date it was closed must be on or after {date}, when it came"


def _words(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _stage_name(number: int) -> str:
    return f"Stage {number}"


def _save(instance, by) -> None:
    instance.full_clean()
    instance._history_user = by
    instance.save()


def _refuse_if_closed(complaint: Complaint) -> None:
    if complaint.closed:
        raise ValidationError(COMPLAINT_CLOSED.format(date=_words(complaint.closed)))


def complaint_next_reference(year: int) -> str:
    """C-2026-0001: the year it was received and its number in that year. Serialised by a
    transaction-scoped advisory lock, so two officers recording at once get two numbers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('feedback.complaint'), %s)", [year])
    prefix = f"C-{year}-"
    last = (
        Complaint.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def complaint_record(
    *,
    received: datetime.date,
    received_by: str,
    from_kind: str,
    from_name: str,
    summary: str,
    by,
    from_address: str = "",
    from_email: str = "",
    family=None,
    worker=None,
    team=None,
    themes=(),
    advocate_offered: datetime.date | None = None,
    advocate_accepted: bool | None = None,
) -> Complaint:
    """Record a complaint and open its stage 1, due by the clock from the day it came."""
    errors = {}
    if received is None or received > timezone.localdate():
        errors["received"] = RECEIVED_IN_FUTURE
    if received_by not in ReceivedBy.values:
        errors["received_by"] = HOW_NEEDED
    if from_kind not in From.values:
        errors["from_kind"] = WHO_NEEDED
    if not from_name.strip():
        errors["from_name"] = NAME_NEEDED
    if not summary.strip():
        errors["summary"] = SUMMARY_NEEDED
    if family is None and worker is None and team is None:
        errors["family"] = ABOUT_NOBODY
    if any(theme.used_for != Theme.For.COMPLAINTS for theme in themes):
        errors["themes"] = NOT_A_COMPLAINT_THEME
    if from_kind == From.CHILD and advocate_offered is None:
        errors["advocate_offered"] = ADVOCATE_OFFER_NEEDED
    if advocate_offered and received and advocate_offered < received:
        errors["advocate_offered"] = ADVOCATE_OFFERED_BEFORE_RECEIPT
    if errors:
        raise ValidationError(errors)
    complaint = Complaint(
        reference=complaint_next_reference(received.year),
        received=received,
        received_by=received_by,
        from_kind=from_kind,
        from_name=from_name.strip(),
        from_address=from_address.strip(),
        from_email=from_email.strip(),
        family=family,
        worker=worker,
        team=team,
        summary=summary.strip(),
        advocate_offered=advocate_offered,
        advocate_accepted=advocate_accepted if advocate_offered else None,
        recorded_by=by,
    )
    _save(complaint, by)
    complaint.themes.set(themes)
    _stage_open(complaint=complaint, number=Stage.LOCAL_RESOLUTION, opened=received, by=by)
    return complaint


def _stage_open(*, complaint: Complaint, number: int, opened: datetime.date, by):
    stage = ComplaintStage(
        complaint=complaint, number=number, opened=opened, due=clocks.stage_due(number, opened)
    )
    _save(stage, by)
    return stage


def _locked(stage: ComplaintStage) -> ComplaintStage:
    return ComplaintStage.objects.select_for_update().select_related("complaint").get(pk=stage.pk)


@transaction.atomic
def complaint_stage_extend(
    *, stage: ComplaintStage, reason: str, by, to: datetime.date | None = None
) -> ComplaintStage:
    """Put a stage's response back, once, with a reason, to no later than the procedure's
    maximum (stage 1: 20 working days from receipt; stage 2: 65 from the request). Without
    ``to`` it goes to the maximum."""
    stage = _locked(stage)
    _refuse_if_closed(stage.complaint)
    name = _stage_name(stage.number)
    if stage.responded:
        raise ValidationError(STAGE_ANSWERED.format(stage=name, date=_words(stage.responded)))
    latest = clocks.latest_extension(stage.number, stage.opened)
    if latest is None:
        raise ValidationError(PANEL_NOT_EXTENDED)
    if stage.extended_to:
        raise ValidationError(ALREADY_EXTENDED.format(stage=name, date=_words(stage.extended_to)))
    errors = {}
    if not reason.strip():
        errors["reason"] = EXTENSION_REASON_NEEDED
    to = to or latest
    if to <= stage.due:
        errors["to"] = EXTENSION_NOT_LATER.format(date=_words(stage.due))
    elif to > latest:
        errors["to"] = EXTENSION_BEYOND_MAXIMUM.format(
            date=_words(latest),
            working_days=clocks.extension_working_days(stage.number),
            opened=_words(stage.opened),
            stage_lower=name.lower(),
        )
    if errors:
        raise ValidationError(errors)
    stage.extended_to = to
    stage.extension_reason = reason.strip()
    _save(stage, by)
    return stage


@transaction.atomic
def complaint_stage_respond(
    *, stage: ComplaintStage, responded: datetime.date, outcome: str, response: str, by
) -> ComplaintStage:
    """Answer a stage with its outcome, and make the response letter to the complainant
    (through scheduling's letters: rendered as a PDF in the worker, then marked sent). The
    letter says the outcome and, after stage 1 or 2, the day by which to ask for the next."""
    stage = _locked(stage)
    complaint = stage.complaint
    _refuse_if_closed(complaint)
    name = _stage_name(stage.number)
    if stage.responded:
        raise ValidationError(STAGE_ANSWERED.format(stage=name, date=_words(stage.responded)))
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = OUTCOME_NEEDED
    if not response.strip():
        errors["response"] = RESPONSE_NEEDED
    if responded is None or responded > timezone.localdate():
        errors["responded"] = RESPONDED_IN_FUTURE
    elif responded < stage.opened:
        errors["responded"] = RESPONDED_BEFORE_OPENED.format(date=_words(stage.opened))
    if not complaint.from_address.strip() and not complaint.from_email.strip():
        errors[NON_FIELD_ERRORS] = NO_WAY_TO_WRITE
    if errors:
        raise ValidationError(errors)
    stage.responded = responded
    stage.outcome = outcome
    stage.response = response.strip()
    stage.handled_by = stage.handled_by or by
    stage.letter = letters.letter_complaint_response_prepare(
        family=complaint.family,
        to_name=complaint.from_name,
        to_address=complaint.from_address,
        to_email="" if complaint.from_address.strip() else complaint.from_email,
        body=complaint_letter_body(complaint=complaint, stage=stage),
        by=by,
    )
    _save(stage, by)
    return stage


@transaction.atomic
def complaint_escalate(*, complaint: Complaint, requested: datetime.date, by) -> ComplaintStage:
    """Open the next stage on the day the complainant asked for it: only after the current
    stage is answered, within 20 working days of that answer, and never beyond stage 3."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _refuse_if_closed(complaint)
    current = complaint.stages.order_by("-number").first()
    if current.number == Stage.REVIEW_PANEL:
        raise ValidationError(NO_STAGE_AFTER_PANEL)
    if current.responded is None:
        raise ValidationError(NOT_ANSWERED_YET.format(stage=_stage_name(current.number)))
    deadline = clocks.escalation_deadline(current.responded)
    if requested is None or requested > timezone.localdate():
        raise ValidationError({"requested": ESCALATION_IN_FUTURE})
    if requested < current.responded:
        raise ValidationError(
            {"requested": ESCALATION_BEFORE_RESPONSE.format(date=_words(current.responded))}
        )
    if requested > deadline:
        raise ValidationError(
            {
                "requested": ESCALATION_TOO_LATE.format(
                    date=_words(deadline), responded=_words(current.responded)
                )
            }
        )
    return _stage_open(complaint=complaint, number=current.number + 1, opened=requested, by=by)


@transaction.atomic
def complaint_action_add(
    *, complaint: Complaint, text: str, owner, due: datetime.date, by
) -> ComplaintAction:
    """Turn learning into something someone will do, by a date."""
    _refuse_if_closed(complaint)
    errors = {}
    if not text.strip():
        errors["text"] = ACTION_TEXT_NEEDED
    if due is None or due < timezone.localdate():
        errors["due"] = ACTION_DUE_IN_PAST
    if errors:
        raise ValidationError(errors)
    action = ComplaintAction(
        complaint=complaint, text=text.strip(), owner=owner, due=due, created_by=by
    )
    _save(action, by)
    return action


@transaction.atomic
def complaint_action_done(*, action: ComplaintAction, by, done: datetime.date | None = None):
    action = ComplaintAction.objects.select_for_update().get(pk=action.pk)
    if action.done:
        raise ValidationError(ACTION_ALREADY_DONE.format(date=_words(action.done)))
    action.done = done or timezone.localdate()
    _save(action, by)
    return action


@transaction.atomic
def complaint_close(
    *, complaint: Complaint, closed: datetime.date, by, learning: str = ""
) -> Complaint:
    """Close a complaint once its last stage is answered, with what the service learnt."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _refuse_if_closed(complaint)
    current = complaint.stages.order_by("-number").first()
    if current.responded is None:
        raise ValidationError(
            CLOSE_WITH_OPEN_STAGE.format(stage_lower=_stage_name(current.number).lower())
        )
    if closed is None or closed < complaint.received:
        raise ValidationError(
            {"closed": CLOSED_BEFORE_RECEIVED.format(date=_words(complaint.received))}
        )
    complaint.closed = closed
    if learning.strip():
        complaint.learning = learning.strip()
    _save(complaint, by)
    return complaint
