"""Writes to the One Story record, each in one transaction, called by views, tasks and the
seed command alike. Nothing a worker wrote is ever lost: a refused save says why and keeps
both versions; final entries are never deleted."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from families.models import Family, FamilyMember, Person
from onestory import permissions
from onestory.models import TEXT_LIMIT, CaseSummary, Challenge, ChildSeen, Entry

VISIT_IN_FUTURE = "The date of the visit must be today or in the past"
ENTRY_IN_FUTURE = "The date must be today or in the past"
ALONE_BUT_NOT_SEEN = (
    "{name} cannot have been seen alone without being seen: tick that they were seen"
)
NOT_A_CHILD_HERE = "Choose children in this family"
TOO_LONG = "{label} must be {limit:,} characters or fewer: it has {length:,}"
NOT_YOURS = "Only the author can change a draft"
ALREADY_FINAL = "This entry is final: record a correction instead"
NOT_FINAL = "Only final entries are corrected: carry on with the draft instead"
NOT_YOURS_TO_CORRECT = "Only the author or a pod manager can correct an entry"
NO_REASON = "Say what you corrected and why"
REASON_LIMIT = 88  # the history keeps 100 characters of a change's reason, "Corrected: " included
REASON_TOO_LONG = (
    f"The reason must be {REASON_LIMIT} characters or fewer: it has {{length}}. "
    "Say briefly what you corrected; the corrected text itself is kept in full"
)


class SummaryConflict(Exception):
    """Someone saved the summary after the version this save started from."""

    def __init__(self, current: CaseSummary):
        super().__init__("The summary was changed by someone else while you were editing it")
        self.current = current


@dataclass(frozen=True)
class ChildSeenDetails:
    person: Person
    seen: bool
    seen_alone: bool = False
    bedroom_seen: bool = False


def summary_for(family: Family) -> CaseSummary:
    """The family's summary, created empty the first time anyone opens it."""
    summary, _ = CaseSummary.objects.get_or_create(family=family)
    return summary


@transaction.atomic
def summary_save(
    *, family: Family, sections: dict[str, str], based_on_version: int, user
) -> CaseSummary:
    """Save the summary if nobody has saved it since ``based_on_version``; otherwise raise
    SummaryConflict with the newer version, so the person saving sees both and chooses.
    The row lock makes two simultaneous saves take turns: the second one sees the first."""
    summary_for(family)
    summary = CaseSummary.objects.select_for_update().get(family=family)
    if summary.version != based_on_version:
        raise SummaryConflict(summary)
    check_lengths(
        {CaseSummary._meta.get_field(name).verbose_name: text for name, text in sections.items()}
    )
    for name in CaseSummary.SECTIONS:
        if name in sections:
            setattr(summary, name, sections[name])
    summary.version += 1
    summary.updated_by = user
    summary.updated = timezone.now()
    summary.save()
    return summary


def check_lengths(texts: dict[str, str]) -> None:
    errors = [
        TOO_LONG.format(label=label.capitalize(), limit=TEXT_LIMIT, length=len(text))
        for label, text in texts.items()
        if text and len(text) > TEXT_LIMIT
    ]
    if errors:
        raise ValidationError(errors)


def _check_children(family: Family, children: list[ChildSeenDetails]) -> None:
    allowed = set(
        FamilyMember.objects.filter(
            family=family, relationship=FamilyMember.Relationship.CHILD
        ).values_list("person_id", flat=True)
    )
    errors = []
    for child in children:
        if child.person.pk not in allowed:
            raise ValidationError({"children": NOT_A_CHILD_HERE})
        if child.seen_alone and not child.seen:
            errors.append(ALONE_BUT_NOT_SEEN.format(name=child.person.first_name))
    if errors:
        raise ValidationError({"children": errors})


