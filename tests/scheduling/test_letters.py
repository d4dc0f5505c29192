"""Letters: who they go to (a family with no address gets none), the PDF in plain words with
the council's name and no child's name, rendered by a real Celery worker into storage, and
every letter sent written into the family's chronology. The pages keep to the family door."""

import datetime
import io
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from config.celery import app
from families import services as family_services
from families.models import FamilyGrant
from families.services import grant_give
from onestory.models import Entry
from pods.models import Worker
from scheduling import letters
from scheduling.models import Appointment, Letter
from tests.clients import client_for
from tests.factories import make_team, make_worker
from tests.families.conftest import REFERRED, refer
from tests.scheduling.conftest_letters import *  # noqa: F403 (the fixtures)
from tests.scheduling.conftest_letters import CHILD_NAMES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def prepare(family, by, **fields):
    fields.setdefault("kind", Letter.Kind.FAMILY_LETTER)
    if fields["kind"] == Letter.Kind.FAMILY_LETTER:
        fields.setdefault("body", "We would like to meet you at the family centre.")
    return letters.letter_prepare(family=family, by=by.user, **fields)


def invitation(conference, by, **to):
    """A conference invitation, to a family member or a professional."""
    return prepare(
        conference.family, by, kind=Letter.Kind.CONFERENCE_INVITATION, appointment=conference, **to
    )


def made(letter) -> Letter:
    """The letter rendered here, as the worker would (the worker itself is tested below)."""
    return letters.letter_render(letter_id=letter.pk)


