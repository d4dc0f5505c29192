"""Complaints in a real browser: the complaints officer records a stage 1 complaint about an
Ash Pod family, extends it once with a reason, responds and sends the response letter (made
by a real Celery worker); the pod manager of Ash Pod then sees it in their pod's complaints.
axe-core checks every page on the way."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from feedback.models import Complaint, Theme
from scheduling.models import Letter
from tests.e2e.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def themes(demo_authority):
    """The seeded themes (the flush of a browser test's database takes the migration's)."""
    Theme.objects.get_or_create(
        used_for=Theme.For.COMPLAINTS, name="Calls to the social worker not answered"
    )


def test_the_officer_records_extends_and_answers_a_complaint_and_the_pod_manager_sees_it(
    page, live_server, wojcik_family, themes, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    today = timezone.localdate()
    sign_in(page, live_server.url, "complaints-officer")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Complaints").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Record a complaint").click()
    assert serious_accessibility_violations(page) == []

    # First without what it is about: the error is named, nothing is saved.
    page.get_by_role("button", name="Record the complaint").click()
    assert "Enter what the complaint is about" in page.locator(".govuk-error-summary").inner_text()
    assert serious_accessibility_violations(page) == []
    assert not Complaint.objects.exists()

    page.fill("input[name=received_day]", str(today.day))
    page.fill("input[name=received_month]", str(today.month))
    page.fill("input[name=received_year]", str(today.year))
    page.get_by_label("Telephone").check()
    page.get_by_label("A parent").check()
    page.get_by_label("Their name").fill("Marta Wojcik")
    page.get_by_label("Their address").fill("14 Canal Street\nBrightwater\nBW1 4CS")
    page.get_by_label("Family reference number (if it is about a family)").fill(
        wojcik_family.reference
    )
    page.get_by_label("Team it is about (if any)").select_option(label="Ash Pod")
    page.get_by_label("What is the complaint about?").fill(
        "I rang four times last week and nobody called me back."
    )
    page.get_by_label("Calls to the social worker not answered").check()
    page.get_by_role("button", name="Record the complaint").click()
    complaint = Complaint.objects.get()
    assert complaint.reference in page.get_by_role("heading", level=1).inner_text()
    assert serious_accessibility_violations(page) == []

    # Extend stage 1 once, with a reason: to 20 working days from receipt.
    page.get_by_role("link", name="Extend").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Why does the response need more time?").fill(
        "The worker concerned is on leave until next week"
    )
    page.get_by_role("button", name="Extend").click()
    stage = complaint.stages.get()
    assert stage.extended_to is not None
    assert "Extended to" in page.get_by_test_id("stage-1").inner_text()
    assert serious_accessibility_violations(page) == []

    # Respond: the letter is made by the worker, then marked posted.
    page.get_by_role("link", name="Respond").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Partly upheld").check()
    page.get_by_label("What does the response say?").fill(
        "You should have been called back the same day. The pod now keeps a log of calls."
    )
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        page.get_by_role("button", name="Respond and make the letter").click()
        letter = Complaint.objects.get().stages.get().letter
        for _ in range(120):
            letter.refresh_from_db()
            if letter.status != Letter.Status.RENDERING:
                break
            page.wait_for_timeout(500)
    assert letter.status == Letter.Status.READY
    page.reload()
    assert "Download the letter (PDF)" in page.get_by_test_id("letter-1").inner_text()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Post").check()
    page.get_by_role("button", name="Mark the letter sent").click()
    assert "Sent by post" in page.get_by_test_id("letter-1").inner_text()
    assert serious_accessibility_violations(page) == []

    # The pod manager of Ash Pod sees it in their pod's complaints.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "pod-manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Complaints").click()
    assert complaint.reference in page.get_by_test_id("complaints").inner_text()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name=complaint.reference).click()
    assert "nobody called me back" in page.get_by_test_id("complaint-summary").inner_text()
    assert serious_accessibility_violations(page) == []
