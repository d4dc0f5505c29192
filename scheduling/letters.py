"""Letters to families and professionals: prepared in a request, rendered as a tagged PDF in
the worker, marked sent by whoever posts, hands over or emails them.

Families complained of "delays sending out paperwork to parents" and of not understanding
what they were sent (evaluation 004): so a letter is ready to print minutes after it is
asked for, is written in plain words with who to call, and every letter sent is an entry in
the family's chronology, so anyone picking the family up knows what it has been told.

A letter never names a child. One posted to the family is addressed to the person it is for
(or the household); one to a professional, which goes by email, names the family by its
reference only."""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from families.models import Allocation, Family, FamilyMember, Professional
from families.selectors import current_team
from onestory.models import Entry
from scheduling.models import Appointment, Letter

logger = logging.getLogger(__name__)

NO_ADDRESS = (
    "Add the family's address before sending a letter: there is no address for "
    "{family} ({reference}) to post it to"
)
NO_EMAIL = (
    "Add an email address for {name} ({agency}) before sending them a letter: "
    "letters to professionals go by email"
)
NOT_IN_FAMILY = "Choose someone in this family"
PROFESSIONAL_NOT_AROUND_FAMILY = "Choose a professional who works with this family"
APPOINTMENT_NOT_OF_FAMILY = "Choose one of this family's appointments"
APPOINTMENT_NEEDED = "Choose the appointment the letter is about"
BODY_NEEDED = "Write what the letter says"
ONE_RECIPIENT = "Send the letter to one person, or to the household"
NOT_READY = "The letter is still being made: wait until it is ready, then mark it sent"
FAILED = "The letter could not be made, so it cannot be sent: write it again"
ALREADY_SENT = "This letter was already sent, on {date}"
UNKNOWN_WAY = "Choose how the letter was sent"
UNEXPECTED_FAILURE = (
    "Something went wrong while making the letter. Write it again, and tell the service desk "
    "if it happens again."
)

# The templates under templates/scheduling/pdf/, one per kind.
TEMPLATES = {kind: f"scheduling/pdf/{kind}.html" for kind in Letter.Kind.values}
APPOINTMENT_KINDS = frozenset(Letter.Kind.values) - {
    Letter.Kind.FAMILY_LETTER,
    Letter.Kind.COMPLAINT_RESPONSE,
}

# What each meeting is, said to a parent (a professional knows).
MEETING_WORDS = {
    Appointment.Kind.ICPC: (
        "An initial child protection conference is a meeting where you, the people who work "
        "with your family and a chair who is not your social worker talk together about your "
        "children's safety, and decide whether they need a child protection plan."
    ),
    Appointment.Kind.RCPC: (
        "A review child protection conference looks again at the child protection plan: what "
        "has got better, what still worries people, and whether the plan is still needed."
    ),
    Appointment.Kind.CORE_GROUP: (
        "The core group is you and the people who work with your family, meeting to check how "
        "the child protection plan is going and to agree who does what next."
    ),
    Appointment.Kind.CIN_REVIEW: (
        "A child in need review is a meeting to look at the plan for your family: what is "
        "helping, what is not, and what happens next."
    ),
    Appointment.Kind.CIC_REVIEW: (
        "A child in care review is a meeting, led by an independent reviewing officer, to look "
        "at the care plan and to make sure everyone is doing what they said they would."
    ),
    Appointment.Kind.STRATEGY_DISCUSSION: (
        "A strategy discussion is a meeting of the professionals who work with your family "
        "about what needs to happen next."
    ),
    Appointment.Kind.PROFESSIONALS_MEETING: (
        "A professionals meeting is for the people who work with your family to plan together."
    ),
    Appointment.Kind.HOME_VISIT: "Your social worker will come to see you at home.",
    Appointment.Kind.OFFICE_VISIT: "We will meet you at our office.",
    Appointment.Kind.FAMILY_TIME: "This is time for your family to spend together.",
    Appointment.Kind.COURT_HEARING: (
        "This is a hearing at the family court. You have the right to free legal advice from a "
        "solicitor: bring your letter from the court with you."
    ),
}
SENT_WORDS = {
    Letter.SentBy.POST: "by post",
    Letter.SentBy.EMAIL: "by email",
    Letter.SentBy.BY_HAND: "by hand",
}


