"""The response letter: made as a PDF by a real Celery worker through scheduling's letters,
addressed to the complainant, saying the outcome and the day by which to escalate; marked
sent without touching the family's chronology (complaints are kept apart from the case)."""

import datetime
import io
import time

import pytest
from celery.contrib.testing.worker import start_worker
from pypdf import PdfReader

from config.celery import app
from feedback.complaints import services
from onestory.models import Entry
from scheduling import letters
from scheduling.models import Letter

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def text_of(letter: Letter) -> str:
    with letter.pdf.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def respond(complaint, officer):
    return services.complaint_stage_respond(
        stage=complaint.stages.get(),
        responded=datetime.date(2026, 10, 26),
        outcome="upheld",
        response="Your worker should have called you back. We have put that right.",
        by=officer.user,
    )


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_response_letter_to_the_complainant(
    family_complaint, complaints_officer
):
    letter = respond(family_complaint, complaints_officer).letter
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        deadline = time.monotonic() + 60
        while letter.status == Letter.Status.RENDERING and time.monotonic() < deadline:
            time.sleep(0.2)
            letter.refresh_from_db()
    assert letter.status == Letter.Status.READY
    text = text_of(letter)
    assert "Dear Grace Okafor" in text and "12 Acacia Road" in text
    assert "Our response to your complaint" in text
    assert "C-2026-0001" in text
    assert "We have upheld your complaint" in text
    # Responded Mon 26 Oct 2026: 20 working days later is Mon 23 Nov 2026.
    assert "Please ask by 23 November 2026" in text
    assert family_complaint.family.reference not in text
    assert "Ada" not in text  # never a child's name


@pytest.mark.django_db
def test_sending_it_does_not_write_into_the_family_s_chronology(
    family_complaint, complaints_officer
):
    letter = respond(family_complaint, complaints_officer).letter
    letters.letter_render(letter_id=letter.pk)
    entries = Entry.objects.filter(family=family_complaint.family).count()
    sent = letters.letter_send(
        letter=letter, sent_by=Letter.SentBy.POST, by=complaints_officer.user
    )
    assert sent.status == Letter.Status.SENT and sent.entry is None
    assert Entry.objects.filter(family=family_complaint.family).count() == entries


@pytest.mark.django_db
def test_the_officer_downloads_and_marks_it_sent_from_the_complaint(
    complaints_officer_client, family_complaint, complaints_officer
):
    letter = respond(family_complaint, complaints_officer).letter
    letters.letter_render(letter_id=letter.pk)
    pdf = complaints_officer_client.get(
        f"/feedback/complaints/{family_complaint.pk}/stages/1/letter.pdf"
    )
    assert pdf["Content-Type"] == "application/pdf"
    response = complaints_officer_client.post(
        f"/feedback/complaints/{family_complaint.pk}/stages/1/letter/sent/", {"sent_by": "post"}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
