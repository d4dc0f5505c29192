"""Subject access requests, from receipt to the disclosure log.

1. **Logged** (``sar_log``): received when and how, from whom, about which person in the record,
   identity checked when and how; due one calendar month from receipt (``clock``).
2. **Extended** (``sar_extend``), at most to three months from receipt, with a reason, when the
   requester was told within the first month.
3. **Gathered** in one action (``sar_gather``): the data protection officer is given a
   time-limited grant through the door of each family the person is in (written to the security
   log, as audits are), and every record about the person is copied into the request as it
   stands (``SarItem``), so redactions and the bundle are made from one fixed text:
   - the family's referrals, in the referrer's words;
   - the family's One Story summary, every version of it;
   - the chronology entries that concern them: for a child, those they were seen on or named
     in; for an adult in the family, all of them (the record is about their family life), each
     with any challenge to it and its answer beside it;
   - the family's assessments; the plans (for a child, their own; for an adult, the family's);
   - the letters addressed to them; the meetings and visits about them or they were invited to;
   - the complaints about the family made in their name.
4. **Redacted** (``redaction_mark``): a passage of a gathered record, with a reason code (a
   third party; likely to cause serious harm; legal privilege), optionally wherever else in the
   request it appears.
5. **Signed off** by a second data protection officer (``sar_sign_off``); nothing can be
   redacted after, and no bundle made before.
6. **The bundle**, rendered in the worker (``sar_bundle_build``) from the text with every
   redacted passage cut out, so the PDF holds no trace of it to uncover.
7. **Disclosed** (``disclosure_record``): what was sent, when, to whom, how, and the bundle's
   checksum; the request is then answered.

A person whose record is restricted to named workers is outside an officer who is not named on
it: the request is refused at logging and at gathering (``outside_remit``)."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from dataprotection import clock
from dataprotection.models import (
    BundleStatus,
    Disclosure,
    Redaction,
    SarItem,
    SubjectAccessRequest,
)
from families import services as family_services
from families.models import Family, FamilyGrant, FamilyMember, Person
from families.services.access import MAX_GRANT_DAYS

IN_THE_FUTURE = "The date cannot be in the future"
IDENTITY_BEFORE_RECEIPT = "Identity cannot be checked before the request was received"
IDENTITY_HOW_NEEDED = "Say how identity was checked"
NO_SUCH_PERSON = (
    "No one called {name} born on {born:%-d %B %Y} is in the record: check the name and date "
    "of birth, or answer the requester that nothing is held"
)
SEVERAL_PEOPLE = (
    "{count} people called {name} born on {born:%-d %B %Y} are in the record: give the "
    "family reference to say which"
)
OUTSIDE_REMIT = (
    "{reference}'s record is restricted to named workers and you are not named on it, so this "
    "request is outside your remit: pass it to an officer who is named, or ask the family's "
    "pod manager to name you"
)
CLOSED = "The request is closed: nothing more can be done with it"
ALREADY_EXTENDED = "The request is already extended to {day:%-d %B %Y}: it can be extended once"
EXTENSION_REASON_NEEDED = "Give the reason for the extension, as the requester was told it"
EXTENSION_NOT_LATER = "The extended date must be after the date due, {day:%-d %B %Y}"
EXTENSION_TOO_LONG = (
    "An extension can go to at most three months from receipt: {day:%-d %B %Y} at the latest"
)
TOLD_NEEDED = "Give the date the requester was told of the extension"
TOLD_TOO_LATE = (
    "The requester must be told within the first month, by {day:%-d %B %Y}: it is too late "
    "to extend"
)
TOLD_BEFORE_RECEIPT = "The requester cannot have been told before the request was received"
IDENTITY_NOT_CHECKED = "Check the requester's identity before gathering the records"
SIGNED_OFF_ALREADY = "The request is signed off: nothing more can be redacted or gathered"
NOT_GATHERED = "Gather the records first"
NO_REASON = "Choose why the passage is withheld: a redaction needs a reason"
NO_PASSAGE = "Copy the passage to withhold from the record above"
NOT_IN_TEXT = "That passage is not in this record: copy it exactly from the text above"
OWN_GATHERING = (
    "A second officer signs off: you handled or gathered this request, so someone else must"
)
NOT_SIGNED_OFF = "A second officer must sign off the redactions before the bundle is made"
BUNDLE_NOT_READY = "The bundle is not ready yet: make it first"
SENT_TO_NEEDED = "Say who the bundle was sent to"

GATHERING_GRANT = "Subject access request {reference}: gathering and reviewing the records"
REMOVED = "[Removed: {reason}]"


def outside_remit(person: Person, user) -> Family | None:
    """The first restricted family ``person`` is in that ``user`` is not named on, if any."""
    return (
        Family.objects.filter(members__person=person, restricted=True)
        .exclude(restricted_access__user=user)
        .order_by("reference")
        .first()
    )


def _refuse_outside_remit(person: Person, user) -> None:
    family = outside_remit(person, user)
    if family is not None:
        raise ValidationError({"subject": OUTSIDE_REMIT.format(reference=family.reference)})


def find_subject(*, first_name: str, last_name: str, born: datetime.date, family_reference=""):
    """The one person of this name and date of birth (in the family given, when one is)."""
    people = Person.objects.filter(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        date_of_birth=born,
    )
    if family_reference:
        people = people.filter(memberships__family__reference=family_reference.strip().upper())
    found = list(people.distinct()[:10])
    name = f"{first_name.strip()} {last_name.strip()}"
    if not found:
        raise ValidationError({"last_name": NO_SUCH_PERSON.format(name=name, born=born)})
    if len(found) > 1:
        raise ValidationError(
            {"family_reference": SEVERAL_PEOPLE.format(count=len(found), name=name, born=born)}
        )
    return found[0]


def _next_reference(received: datetime.date) -> str:
    prefix = f"SAR-{received.year}-"
    last = (
        SubjectAccessRequest.objects.select_for_update()
        .filter(reference__startswith=prefix)
        .aggregate(last=Max("reference"))["last"]
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def sar_log(
    *,
    received: datetime.date,
    how: str,
    requester_name: str,
    requester: str,
    subject: Person,
    identity_checked: datetime.date | None,
    identity_how: str,
    by,
) -> SubjectAccessRequest:
    today = timezone.localdate()
    errors = {}
    if received > today:
        errors["received"] = IN_THE_FUTURE
    if identity_checked is not None:
        if identity_checked > today:
            errors["identity_checked"] = IN_THE_FUTURE
        elif identity_checked < received:
            errors["identity_checked"] = IDENTITY_BEFORE_RECEIPT
        if not identity_how.strip():
            errors["identity_how"] = IDENTITY_HOW_NEEDED
    if errors:
        raise ValidationError(errors)
    _refuse_outside_remit(subject, by)
    return SubjectAccessRequest.objects.create(
        reference=_next_reference(received),
        received=received,
        how=how,
        requester_name=requester_name.strip(),
        requester=requester,
        subject=subject,
        identity_checked=identity_checked,
        identity_how=identity_how.strip(),
        due=clock.response_due(received),
        handled_by=by,
    )


def sar_identity_checked(*, sar: SubjectAccessRequest, day: datetime.date, how: str):
    _refuse_if_closed(sar)
    errors = {}
    if day > timezone.localdate():
        errors["identity_checked"] = IN_THE_FUTURE
    elif day < sar.received:
        errors["identity_checked"] = IDENTITY_BEFORE_RECEIPT
    if not how.strip():
        errors["identity_how"] = IDENTITY_HOW_NEEDED
    if errors:
        raise ValidationError(errors)
    sar.identity_checked, sar.identity_how = day, how.strip()
    sar.save(update_fields=["identity_checked", "identity_how"])
    return sar


def _refuse_if_closed(sar: SubjectAccessRequest) -> None:
    if sar.closed is not None:
        raise ValidationError(CLOSED)


def sar_extend(
    *,
    sar: SubjectAccessRequest,
    extended_to: datetime.date | None,
    reason: str,
    requester_told: datetime.date | None,
) -> SubjectAccessRequest:
    """Extend the clock once, by up to two more months, for a reason the requester was told
    within the first month."""
    _refuse_if_closed(sar)
    if sar.extended_to is not None:
        raise ValidationError({"extended_to": ALREADY_EXTENDED.format(day=sar.extended_to)})
    errors = {}
    latest = clock.latest_extension(sar.received)
    if extended_to is not None and extended_to <= sar.due:
        errors["extended_to"] = EXTENSION_NOT_LATER.format(day=sar.due)
    elif extended_to is not None and extended_to > latest:
        errors["extended_to"] = EXTENSION_TOO_LONG.format(day=latest)
    if not reason.strip():
        errors["extension_reason"] = EXTENSION_REASON_NEEDED
    if requester_told is None:
        errors["requester_told"] = TOLD_NEEDED
    elif requester_told < sar.received:
        errors["requester_told"] = TOLD_BEFORE_RECEIPT
    elif requester_told > sar.due:
        errors["requester_told"] = TOLD_TOO_LATE.format(day=sar.due)
    elif requester_told > timezone.localdate():
        errors["requester_told"] = IN_THE_FUTURE
    if errors:
        raise ValidationError(errors)
    sar.extended_to = extended_to or latest
    sar.extension_reason = reason.strip()
    sar.requester_told = requester_told
    sar.save(update_fields=["extended_to", "extension_reason", "requester_told"])
    return sar


# --- gathering ----------------------------------------------------------------------------


@dataclass
class Gathered:
    family: Family
    kind: str
    source_id: int
    date: datetime.date
    title: str
    text: str


def _sections(record, names, model) -> str:
    parts = []
    for name in names:
        value = (getattr(record, name) or "").strip()
        if value:
            parts.append(f"{model._meta.get_field(name).verbose_name}\n{value}")
    return "\n\n".join(parts)


def _day(moment) -> datetime.date:
    return timezone.localtime(moment).date() if isinstance(moment, datetime.datetime) else moment


def _referrals(family: Family) -> list[Gathered]:
    return [
        Gathered(family, SarItem.Kind.REFERRAL, referral.pk, referral.received,
                 f"from {referral.get_source_display().lower()}", referral.reason)
        for referral in family.referrals.order_by("received", "pk")
    ]  # fmt: skip


def _summary_versions(family: Family) -> list[Gathered]:
    from onestory.models import CaseSummary

    rows = CaseSummary.history.filter(family_id=family.pk).order_by("history_date", "history_id")
    found = []
    for row in rows:
        text = _sections(row, CaseSummary.SECTIONS, CaseSummary)
        if text:
            found.append(
                Gathered(family, SarItem.Kind.SUMMARY, row.history_id, _day(row.history_date),
                         f"version {row.version}", text)
            )  # fmt: skip
    return found


def _challenges_text(challenges) -> str:
    parts = []
    for challenge in challenges:
        lines = [
            f"Challenged on {challenge.received:%-d %B %Y} by {challenge.raised_by}: "
            f"{challenge.what_is_wrong}"
        ]
        if challenge.answered:
            lines.append(
                f"Answered on {challenge.answered:%-d %B %Y}: {challenge.get_outcome_display()}."
            )
            if challenge.correction:
                lines.append(f"Correction: {challenge.correction}")
            if challenge.answer:
                lines.append(challenge.answer)
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _entries(family: Family, person: Person, adult: bool) -> list[Gathered]:
    from onestory.models import Entry

    entries = Entry.objects.filter(family=family).prefetch_related("challenges")
    if not adult:
        named = r"\m" + re.escape(person.first_name) + r"\M"
        entries = entries.filter(
            Q(children_seen__person=person)
            | Q(what_happened__iregex=named)
            | Q(childs_voice__iregex=named)
            | Q(analysis__iregex=named)
            | Q(next_steps__iregex=named)
        ).distinct()
    found = []
    for entry in entries.order_by("occurred", "pk"):
        text = _sections(entry, Entry.TEXTS, Entry)
        challenges = _challenges_text(entry.challenges.all())
        if challenges:
            text = f"{text}\n\nChallenges to this entry\n{challenges}"
        status = "" if entry.is_final else f" ({entry.get_status_display().lower()})"
        found.append(
            Gathered(family, SarItem.Kind.ENTRY, entry.pk, _day(entry.occurred),
                     f"{entry.get_kind_display()}{status}", text or "(nothing written)")
        )  # fmt: skip
    return found


def _assessments(family: Family) -> list[Gathered]:
    from onestory.models import Assessment

    return [
        Gathered(family, SarItem.Kind.ASSESSMENT, assessment.pk, assessment.started,
                 "Assessment" + (f": {assessment.get_outcome_display()}" if assessment.outcome
                                 else ""),
                 _sections(assessment, Assessment.SECTIONS, Assessment) or "(nothing written)")
        for assessment in family.assessments.order_by("started", "pk")
    ]  # fmt: skip


def _plans(family: Family, person: Person, adult: bool) -> list[Gathered]:
    plans = family.plans.select_related("child").prefetch_related("goals__actions")
    if not adult:
        plans = plans.filter(child=person)
    found = []
    for plan in plans.order_by("start", "pk"):
        lines = [f"Reviewed by {plan.review_date:%-d %B %Y}" + (
            f"; ended {plan.end:%-d %B %Y}" if plan.end else "")]  # fmt: skip
        for goal in plan.goals.all():
            lines.append(f"Goal: {goal.text}")
            lines.extend(
                f"  Action: {action.text} (who: {action.owner})" for action in goal.actions.all()
            )
        found.append(
            Gathered(family, SarItem.Kind.PLAN, plan.pk, plan.start,
                     f"{plan.get_kind_display()} for {plan.child.first_name}", "\n".join(lines))
        )  # fmt: skip
    return found


def _letters(family: Family, person: Person) -> list[Gathered]:
    from scheduling.models import Letter

    letters = Letter.objects.filter(
        family=family, member__person=person, kind__in=Letter.CASE_KINDS
    ).order_by("created", "pk")
    return [
        Gathered(family, SarItem.Kind.LETTER, letter.pk, _day(letter.sent or letter.created),
                 f"{letter.get_kind_display()} to {letter.to_name}",
                 letter.body or "(no text beyond the appointment's details)")
        for letter in letters
    ]  # fmt: skip


def _meetings(family: Family, person: Person) -> list[Gathered]:
    from scheduling.models import Appointment

    appointments = (
        Appointment.objects.filter(family=family)
        .filter(Q(children=person) | Q(invitations__member__person=person))
        .distinct()
        .order_by("start", "pk")
    )
    found = []
    for appointment in appointments:
        lines = [f"{timezone.localtime(appointment.start):%-d %B %Y at %H:%M}"]
        if appointment.place:
            lines.append(f"Where: {appointment.place}")
        lines.append(f"Status: {appointment.get_status_display()}")
        if appointment.status_reason:
            lines.append(f"Reason: {appointment.status_reason}")
        if appointment.outcome:
            lines.append(f"Outcome: {appointment.get_outcome_display()}")
        found.append(
            Gathered(family, SarItem.Kind.MEETING, appointment.pk, _day(appointment.start),
                     appointment.get_kind_display(), "\n".join(lines))
        )  # fmt: skip
    return found


def _complaints(family: Family, person: Person) -> list[Gathered]:
    from feedback.models import Complaint

    complaints = Complaint.objects.filter(
        family=family, from_name__iexact=f"{person.first_name} {person.last_name}"
    ).order_by("received", "pk")
    return [
        Gathered(family, SarItem.Kind.COMPLAINT, complaint.pk, complaint.received,
                 f"Complaint {complaint.reference}", complaint.summary)
        for complaint in complaints
    ]  # fmt: skip


def gather_records(person: Person) -> list[Gathered]:
    """Every record about ``person``, family by family (as the module docstring lists)."""
    found: list[Gathered] = []
    memberships = FamilyMember.objects.filter(person=person).select_related("family")
    for membership in memberships.order_by("family__reference"):
        family = membership.family
        adult = membership.relationship != FamilyMember.Relationship.CHILD
        found += _referrals(family)
        found += _summary_versions(family)
        found += _entries(family, person, adult)
        found += _assessments(family)
        found += _plans(family, person, adult)
        found += _letters(family, person)
        found += _meetings(family, person)
        found += _complaints(family, person)
    return found


def _grant_expiry(sar: SubjectAccessRequest) -> datetime.datetime:
    now = timezone.now()
    zone = timezone.get_current_timezone()
    end_of_deadline = datetime.datetime.combine(
        sar.deadline + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
    )
    return min(max(end_of_deadline, now + datetime.timedelta(days=7)),
               now + datetime.timedelta(days=MAX_GRANT_DAYS))  # fmt: skip


def _refuse_if_signed_off(sar: SubjectAccessRequest) -> None:
    _refuse_if_closed(sar)
    if sar.signed_off is not None:
        raise ValidationError(SIGNED_OFF_ALREADY)


@transaction.atomic
def sar_gather(*, sar: SubjectAccessRequest, by, request=None) -> int:
    """Gather (again, replacing an earlier gathering and its redactions) every record about
    the request's subject. Returns how many records were gathered."""
    _refuse_if_signed_off(sar)
    if sar.identity_checked is None:
        raise ValidationError(IDENTITY_NOT_CHECKED)
    person = sar.subject
    _refuse_outside_remit(person, by)
    families = Family.objects.filter(members__person=person).distinct()
    in_force = set(
        FamilyGrant.objects.in_force()
        .filter(user=by, family__in=families, kind=FamilyGrant.Kind.SUBJECT_ACCESS)
        .values_list("family_id", flat=True)
    )
    for family in families:
        if family.pk not in in_force:
            family_services.grant_give(
                family=family, user=by, kind=FamilyGrant.Kind.SUBJECT_ACCESS,
                reason=GATHERING_GRANT.format(reference=sar.reference),
                expires=_grant_expiry(sar), granted_by=by, request=request,
            )  # fmt: skip
    sar.items.all().delete()
    gathered = gather_records(person)
    SarItem.objects.bulk_create(
        SarItem(request=sar, family=row.family, family_reference=row.family.reference,
                kind=row.kind, source_id=row.source_id, date=row.date, title=row.title[:300],
                text=row.text, order=order)
        for order, row in enumerate(gathered)
    )  # fmt: skip
    sar.gathered, sar.gathered_by = timezone.now(), by
    sar.save(update_fields=["gathered", "gathered_by"])
    return len(gathered)