def letter_kind_for(appointment: Appointment) -> str:
    """The kind of invitation an appointment's invitees get."""
    if appointment.kind in (Appointment.Kind.ICPC, Appointment.Kind.RCPC):
        return Letter.Kind.CONFERENCE_INVITATION
    if appointment.kind in (Appointment.Kind.CIN_REVIEW, Appointment.Kind.CIC_REVIEW):
        return Letter.Kind.REVIEW_INVITATION
    if appointment.kind in Appointment.VISIT_KINDS:
        return Letter.Kind.CONFIRMATION
    return Letter.Kind.MEETING_INVITATION


def household_address(family: Family) -> str:
    """The family's address as it goes on an envelope, postcode last."""
    lines = [line.strip() for line in family.address.splitlines() if line.strip()]
    if family.postcode.strip() and family.postcode.strip() not in lines:
        lines.append(family.postcode.strip().upper())
    return "\n".join(lines)


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str = ""
    email: str = ""


def letter_recipient(
    *, family: Family, member: FamilyMember | None, professional: Professional | None
) -> Recipient:
    """Who a letter goes to and where, or the ValidationError saying what is missing."""
    if member is not None and professional is not None:
        raise ValidationError(ONE_RECIPIENT)
    if professional is not None:
        if professional.family_id != family.pk:
            raise ValidationError({"professional": PROFESSIONAL_NOT_AROUND_FAMILY})
        if not professional.email:
            raise ValidationError(
                NO_EMAIL.format(name=professional.name, agency=professional.agency)
            )
        return Recipient(
            name=professional.name, address=professional.agency, email=professional.email
        )
    if member is not None and member.family_id != family.pk:
        raise ValidationError({"to": NOT_IN_FAMILY})
    address = household_address(family)
    if not address:
        raise ValidationError(
            NO_ADDRESS.format(family=family.display_name, reference=family.reference)
        )
    name = member.person.full_name if member is not None else f"The {family.display_name}"
    if member is None and family.display_name.lower().startswith("the "):
        name = family.display_name
    return Recipient(name=name, address=address)


@transaction.atomic
def letter_prepare(
    *,
    family: Family,
    kind: str,
    by,
    appointment: Appointment | None = None,
    member: FamilyMember | None = None,
    professional: Professional | None = None,
    body: str = "",
) -> Letter:
    """Record a letter to a family member, the household or a professional, and queue its
    PDF once the request is committed. Refuses what could not be sent: a letter to a family
    with no address, to a professional with no email address, about another family's
    appointment."""
    from scheduling.tasks import render_letter  # the task module imports this one

    if kind not in Letter.Kind.values:
        raise ValidationError({"kind": "Choose what kind of letter it is"})
    if appointment is not None and appointment.family_id != family.pk:
        raise ValidationError({"appointment": APPOINTMENT_NOT_OF_FAMILY})
    if kind in APPOINTMENT_KINDS and appointment is None:
        raise ValidationError({"appointment": APPOINTMENT_NEEDED})
    if kind == Letter.Kind.FAMILY_LETTER and not body.strip():
        raise ValidationError({"body": BODY_NEEDED})
    recipient = letter_recipient(family=family, member=member, professional=professional)
    letter = Letter(
        family=family,
        appointment=appointment,
        kind=kind,
        to_name=recipient.name,
        to_address=recipient.address,
        to_email=recipient.email,
        member=member,
        professional=professional,
        body=body.strip(),
        status=Letter.Status.RENDERING,
        created_by=by,
    )
    letter.full_clean()
    letter._history_user = by
    letter.save()
    transaction.on_commit(lambda: render_letter.delay(letter.pk))
    return letter


@transaction.atomic
def letter_complaint_response_prepare(
    *, family: Family | None, to_name: str, to_address: str, to_email: str, body: str, by
) -> Letter:
    """Record a response to a complaint, addressed to the complainant (not to a family
    member: they may be anyone), and queue its PDF. ``family`` is the family the complaint is
    about, or None. The complaints service writes the words; this only makes the letter."""
    from scheduling.tasks import render_letter  # the task module imports this one

    if not body.strip():
        raise ValidationError({"body": BODY_NEEDED})
    letter = Letter(
        family=family,
        kind=Letter.Kind.COMPLAINT_RESPONSE,
        to_name=to_name,
        to_address=to_address.strip(),
        to_email=to_email.strip(),
        body=body.strip(),
        status=Letter.Status.RENDERING,
        created_by=by,
    )
    letter.full_clean()
    letter._history_user = by
    letter.save()
    transaction.on_commit(lambda: render_letter.delay(letter.pk))
    return letter


