"""Sending an appointment's invitations: all or nothing (a professional with no email address
stops the lot, naming them), professionals emailed through the real SMTP path with the .ics
and the letter, family members' letters made for the post, and never a child's name in an
email."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from config.celery import app
from config.mail import wait_for_messages
from onestory.models import Entry
from scheduling import invitations
from scheduling.models import Appointment, Invitation, Letter
from tests.clients import client_for
from tests.scheduling.conftest_letters import *  # noqa: F403 (the fixtures)
from tests.scheduling.conftest_letters import CHILD_NAMES, invite

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


class TestSending:
    def test_each_invitation_is_marked_sent_with_its_letter_and_the_emails_wait_for_commit(
        self, conference, invited, business_support, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            sent = invitations.invitations_send(appointment=conference, by=business_support.user)
        member, professional, worker = (Invitation.objects.get(pk=i.pk) for i in invited)
        assert [i.state for i in (member, professional, worker)] == [Invitation.State.SENT] * 3
        assert all(i.sent is not None for i in (member, professional, worker))
        assert len(sent) == 3
        # The mother's letter is for the post, the health visitor's for email, none for a worker.
        assert member.letter.to_address.startswith("12 Acacia Road")
        assert member.letter.kind == Letter.Kind.CONFERENCE_INVITATION
        assert professional.letter.to_email == "priya.shah@health.example"
        assert worker.letter is None
        # Two letters to render, two emails (the professional and the worker), after commit.
        assert len(callbacks) == 4

    def test_a_professional_with_no_email_address_stops_everything_naming_them(
        self, conference, invited, teacher_without_email, business_support
    ):
        invite(conference, professional=teacher_without_email)
        with pytest.raises(ValidationError) as refused:
            invitations.invitations_send(appointment=conference, by=business_support.user)
        assert refused.value.messages == [
            invitations.PROFESSIONAL_WITHOUT_EMAIL.format(
                name="Tom Reed", agency="Oakfield Primary School"
            )
        ]
        assert not Letter.objects.exists()
        assert set(Invitation.objects.values_list("state", flat=True)) == {"to_send"}

    def test_a_family_with_no_address_stops_everything(
        self, conference, invited, housed_family, business_support
    ):
        housed_family.address = housed_family.postcode = ""
        housed_family.save()
        with pytest.raises(ValidationError, match="Add the family's address"):
            invitations.invitations_send(appointment=conference, by=business_support.user)
        assert not Letter.objects.exists()

    def test_a_cancelled_appointment_sends_nothing(self, conference, invited, business_support):
        conference.status = Appointment.Status.CANCELLED
        conference.save()
        with pytest.raises(ValidationError, match="This appointment is cancelled"):
            invitations.invitations_send(appointment=conference, by=business_support.user)

    def test_invitations_already_sent_are_not_sent_again(
        self, conference, invited, business_support
    ):
        invitations.invitations_send(appointment=conference, by=business_support.user)
        with pytest.raises(ValidationError, match="no invitations to send"):
            invitations.invitations_send(appointment=conference, by=business_support.user)
        assert Letter.objects.count() == 2


class TestTheCalendarFile:
    def test_it_is_one_event_in_utc_with_the_meeting_and_the_family_reference(
        self, conference, housed_family, settings
    ):
        ics = invitations.invitation_ics(
            conference, attendee_name="Priya Shah", attendee_email="priya.shah@health.example"
        )
        calendar = Calendar.from_ical(ics)
        (event,) = calendar.walk("VEVENT")
        assert str(calendar["method"]) == "REQUEST"
        assert str(event["uid"]) == f"pods-appointment-{conference.pk}@127.0.0.1"
        assert event.decoded("dtstart") == conference.start
        assert event.decoded("dtstart").utcoffset() == datetime.timedelta(0)
        assert b"DTSTART:" in ics and b"Z\r\n" in ics  # written in UTC
        assert event.decoded("dtend") == conference.end
        assert str(event["summary"]) == (
            f"Initial child protection conference – family {housed_family.reference}"
        )
        assert str(event["location"]) == "Brightwater Civic Centre, Room 4"
        assert str(event["organizer"]) == "mailto:pods@brightwater.example"
        assert str(event["attendee"]) == "mailto:priya.shah@health.example"
        for name in CHILD_NAMES:
            assert name.encode() not in ics

    def test_its_uid_is_the_same_for_everyone_invited(self, conference):
        one = Calendar.from_ical(
            invitations.invitation_ics(conference, attendee_name="A", attendee_email="a@x.example")
        )
        two = Calendar.from_ical(
            invitations.invitation_ics(conference, attendee_name="B", attendee_email="b@x.example")
        )
        assert one.walk("VEVENT")[0]["uid"] == two.walk("VEVENT")[0]["uid"]


@pytest.mark.django_db(transaction=True)
class TestThroughTheWorkerAndSmtp:
    def test_the_professional_gets_the_ics_and_the_letter_and_it_is_in_the_chronology(
        self, conference, invited, social_worker, business_support, mail_server
    ):
        social_worker.user.email = "sw@brightwater.example"
        social_worker.user.save()
        invitations.invitations_send(appointment=conference, by=business_support.user)

        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            messages = wait_for_messages(mail_server.folder, 2)
            letter = Invitation.objects.get(pk=invited[1].pk).letter
            deadline = time.monotonic() + 30
            while letter.status != Letter.Status.SENT and time.monotonic() < deadline:
                time.sleep(0.2)
                letter.refresh_from_db()

        by_recipient = {message["To"]: message for message in messages}
        assert set(by_recipient) == {
            "Priya Shah <priya.shah@health.example>",
            f"{social_worker.name} <sw@brightwater.example>",
        }
        email = by_recipient["Priya Shah <priya.shah@health.example>"]
        assert email["Subject"].startswith("Invitation: Initial child protection conference on")
        assert conference.family.reference in email["Subject"]
        attachments = {part.get_filename(): part for part in email.iter_attachments()}
        ics = attachments["invitation.ics"]
        assert ics.get_content_type() == "text/calendar"
        assert ics.get_param("method") == "REQUEST"
        event = Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
        assert str(event["uid"]) == invitations.appointment_uid(conference)
        pdf = attachments[f"conference-invitation-{conference.family.reference}.pdf"]
        assert pdf.get_content_type() == "application/pdf"
        assert pdf.get_content().startswith(b"%PDF")
        text = email.get_body(("plain",)).get_content()
        assert "Brightwater Civic Centre, Room 4" in text
        for message in messages:
            raw = message.as_bytes()
            for name in CHILD_NAMES:
                assert name.encode() not in raw

        # The emailed letter is in the family's chronology; the mother's waits for the post.
        assert letter.status == Letter.Status.SENT and letter.sent_by == Letter.SentBy.EMAIL
        entry = Entry.objects.get(kind=Entry.Kind.LETTER)
        assert entry.what_happened.endswith(
            "sent to Priya Shah (Brightwater Health Visiting) by email to priya.shah@health.example"
        )
        mothers = Invitation.objects.get(pk=invited[0].pk).letter
        assert mothers.status == Letter.Status.READY


class TestThePage:
    def test_it_shows_who_gets_what_then_sends_them(self, conference, invited, business_support):
        client = client_for(business_support)
        path = f"/families/{conference.family_id}/appointments/{conference.pk}/invitations/"
        page = client.get(path)
        assert page.status_code == 200
        assert b"Send 3 invitations" in page.content
        assert b"Email to priya.shah@health.example" in page.content
        assert b"Letter by post" in page.content
        response = client.post(path)
        assert response.status_code == 302 and response.url == path
        after = client.get(path)
        letter = Letter.objects.get(member__isnull=False)
        assert (
            f'href="/families/{conference.family_id}/letters/{letter.pk}/"'.encode()
            in after.content
        )
        assert b"There are no invitations left to send" in after.content

    def test_it_says_whose_email_is_missing_and_sends_nothing(
        self, conference, invited, teacher_without_email, business_support
    ):
        invite(conference, professional=teacher_without_email)
        client = client_for(business_support)
        path = f"/families/{conference.family_id}/appointments/{conference.pk}/invitations/"
        assert b"No email address" in client.get(path).content
        response = client.post(path)
        assert response.status_code == 400
        assert b"Tom Reed (Oakfield Primary School) has no email address" in response.content
        assert not Letter.objects.exists()

    def test_someone_outside_the_pod_gets_404(self, conference, invited, outsider):
        client = client_for(outsider)
        path = f"/families/{conference.family_id}/appointments/{conference.pk}/invitations/"
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
        assert not Letter.objects.exists()

    def test_another_familys_appointment_is_not_found_through_this_family(
        self, conference, business_support
    ):
        path = f"/families/999999/appointments/{conference.pk}/invitations/"
        assert client_for(business_support).get(path).status_code == 404
        assert timezone.now() < conference.start
