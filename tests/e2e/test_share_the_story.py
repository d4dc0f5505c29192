"""A social worker shares the One Story with the family: chooses an entry, asks for the PDF,
refreshes (no JavaScript needed) while a real Celery worker makes it, and downloads it.
axe-core checks every page on the way."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from onestory import services as story_services
from onestory.models import Entry
from pods.models import Worker
from tests.e2e.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e


def test_a_social_worker_shares_the_story_as_a_pdf(
    page, live_server, wojcik_family, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    sam = Worker.objects.get(user__username="social-worker")
    story_services.entry_record(
        family=wojcik_family,
        author=sam.user,
        kind=Entry.Kind.HOME_VISIT,
        occurred=timezone.now() - datetime.timedelta(days=2),
        children=[],
        final=True,
        what_happened="Zofia showed me her drawings of the sea",
    )
    sign_in(page, live_server.url, "social-worker")
    page.goto(f"{live_server.url}/families/{wojcik_family.pk}/share/")
    assert page.get_by_role("heading", level=1).inner_text() == "Share the One Story"
    assert serious_accessibility_violations(page) == []

    entry = page.get_by_role("checkbox", name="Home visit")
    assert not entry.is_checked(), "nothing is chosen for the worker"
    entry.check()
    page.get_by_role("button", name="Make the PDF").click()
    assert page.get_by_role("heading", level=1).inner_text() == "The PDF is being made"
    assert serious_accessibility_violations(page) == []

    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        for _ in range(60):
            page.get_by_role("link", name="Refresh this page").click()
            if page.get_by_role("heading", level=1).inner_text() != "The PDF is being made":
                break
            page.wait_for_timeout(500)
    assert page.get_by_role("heading", level=1).inner_text() == "The PDF is ready"
    assert serious_accessibility_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the family's story (PDF)").click()
    assert download.value.suggested_filename.startswith(f"one-story-{wojcik_family.reference}")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