# --- Rendering (in the worker) ----------------------------------------------------------------


class LetterCannotBeMade(Exception):
    """The letter itself is wrong (its appointment has gone), so trying again would fail."""


def letter_render(*, letter_id: int) -> Letter | None:
    """Render the letter's PDF into storage and mark it ready. None when there is nothing to
    do: the letter is gone, or an earlier delivery of the task made it already."""
    letter = _letter_for_rendering(letter_id)
    if letter is None:
        return None
    if letter.pdf and letter.status in (Letter.Status.READY, Letter.Status.SENT):
        return letter
    pdf = render_letter_pdf(letter)
    with transaction.atomic():
        letter = Letter.objects.select_for_update(of=("self",)).get(pk=letter_id)
        if letter.pdf and letter.status in (Letter.Status.READY, Letter.Status.SENT):
            return letter  # another delivery finished first
        if letter.pdf:
            letter.pdf.delete(save=False)
        # A random name: nothing about the family in storage, nothing to guess.
        letter.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
        if letter.status != Letter.Status.SENT:
            letter.status = Letter.Status.READY
        letter.error = ""
        letter._history_user = letter.created_by
        letter.save()
    return letter


def _letter_for_rendering(letter_id: int) -> Letter | None:
    letter = (
        Letter.objects.select_related(
            "family", "appointment", "member__person", "professional", "created_by"
        )
        .filter(pk=letter_id)
        .first()
    )
    if letter is None:
        logger.info("Letter %s no longer exists: nothing to render", letter_id)
    elif letter.kind in APPOINTMENT_KINDS and letter.appointment is None:
        raise LetterCannotBeMade(APPOINTMENT_NEEDED)
    return letter


@transaction.atomic
def letter_fail(*, letter_id: int, error: str) -> Letter | None:
    """Mark the letter as not made, with a reason the person who asked can read."""
    letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
    if letter is None or letter.status in (Letter.Status.READY, Letter.Status.SENT):
        return None
    letter.status = Letter.Status.FAILED
    letter.error = error[:500]
    letter._history_user = letter.created_by
    letter.save()
    return letter


def render_letter_pdf(letter: Letter) -> bytes:
    """The letter as PDF bytes: a tagged PDF (PDF/UA-1), so a screen reader can read it to
    the person it is for."""
    # Imported here: WeasyPrint is heavy, and only Celery workers render PDFs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(TEMPLATES[letter.kind], letter_context(letter))
    # No fetching at all: nothing typed into a letter can make the worker load a URL.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=()))
    return document.write_pdf(pdf_variant="pdf/ua-1")


def letter_context(letter: Letter) -> dict:
    family = letter.family
    # A complaint's response comes from the complaints officer, not the family's worker or
    # pod, and may be about no family at all.
    about_the_case = family is not None and letter.kind != Letter.Kind.COMPLAINT_RESPONSE
    worker = _family_worker(family) if about_the_case else ""
    team = current_team(family) if about_the_case else None
    appointment = letter.appointment
    return {
        "letter": letter,
        "family": family,
        "address_lines": [line for line in letter.to_address.splitlines() if line.strip()],
        "for_professional": letter.professional_id is not None,
        "dated": timezone.localdate(),
        "council_name": settings.PODS_COUNCIL_NAME,
        "council_phone": settings.PODS_COUNCIL_PHONE,
        "worker": worker,
        "team": team,
        "signed_by": worker or letter.created_by.get_full_name() or "Children's Services",
        "appointment": appointment_details(appointment) if appointment else None,
        "new_appointment": (
            appointment_details(appointment.moved_to)
            if appointment is not None and appointment.moved_to_id
            else None
        ),
        "body_paragraphs": [part.strip() for part in letter.body.split("\n\n") if part.strip()],
    }


def _family_worker(family: Family) -> str:
    allocation = (
        Allocation.objects.filter(family=family, end__isnull=True)
        .select_related("worker__user")
        .order_by("-start")
        .first()
    )
    return allocation.worker.name if allocation else ""