# --- redaction ----------------------------------------------------------------------------


def _pattern(passage: str) -> re.Pattern:
    """The passage, matched whatever the case and however its words are spaced or broken
    across lines (a passage copied from the page loses the record's line breaks)."""
    return re.compile(r"\s+".join(re.escape(word) for word in passage.split()), re.IGNORECASE)


@transaction.atomic
def redaction_mark(
    *, item: SarItem, passage: str, reason: str, note: str = "", everywhere: bool = False, by
) -> list[Redaction]:
    """Withhold ``passage`` of ``item`` (and, with ``everywhere``, of every other record of the
    request it appears in) for ``reason``."""
    sar = item.request
    _refuse_if_signed_off(sar)
    errors = {}
    if not passage.split():
        errors["passage"] = NO_PASSAGE
    elif not _pattern(passage).search(item.text):
        errors["passage"] = NOT_IN_TEXT
    if reason not in Redaction.Reason.values:
        errors["reason"] = NO_REASON
    if errors:
        raise ValidationError(errors)
    items = [item]
    if everywhere:
        pattern = _pattern(passage)
        items += [
            other
            for other in sar.items.exclude(pk=item.pk).only("pk", "text")
            if pattern.search(other.text)
        ]
    passage = " ".join(passage.split())
    return Redaction.objects.bulk_create(
        Redaction(item=one, passage=passage, reason=reason, note=note.strip(), marked_by=by)
        for one in items
    )


