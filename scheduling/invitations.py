"""Sending an appointment's invitations: professionals by email with a calendar file (.ics)
and the invitation letter, family members by a letter in the post, workers by an email.

Everything is checked before anything is sent (a professional with no email address stops
the lot, naming them), the invitations are marked sent in one transaction, and the emails
leave from the worker once it has committed. An email never names a child: it leaves the
secure system, so it names the family by its reference."""

from __future__ import annotations

import datetime
import email.utils
import logging
from urllib.parse import urlparse

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from scheduling import letters
from scheduling.models import Appointment, Invitation, Letter

logger = logging.getLogger(__name__)

NOTHING_TO_SEND = (
    "There are no invitations to send: everyone invited to this appointment has been sent theirs"
)
NOT_PLANNED = "This appointment is {status}: invitations go out only for a planned appointment"
ALREADY_STARTED = "This appointment has already started: invitations go out only before it"
PROFESSIONAL_WITHOUT_EMAIL = (
    "{name} ({agency}) has no email address: add it to the professionals around the family "
    "before sending the invitations, or take them off the invitation list"
)
# How long a worker's notification is remembered as sent, so a task delivered twice does
# not email them twice.
SENT_MEMORY_SECONDS = 7 * 24 * 60 * 60


def _locked_appointment(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("family", "worker__user", "chair__user")
        .get(pk=appointment.pk)
    )


def _to_send(appointment: Appointment) -> list[Invitation]:
    return list(
        appointment.invitations.select_for_update(of=("self",))
        .filter(state=Invitation.State.TO_SEND)
        .select_related("worker__user", "member__person", "professional")
    )


def invitations_problems(appointment: Appointment, invitations: list[Invitation]) -> list[str]:
    """Everything that would stop an invitation going out, each naming who it is about."""
    problems = []
    if appointment.status != Appointment.Status.PLANNED:
        problems.append(NOT_PLANNED.format(status=appointment.get_status_display().lower()))
    elif appointment.start <= timezone.now():
        problems.append(ALREADY_STARTED)
    for invitation in invitations:
        if invitation.professional_id and not invitation.professional.email:
            professional = invitation.professional
            problems.append(
                PROFESSIONAL_WITHOUT_EMAIL.format(
                    name=professional.name, agency=professional.agency
                )
            )
    family = appointment.family
    if any(invitation.member_id for invitation in invitations) and not (
        letters.household_address(family)
    ):
        problems.append(
            letters.NO_ADDRESS.format(family=family.display_name, reference=family.reference)
        )
    return problems


@transaction.atomic
def invitations_send(*, appointment: Appointment, by) -> list[Invitation]:
    """Send every invitation of the appointment still to send, all or none. Family members'
    letters are made for posting (whoever posts them marks them sent, which writes them into
    the chronology); professionals' letters are emailed with the .ics and written into the
    chronology once the email has gone."""
    from scheduling.tasks import send_invitation_email  # the task module imports this one

    appointment = _locked_appointment(appointment)
    invitations = _to_send(appointment)
    if not invitations and appointment.status == Appointment.Status.PLANNED:
        raise ValidationError(NOTHING_TO_SEND)
    problems = invitations_problems(appointment, invitations)
    if problems:
        raise ValidationError(problems)
    kind = letters.letter_kind_for(appointment)
    now = timezone.now()
    for invitation in invitations:
        invitation.letter = None
        if invitation.worker_id is None:
            invitation.letter = letters.letter_prepare(
                family=appointment.family,
                kind=kind,
                by=by,
                appointment=appointment,
                member=invitation.member,
                professional=invitation.professional,
            )
        if invitation.professional_id or invitation.worker_id:
            transaction.on_commit(lambda pk=invitation.pk: send_invitation_email.delay(pk))
        invitation.state = Invitation.State.SENT
        invitation.sent = now
        invitation._history_user = by
        invitation.save()
    return invitations


# --- In the worker -----------------------------------------------------------------------------