@transaction.atomic
def entry_record(
    *,
    family: Family,
    author,
    kind: str,
    occurred: datetime.datetime,
    children: list[ChildSeenDetails],
    final: bool,
    entry: Entry | None = None,
    significant: bool = False,
    **texts: str,
) -> Entry:
    """Record (or carry on with) an entry. ``final=False`` keeps it as the author's draft;
    ``final=True`` files it, or sends a student's entry for countersignature."""
    if occurred > timezone.now():
        raise ValidationError(
            {"occurred": VISIT_IN_FUTURE if kind == Entry.Kind.HOME_VISIT else ENTRY_IN_FUTURE}
        )
    _check_children(family, children)
    check_lengths({Entry._meta.get_field(name).verbose_name: text for name, text in texts.items()})
    if entry is None:
        entry = Entry(family=family, author=author)
    else:
        entry = Entry.objects.select_for_update().get(pk=entry.pk, family=family)
        if entry.author_id != author.pk:
            raise ValidationError(NOT_YOURS)
        if entry.is_final:
            raise ValidationError(ALREADY_FINAL)
    entry.kind = kind
    entry.occurred = occurred
    entry.significant = significant
    for name, text in texts.items():
        setattr(entry, name, text)
    entry.status = _filed_status(author) if final else Entry.Status.DRAFT
    entry.updated = timezone.now()
    entry.full_clean(exclude=["family", "author"])
    entry.save()
    _children_save(entry, children)
    return entry


def _filed_status(author) -> str:
    if permissions.needs_countersignature(author):
        return Entry.Status.AWAITING_COUNTERSIGNATURE
    return Entry.Status.FINAL


def _children_save(entry: Entry, children: list[ChildSeenDetails]) -> None:
    seen = {child.person.pk: child for child in children if child.seen}
    entry.children_seen.exclude(person_id__in=seen).delete()
    for person_id, child in seen.items():
        ChildSeen.objects.update_or_create(
            entry=entry, person_id=person_id,
            defaults={"seen_alone": child.seen_alone, "bedroom_seen": child.bedroom_seen},
        )  # fmt: skip


@transaction.atomic
def entry_countersign(*, entry: Entry, by) -> Entry:
    """A qualified worker countersigns a student's entry, which makes it final."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != Entry.Status.AWAITING_COUNTERSIGNATURE:
        raise ValidationError("This entry is not waiting for a countersignature")
    if not permissions.can_user_countersign(by, entry):
        raise ValidationError("A qualified social worker other than the author must countersign")
    entry.status = Entry.Status.FINAL
    entry.countersigned_by = by
    entry.countersigned = timezone.now()
    entry.save()
    return entry


@transaction.atomic
def entry_correct(
    *,
    entry: Entry,
    by,
    reason: str,
    children: list[ChildSeenDetails] | None = None,
    kind: str | None = None,
    occurred: datetime.datetime | None = None,
    significant: bool | None = None,
    **texts: str,
) -> Entry:
    """Correct a final entry: a new version with who corrected it and why; the earlier
    versions are kept and shown (simple-history). A student's correction is countersigned
    again before it is final."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_final:
        raise ValidationError(NOT_FINAL)
    if not permissions.can_user_correct_entry(by, entry):
        raise ValidationError(NOT_YOURS_TO_CORRECT)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": NO_REASON})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": REASON_TOO_LONG.format(length=len(reason))})
    if occurred is not None and occurred > timezone.now():
        raise ValidationError({"occurred": ENTRY_IN_FUTURE})
    check_lengths({Entry._meta.get_field(name).verbose_name: text for name, text in texts.items()})
    if children is not None:
        _check_children(entry.family, children)
        _children_save(entry, children)
    for name, value in {"kind": kind, "occurred": occurred, "significant": significant}.items():
        if value is not None:
            setattr(entry, name, value)
    for name, text in texts.items():
        setattr(entry, name, text)
    if _filed_status(by) == Entry.Status.AWAITING_COUNTERSIGNATURE:
        entry.status = Entry.Status.AWAITING_COUNTERSIGNATURE
        entry.countersigned_by, entry.countersigned = None, None
    entry.updated = timezone.now()
    entry.full_clean(exclude=["family", "author"])
    entry._history_user = by
    entry._change_reason = f"Corrected: {reason}"
    entry.save()
    return entry