def redaction_remove(*, redaction: Redaction) -> None:
    _refuse_if_signed_off(redaction.item.request)
    redaction.delete()


def redacted(text: str, redactions) -> tuple[str, list[tuple[int, int, str]]]:
    """``text`` with every redacted passage cut out and a marker naming the reason in its
    place; and the spans cut (start, end, reason) of the original text. Overlapping passages
    are cut as one, under the first one's reason."""
    spans = []
    for redaction in redactions:
        for match in _pattern(redaction.passage).finditer(text):
            spans.append((match.start(), match.end(), redaction.reason))
    spans.sort()
    merged: list[list] = []
    for start, end, reason in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, reason])
    parts, at = [], 0
    for start, end, reason in merged:
        parts.append(text[at:start])
        parts.append(REMOVED.format(reason=Redaction.Reason(reason).label.lower()))
        at = end
    parts.append(text[at:])
    return "".join(parts), [tuple(span) for span in merged]


# --- sign-off, bundle and disclosure -------------------------------------------------------


@transaction.atomic
def sar_sign_off(*, sar: SubjectAccessRequest, by) -> SubjectAccessRequest:
    _refuse_if_signed_off(sar)
    if sar.gathered is None:
        raise ValidationError(NOT_GATHERED)
    if by.pk in (sar.handled_by_id, sar.gathered_by_id):
        raise ValidationError(OWN_GATHERING)
    sar.signed_off, sar.signed_off_by = timezone.now(), by
    sar.save(update_fields=["signed_off", "signed_off_by"])
    return sar