def invitation_email_send(*, invitation_id: int) -> str:
    """Email one invitation (the task's work): a professional's with the letter and the .ics,
    after which their letter is marked sent by email (and so in the chronology); a worker's
    with the .ics. Says what it did."""
    invitation = (
        Invitation.objects.select_related(
            "appointment__family",
            "appointment__worker__user",
            "appointment__chair__user",
            "worker__user",
            "professional",
            "letter",
        )
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return "invitation gone"
    if invitation.appointment.status != Appointment.Status.PLANNED:
        return "appointment no longer planned"
    if invitation.professional_id:
        return _send_to_professional(invitation)
    if invitation.worker_id:
        return _send_to_worker(invitation)
    return "posted, not emailed"


def _send_to_professional(invitation: Invitation) -> str:
    letter = invitation.letter
    if letter is None or letter.status == Letter.Status.SENT:
        return "already sent"
    letter = letters.letter_render(letter_id=letter.pk)  # made already, or made now
    professional = invitation.professional
    message = invitation_message(
        invitation, to_name=professional.name, to_email=letter.to_email, for_professional=True
    )
    letter.pdf.open("rb")
    try:
        message.attach(_letter_filename(letter), letter.pdf.read(), "application/pdf")
    finally:
        letter.pdf.close()
    message.send()
    letters.letter_send(letter=letter, sent_by=Letter.SentBy.EMAIL, by=letter.created_by)
    return "sent"


def _send_to_worker(invitation: Invitation) -> str:
    user = invitation.worker.user
    if not user.email:
        return "no email address"
    key = f"invitation-email-sent:{invitation.pk}"
    if cache.get(key):
        return "already sent"
    message = invitation_message(
        invitation, to_name=invitation.worker.name, to_email=user.email, for_professional=False
    )
    message.send()
    cache.set(key, True, SENT_MEMORY_SECONDS)
    return "sent"


def _letter_filename(letter: Letter) -> str:
    return f"{letter.kind.replace('_', '-')}-{letter.family.reference}.pdf"


def invitation_subject(appointment: Appointment) -> str:
    start = timezone.localtime(appointment.start)
    when = f"{start:%A %-d %B %Y} at {letters.time_words(start)}"
    family = f" (family {appointment.family.reference})" if appointment.family_id else ""
    return f"Invitation: {appointment.get_kind_display()} on {when}{family}"


def invitation_message(
    invitation: Invitation, *, to_name: str, to_email: str, for_professional: bool
) -> EmailMultiAlternatives:
    """The email, in plain text and HTML, with the calendar invitation attached."""
    appointment = invitation.appointment
    context = {
        "to_name": to_name,
        "for_professional": for_professional,
        "appointment": letters.appointment_details(appointment),
        "reference": appointment.family.reference if appointment.family_id else "",
        "council_name": settings.PODS_COUNCIL_NAME,
        "council_phone": settings.PODS_COUNCIL_PHONE,
        "worker": appointment.worker.name if appointment.worker_id else "",
        "link": (
            site_url(reverse("family_detail", args=[appointment.family_id]))
            if appointment.family_id and not for_professional
            else ""
        ),
    }
    message = EmailMultiAlternatives(
        subject=invitation_subject(appointment),
        body=render_to_string("scheduling/email/invitation.txt", context),
        to=[email.utils.formataddr((to_name, to_email))],
        reply_to=_reply_to(appointment),
    )
    message.attach_alternative(
        render_to_string("scheduling/email/invitation.html", context), "text/html"
    )
    message.attach(
        "invitation.ics",
        invitation_ics(appointment, attendee_name=to_name, attendee_email=to_email),
        "text/calendar; method=REQUEST",
    )
    return message


def _reply_to(appointment: Appointment) -> list[str]:
    worker = appointment.worker
    if worker is not None and worker.user.email:
        return [email.utils.formataddr((worker.name, worker.user.email))]
    return []


def site_url(path: str) -> str:
    return f"{settings.PODS_SITE_URL}{path}"


def appointment_uid(appointment: Appointment) -> str:
    """The same for every invitation to an appointment, so a calendar that gets it twice
    (or again after a change) updates one event rather than adding another."""
    host = urlparse(settings.PODS_SITE_URL).hostname or "pods.invalid"
    return f"pods-appointment-{appointment.pk}@{host}"


def invitation_ics(appointment: Appointment, *, attendee_name: str, attendee_email: str) -> bytes:
    """An iCalendar request (RFC 5545) for the appointment: times in UTC, the meeting's kind
    and the family's reference as its summary (never a child's name)."""
    from icalendar import Calendar, Event, vCalAddress, vText

    organiser_name, organiser_email = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PODS_COUNCIL_NAME}//{settings.PODS_SERVICE_NAME}//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", appointment.start.astimezone(datetime.UTC))
    event.add("dtend", appointment.end.astimezone(datetime.UTC))
    summary = appointment.get_kind_display()
    if appointment.family_id:
        summary += f" – family {appointment.family.reference}"
    event.add("summary", summary)
    if appointment.place:
        event.add("location", appointment.place)
    event.add(
        "description",
        f"{summary}. If you cannot come, call {settings.PODS_COUNCIL_PHONE}"
        + (f" and quote {appointment.family.reference}." if appointment.family_id else "."),
    )
    event.add("status", "CONFIRMED")
    event.add("sequence", 0)
    organizer = vCalAddress(f"mailto:{organiser_email}")
    organizer.params["cn"] = vText(organiser_name or settings.PODS_COUNCIL_NAME)
    event["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