# --- the right to rectification ------------------------------------------------------------

CHALLENGE_NOT_FINAL = "Only a final entry can be challenged: a draft is still being written"
CHALLENGE_WHO_NEEDED = "Say who raised it"
CHALLENGE_WHAT_NEEDED = "Say what they say is wrong, in their words"
CHALLENGE_BEFORE_ENTRY = "The challenge cannot have been received before the entry was written"
CHALLENGE_ANSWERED = "This challenge is already answered"
CHALLENGE_OUTCOME_NEEDED = "Choose whether the record was wrong"
CORRECTION_NEEDED = "Say what the record should say: the correction is shown beside the original"
ANSWER_NEEDED = "Say why the record stands, as the person was told"
ANSWERED_BEFORE_RECEIVED = "The answer cannot come before the challenge was received"
NOT_YOURS_TO_ANSWER = "The pod manager of the family's pod answers a challenge to the record"


@transaction.atomic
def challenge_log(
    *, entry: Entry, raised_by: str, received: datetime.date, what_is_wrong: str, by
) -> Challenge:
    """A person says a fact in ``entry`` is wrong: logged against the entry, which is not
    changed (UK GDPR article 16, kept as the record of what was believed at the time)."""
    if not entry.is_final:
        raise ValidationError(CHALLENGE_NOT_FINAL)
    errors = {}
    if not raised_by.strip():
        errors["raised_by"] = CHALLENGE_WHO_NEEDED
    if not what_is_wrong.strip():
        errors["what_is_wrong"] = CHALLENGE_WHAT_NEEDED
    if received > timezone.localdate():
        errors["received"] = ENTRY_IN_FUTURE
    elif received < timezone.localtime(entry.created).date():
        errors["received"] = CHALLENGE_BEFORE_ENTRY
    if errors:
        raise ValidationError(errors)
    return Challenge.objects.create(
        entry=entry, raised_by=raised_by.strip(), received=received,
        what_is_wrong=what_is_wrong.strip(), recorded_by=by,
    )  # fmt: skip


@transaction.atomic
def challenge_answer(
    *,
    challenge: Challenge,
    outcome: str,
    correction: str,
    answer: str,
    answered: datetime.date,
    by,
) -> Challenge:
    """Answer a challenge: the record was wrong (a correction, shown beside the original) or
    it stands (the reason, and the person's view stays beside it). The entry is not edited."""
    if not permissions.can_user_answer_challenge(by, challenge.entry.family):
        raise ValidationError(NOT_YOURS_TO_ANSWER)
    if challenge.answered is not None:
        raise ValidationError(CHALLENGE_ANSWERED)
    errors = {}
    if outcome not in Challenge.Outcome.values:
        errors["outcome"] = CHALLENGE_OUTCOME_NEEDED
    elif outcome == Challenge.Outcome.CORRECTED and not correction.strip():
        errors["correction"] = CORRECTION_NEEDED
    elif outcome == Challenge.Outcome.NOT_CORRECTED and not answer.strip():
        errors["answer"] = ANSWER_NEEDED
    if answered > timezone.localdate():
        errors["answered"] = ENTRY_IN_FUTURE
    elif answered < challenge.received:
        errors["answered"] = ANSWERED_BEFORE_RECEIVED
    if errors:
        raise ValidationError(errors)
    challenge.outcome = outcome
    challenge.correction = correction.strip() if outcome == Challenge.Outcome.CORRECTED else ""
    challenge.answer = answer.strip()
    challenge.answered, challenge.answered_by = answered, by
    challenge.save()
    return challenge