def sar_bundle_queue(*, sar: SubjectAccessRequest) -> SubjectAccessRequest:
    """Ask the worker for the bundle; refused before sign-off."""
    _refuse_if_closed(sar)
    if sar.signed_off is None:
        raise ValidationError(NOT_SIGNED_OFF)
    from dataprotection.tasks import build_sar_bundle

    SubjectAccessRequest.objects.filter(pk=sar.pk).update(
        bundle_status=BundleStatus.QUEUED, bundle_error=""
    )
    transaction.on_commit(lambda: build_sar_bundle.delay(sar.pk))
    sar.refresh_from_db()
    return sar


def sar_bundle_build(*, sar_id: int) -> SubjectAccessRequest:
    """Render the bundle (in the worker): every gathered record with its redactions cut out."""
    from dataprotection.pdf import render_bundle

    sar = SubjectAccessRequest.objects.select_related("subject").get(pk=sar_id)
    if sar.signed_off is None:
        raise ValidationError(NOT_SIGNED_OFF)
    content = render_bundle(sar)
    old = sar.bundle.name if sar.bundle else ""
    sar.bundle.save(f"{sar.reference}.pdf", ContentFile(content), save=False)
    sar.bundle_status, sar.bundle_error = BundleStatus.READY, ""
    sar.save(update_fields=["bundle", "bundle_status", "bundle_error"])
    if old and old != sar.bundle.name:
        sar.bundle.storage.delete(old)
    return sar