@dataclass(frozen=True)
class AppointmentDetails:
    """An appointment as a letter or an email says it: never the children's names."""

    what: str
    about: str
    day: datetime.date
    starts: str
    ends: str
    place: str
    people: list[str]
    status: str
    is_cancelled: bool

    @property
    def a_what(self) -> str:
        """ "an initial child protection conference", "a core group"."""
        what = self.what.lower()
        return f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"


def appointment_details(appointment: Appointment) -> AppointmentDetails:
    start = timezone.localtime(appointment.start)
    end = timezone.localtime(appointment.end)
    return AppointmentDetails(
        what=appointment.get_kind_display(),
        about=MEETING_WORDS.get(appointment.kind, ""),
        day=start.date(),
        starts=time_words(start),
        ends=time_words(end),
        place=appointment.place or "We will tell you where before the day",
        people=who_will_be_there(appointment),
        status=appointment.get_status_display(),
        is_cancelled=appointment.status == Appointment.Status.CANCELLED,
    )


def time_words(moment: datetime.datetime) -> str:
    """10am, 2:30pm: as GOV.UK writes times."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def who_will_be_there(appointment: Appointment) -> list[str]:
    """The workers and professionals invited, with what they do (family members are not
    listed: a letter names only the person it is for)."""
    people = []
    if appointment.chair_id:
        people.append(f"{appointment.chair.name}, who will chair the meeting")
    if appointment.worker_id:
        people.append(f"{appointment.worker.name}, {appointment.worker.get_role_display().lower()}")
    for invitation in appointment.invitations.select_related("worker__user", "professional"):
        if invitation.worker_id and invitation.worker_id not in (
            appointment.worker_id,
            appointment.chair_id,
        ):
            worker = invitation.worker
            people.append(f"{worker.name}, {worker.get_role_display().lower()}")
        elif invitation.professional_id:
            professional = invitation.professional
            role = f"{professional.role}, " if professional.role else ""
            people.append(f"{professional.name}, {role}{professional.agency}")
    return people


# --- Sending ------------------------------------------------------------------------------------


def letter_sent_words(letter: Letter, sent_by: str) -> str:
    """What the chronology says: "Invitation to a conference (Initial child protection
    conference on 14 April 2026) sent to Grace Okafor by post"."""
    what = letter.get_kind_display()
    if letter.appointment_id:
        start = timezone.localtime(letter.appointment.start)
        meeting = letter.appointment.get_kind_display()
        what += f" ({meeting} on {start:%-d %B %Y} at {time_words(start)})"
    to = letter.to_name
    if letter.professional_id:
        to += f" ({letter.professional.agency})"
    how = SENT_WORDS[sent_by]
    if sent_by == Letter.SentBy.EMAIL and letter.to_email:
        how += f" to {letter.to_email}"
    return f"{what} sent to {to} {how}"


@transaction.atomic
def letter_send(*, letter: Letter, sent_by: str, by) -> Letter:
    """Mark the letter sent (posted, emailed or handed over) and write it into the family's
    chronology (a complaint's response excepted). Business support may do this: it records
    paperwork, not case narrative."""
    if sent_by not in Letter.SentBy.values:
        raise ValidationError({"sent_by": UNKNOWN_WAY})
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("appointment", "professional", "family")
        .get(pk=letter.pk)
    )
    if letter.status == Letter.Status.SENT:
        raise ValidationError(
            ALREADY_SENT.format(date=f"{timezone.localtime(letter.sent):%-d %B %Y}")
        )
    if letter.status == Letter.Status.FAILED:
        raise ValidationError(FAILED)
    if letter.status != Letter.Status.READY:
        raise ValidationError(NOT_READY)
    now = timezone.now()
    letter.status = Letter.Status.SENT
    letter.sent_by = sent_by
    letter.sent = now
    letter._history_user = by
    if letter.kind == Letter.Kind.COMPLAINT_RESPONSE:
        # Not written into the family's chronology: complaint records are kept apart from
        # the case record, as the statutory guidance on children's complaints asks, so that
        # complaining never colours how a family is seen. The complaint keeps the letter.
        letter.save()
        return letter
    entry = Entry(
        family=letter.family,
        author=by,
        kind=Entry.Kind.LETTER,
        occurred=now,
        what_happened=letter_sent_words(letter, sent_by),
        status=Entry.Status.FINAL,
    )
    entry.full_clean()
    entry._history_user = by
    entry.save()
    letter.entry = entry
    letter.save()
    return letter