class TestWhoItGoesTo:
    def test_a_family_members_letter_goes_to_the_household_address(
        self, housed_family, mother, business_support
    ):
        letter = prepare(housed_family, business_support, member=mother)
        assert letter.to_name == "Grace Okafor"
        assert letter.to_address == "12 Acacia Road\nBrightwater\nBW1 2AB"
        assert letter.status == Letter.Status.RENDERING
        assert letter.created_by == business_support.user

    def test_a_letter_to_the_household_is_to_the_family(self, housed_family, business_support):
        letter = prepare(housed_family, business_support)
        assert letter.to_name == "The Okafor family"
        assert letter.member is None

    def test_it_refuses_a_letter_to_a_family_with_no_address(self, family, business_support):
        with pytest.raises(ValidationError) as refused:
            prepare(family, business_support)
        assert refused.value.messages == [
            letters.NO_ADDRESS.format(family="The Okafor family", reference=family.reference)
        ]
        assert "Add the family's address before sending a letter" in refused.value.messages[0]
        assert not Letter.objects.exists()

    def test_a_professionals_letter_goes_to_their_email(
        self, housed_family, conference, health_visitor, business_support
    ):
        letter = invitation(conference, business_support, professional=health_visitor)
        assert (letter.to_name, letter.to_email) == ("Priya Shah", "priya.shah@health.example")

    def test_it_refuses_a_professional_with_no_email_address_naming_them(
        self, housed_family, conference, teacher_without_email, business_support
    ):
        with pytest.raises(ValidationError, match="Add an email address for Tom Reed"):
            invitation(conference, business_support, professional=teacher_without_email)

    def test_an_invitation_needs_its_appointment_and_a_letter_needs_words(
        self, housed_family, business_support
    ):
        with pytest.raises(ValidationError, match=letters.APPOINTMENT_NEEDED):
            prepare(housed_family, business_support, kind=Letter.Kind.CONFERENCE_INVITATION)
        with pytest.raises(ValidationError, match=letters.BODY_NEEDED):
            prepare(housed_family, business_support, body="  ")

    def test_it_queues_the_pdf_only_once_the_letter_is_committed(
        self, housed_family, business_support, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            prepare(housed_family, business_support)
        assert len(callbacks) == 1


class TestThePdf:
    def test_an_invitation_says_what_when_where_who_and_who_to_call_in_plain_words(
        self, housed_family, conference, mother, business_support, settings
    ):
        letter = made(invitation(conference, business_support, member=mother))
        text = text_of(letter.pdf.read())
        assert settings.PODS_COUNCIL_NAME in text
        assert "Dear Grace Okafor" in text
        assert "12 Acacia Road" in text and "BW1 2AB" in text
        assert "You are invited to an initial child protection conference" in text
        assert f"{conference.day:%A} {conference.day.day} {conference.day:%B %Y}" in text
        assert "10am to 11:30am" in text
        assert "Brightwater Civic Centre, Room 4" in text
        assert f"{conference.chair.name}, who will chair the meeting" in text
        assert "You can bring someone with you" in text
        assert settings.PODS_COUNCIL_PHONE in text
        assert f"Ask for {conference.worker.name}, your social worker" in text
        assert f"Our reference: {housed_family.reference}" in text

    @pytest.mark.parametrize("kind", Letter.Kind.values)
    def test_every_kind_is_made_without_a_childs_name(
        self, kind, housed_family, conference, mother, business_support
    ):
        letter = made(
            prepare(
                housed_family,
                business_support,
                kind=kind,
                appointment=conference,
                member=mother,
                body="Please ring me about the school holidays.",
            )
        )
        text = text_of(letter.pdf.read())
        assert letter.status == Letter.Status.READY
        assert "Please ring me about the school holidays." in text
        assert CHILD_NAMES[0] not in text

    def test_a_professionals_letter_names_the_family_by_its_reference(
        self, housed_family, conference, health_visitor, business_support
    ):
        letter = made(invitation(conference, business_support, professional=health_visitor))
        text = text_of(letter.pdf.read())
        assert f"about a family you work with (our reference {housed_family.reference})" in text
        assert "Okafor" not in text

    def test_a_moved_appointment_gives_the_new_time(
        self, housed_family, conference, mother, business_support
    ):
        later = Appointment.objects.create(
            family=housed_family,
            team=conference.team,
            kind=conference.kind,
            start=conference.start + datetime.timedelta(days=1, hours=4),
            end=conference.end + datetime.timedelta(days=1, hours=4),
            place="Brightwater Civic Centre, Room 2",
            booked_by=business_support.user,
        )
        conference.status, conference.moved_to = Appointment.Status.MOVED, later
        conference.save()
        letter = made(
            prepare(
                housed_family,
                business_support,
                kind=Letter.Kind.CHANGE,
                appointment=conference,
                member=mother,
            )
        )
        text = text_of(letter.pdf.read())
        assert "Your appointment has changed" in text
        assert "2pm to 3:30pm" in text and "Room 2" in text

    def test_it_is_a_tagged_pdf_in_british_english(self, housed_family, business_support):
        letter = made(prepare(housed_family, business_support))
        reader = PdfReader(io.BytesIO(letter.pdf.read()))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root
        assert root["/MarkInfo"]["/Marked"]
        assert root["/Lang"] == "en-GB"
        assert "Letter to the family" in reader.metadata.title


class TestSending:
    def test_marking_it_posted_writes_the_letter_into_the_chronology(
        self, housed_family, conference, mother, business_support
    ):
        letter = made(invitation(conference, business_support, member=mother))
        letter = letters.letter_send(
            letter=letter, sent_by=Letter.SentBy.POST, by=business_support.user
        )
        entry = letter.entry
        assert letter.status == Letter.Status.SENT and letter.sent is not None
        assert (entry.kind, entry.status, entry.author) == (
            Entry.Kind.LETTER,
            Entry.Status.FINAL,
            business_support.user,
        )
        assert entry.family == housed_family
        assert entry.what_happened.startswith(
            "Invitation to a conference (Initial child protection"
        )
        assert entry.what_happened.endswith("sent to Grace Okafor by post")

    def test_a_letter_is_sent_once_and_only_once_made(self, housed_family, business_support):
        letter = prepare(housed_family, business_support)
        with pytest.raises(ValidationError, match="still being made"):
            letters.letter_send(letter=letter, sent_by=Letter.SentBy.POST, by=business_support.user)
        letter = made(letter)
        letters.letter_send(letter=letter, sent_by=Letter.SentBy.BY_HAND, by=business_support.user)
        with pytest.raises(ValidationError, match="already sent"):
            letters.letter_send(letter=letter, sent_by=Letter.SentBy.POST, by=business_support.user)
        assert Entry.objects.filter(kind=Entry.Kind.LETTER).count() == 1


@pytest.mark.django_db(transaction=True)
class TestTheWorker:
    def test_a_real_worker_makes_the_pdf_into_storage(self, housed_family, business_support):
        letter = prepare(housed_family, business_support)
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
            deadline = time.monotonic() + 60
            while letter.status == Letter.Status.RENDERING and time.monotonic() < deadline:
                time.sleep(0.2)
                letter.refresh_from_db()
        assert letter.status == Letter.Status.READY
        assert letter.pdf.name.startswith("letters/")
        assert default_storage.exists(letter.pdf.name)
        assert letter.history.first().history_user == business_support.user

    def test_a_letter_whose_appointment_has_gone_fails_with_the_reason(
        self, housed_family, conference, business_support
    ):
        letter = Letter.objects.create(
            family=housed_family,
            kind=Letter.Kind.CONFIRMATION,
            to_name="Grace Okafor",
            created_by=business_support.user,
        )
        from scheduling.tasks import render_letter

        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
            assert render_letter.delay(letter.pk).get(timeout=60) == "failed"
        letter.refresh_from_db()
        assert (letter.status, letter.error) == (Letter.Status.FAILED, letters.APPOINTMENT_NEEDED)


class TestThePages:
    def test_business_support_writes_a_letter_then_marks_it_posted(
        self, housed_family, mother, business_support
    ):
        client = client_for(business_support)
        form = client.get(f"/families/{housed_family.pk}/letters/new/")
        assert form.status_code == 200
        assert b"Grace Okafor (mother)" in form.content
        assert b"Ada" not in form.content  # letters go to the adults

        response = client.post(
            f"/families/{housed_family.pk}/letters/new/",
            {"kind": Letter.Kind.FAMILY_LETTER, "to": mother.pk, "body": "Please call me."},
        )
        letter = Letter.objects.get()
        assert response.status_code == 302
        assert response.url == f"/families/{housed_family.pk}/letters/{letter.pk}/"
        assert b"being made" in client.get(response.url).content

        made(letter)
        page = client.get(response.url)
        assert b"Download the letter (PDF)" in page.content
        download = client.get(f"/families/{housed_family.pk}/letters/{letter.pk}/pdf/")
        assert download["Content-Type"] == "application/pdf"
        assert "no-store" in download["Cache-Control"]
        assert "Please call me." in text_of(b"".join(download.streaming_content))

        sent = client.post(
            f"/families/{housed_family.pk}/letters/{letter.pk}/send/", {"sent_by": "post"}
        )
        assert sent.status_code == 302
        letter.refresh_from_db()
        assert letter.status == Letter.Status.SENT and letter.entry is not None
        listing = client.get(f"/families/{housed_family.pk}/letters/")
        assert b"Sent post" in listing.content

    def test_a_letter_to_a_family_with_no_address_is_refused_on_the_form(
        self, family, business_support
    ):
        response = client_for(business_support).post(
            f"/families/{family.pk}/letters/new/",
            {"kind": Letter.Kind.FAMILY_LETTER, "to": "household", "body": "Hello"},
        )
        assert response.status_code == 400
        assert b"Add the family&#x27;s address before sending a letter" in response.content
        assert not Letter.objects.exists()

    def test_a_pdf_not_made_yet_is_not_found(self, housed_family, business_support):
        letter = prepare(housed_family, business_support)
        response = client_for(business_support).get(
            f"/families/{housed_family.pk}/letters/{letter.pk}/pdf/"
        )
        assert response.status_code == 404

    def test_someone_outside_the_pod_gets_404_on_every_letter_page(
        self, housed_family, business_support, outsider
    ):
        letter = made(prepare(housed_family, business_support))
        client = client_for(outsider)
        for path in ("", "new/", f"{letter.pk}/", f"{letter.pk}/pdf/", f"{letter.pk}/send/"):
            for method in ("get", "post"):
                response = getattr(client, method)(f"/families/{housed_family.pk}/letters/{path}")
                assert response.status_code == 404, (method, path)

    def test_a_letter_of_another_family_is_not_found_through_this_one(
        self, housed_family, pod, social_worker, business_support
    ):
        other = refer(name="The Brown family", child=("Ben", "Brown", datetime.date(2016, 1, 1)))
        family_services.family_allocate(
            family=other, team=pod, worker=social_worker, start=REFERRED
        )
        other.address = "1 High Street"
        other.save()
        letter = made(prepare(other, business_support))
        response = client_for(business_support).get(
            f"/families/{housed_family.pk}/letters/{letter.pk}/"
        )
        assert response.status_code == 404

    def test_someone_who_sees_the_family_but_does_not_arrange_may_not_write_letters(
        self, housed_family, pod_manager
    ):
        educators = make_team(name="Practice Learning", kind="specialist")
        educator = make_worker(role=Worker.Role.PROFESSIONAL_EDUCATOR, team=educators)
        grant_give(
            family=housed_family,
            user=educator.user,
            kind=FamilyGrant.Kind.LEAD_PRACTITIONER,
            reason="Teaching a student on this family",
            expires=timezone.now() + datetime.timedelta(days=30),
            granted_by=pod_manager.user,
        )
        client = client_for(educator)
        assert client.get(f"/families/{housed_family.pk}/letters/").status_code == 200
        assert client.get(f"/families/{housed_family.pk}/letters/new/").status_code == 403