def sar_bundle_fail(*, sar_id: int, error: str) -> None:
    SubjectAccessRequest.objects.filter(pk=sar_id).update(
        bundle_status=BundleStatus.FAILED, bundle_error=error
    )


def bundle_checksum(sar: SubjectAccessRequest) -> str:
    digest = hashlib.sha256()
    with sar.bundle.open("rb") as bundle:
        for chunk in iter(lambda: bundle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def disclosure_record(
    *, sar: SubjectAccessRequest, sent: datetime.date, sent_to: str, how: str, by
) -> Disclosure:
    """Log what was sent, and answer the request."""
    _refuse_if_closed(sar)
    if sar.signed_off is None:
        raise ValidationError(NOT_SIGNED_OFF)
    if sar.bundle_status != BundleStatus.READY or not sar.bundle:
        raise ValidationError(BUNDLE_NOT_READY)
    errors = {}
    if sent > timezone.localdate():
        errors["sent"] = IN_THE_FUTURE
    elif sent < sar.received:
        errors["sent"] = "The bundle cannot have been sent before the request was received"
    if not sent_to.strip():
        errors["sent_to"] = SENT_TO_NEEDED
    if errors:
        raise ValidationError(errors)
    items = sar.items.count()
    removed = Redaction.objects.filter(item__request=sar).count()
    disclosure = Disclosure.objects.create(
        request=sar, sent=sent, sent_to=sent_to.strip(), how=how,
        what=f"{items} records, {removed} passages removed", sha256=bundle_checksum(sar),
        sent_by=by,
    )  # fmt: skip
    sar.closed, sar.outcome = sent, SubjectAccessRequest.Outcome.SENT
    sar.save(update_fields=["closed", "outcome"])
    _end_grants(sar)
    return disclosure


@transaction.atomic
def sar_close(*, sar: SubjectAccessRequest, outcome: str, day: datetime.date, by):
    """Answer a request without a bundle: nothing held, withdrawn, or refused."""
    _refuse_if_closed(sar)
    if outcome == SubjectAccessRequest.Outcome.SENT:
        raise ValidationError({"outcome": "Record what was sent in the disclosure log instead"})
    if day > timezone.localdate():
        raise ValidationError({"day": IN_THE_FUTURE})
    if day < sar.received:
        raise ValidationError({"day": "The request cannot be answered before it was received"})
    sar.closed, sar.outcome = day, outcome
    sar.save(update_fields=["closed", "outcome"])
    _end_grants(sar, by=by)
    return sar


def _end_grants(sar: SubjectAccessRequest, by=None) -> None:
    """The officer's grants for this request end with it."""
    grants = FamilyGrant.objects.in_force().filter(
        kind=FamilyGrant.Kind.SUBJECT_ACCESS,
        reason=GATHERING_GRANT.format(reference=sar.reference),
    )
    for grant in grants.select_related("family", "user"):
        family_services.grant_revoke(grant=grant, by=by or sar.gathered_by)
