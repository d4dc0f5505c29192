"""A subject access request in a real browser: a data protection officer logs Marta
Wójcik's request for her records, gathers them, withholds a neighbour's name (a third party);
a second officer signs the redactions off; the bundle is made by a real Celery worker and
downloaded, and the withheld name is nowhere in its text; what was sent goes in the
disclosure log. axe-core checks every page."""

import datetime
import io

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import SecurityEvent
from config.celery import app
from dataprotection.models import SubjectAccessRequest
from families.models import FamilyMember
from onestory import services as story_services
from onestory.models import Entry
from pods.models import Worker
from tests.e2e.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e

NEIGHBOUR = "Jan Nowicki"
BORN = datetime.date(1990, 7, 14)


@pytest.fixture
def marta(wojcik_family, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    mother = wojcik_family.members.get(relationship=FamilyMember.Relationship.MOTHER).person
    mother.date_of_birth = BORN
    mother.save()
    story_services.entry_record(
        family=wojcik_family,
        author=Worker.objects.get(user__username="social-worker").user,
        kind=Entry.Kind.HOME_VISIT,
        occurred=timezone.now() - datetime.timedelta(days=3),
        children=[],
        final=True,
        what_happened=f"Marta said her neighbour {NEIGHBOUR} had called the police about the "
        "noise. Zofia was asleep; the flat was warm.",
    )
    return mother


@pytest.fixture
def second_page(browser):
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def checked(page):
    assert serious_accessibility_violations(page) == []


def fill_date(page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def open_request(page, reference: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Data protection").click()
    page.get_by_role("navigation", name="Data protection").get_by_role(
        "link", name="Subject access requests"
    ).click()
    checked(page)
    page.get_by_test_id("open-requests").get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    checked(page)


def test_a_request_is_logged_gathered_redacted_signed_off_and_downloaded(
    page, second_page, live_server, marta
):
    today = timezone.localdate()
    sign_in(page, live_server.url, "data-protection-officer")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Data protection").click()
    page.get_by_role("link", name="Subject access requests").first.click()
    checked(page)

    # Logging it: a date of birth that matches no one is named; the right one is found.
    page.get_by_role("link", name="Log a request").click()
    fill_date(page, "When was the request received?", today)
    page.get_by_label("Email").check()
    page.get_by_label("Who asked?").fill("Marta Wojcik")
    page.get_by_label("The person themself").check()
    page.get_by_label("First name of the person the records are about").fill("Marta")
    page.get_by_label("Last name").fill("Wojcik")
    fill_date(page, "Their date of birth", BORN - datetime.timedelta(days=1))
    fill_date(page, "When was the requester's identity checked?", today)
    page.get_by_label("How was it checked?").fill("Passport seen at the front desk")
    page.get_by_role("button", name="Log the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("No one called Marta Wojcik")
    checked(page)
    fill_date(page, "Their date of birth", BORN)
    page.get_by_role("button", name="Log the request").click()
    sar = SubjectAccessRequest.objects.get()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{sar.reference} is logged")
    expect(page.get_by_test_id("due")).to_contain_text(f"{sar.due:%-d %B %Y}")
    checked(page)

    # Gathering, then withholding the neighbour's name: without a reason it is refused.
    page.get_by_role("button", name="Gather the records").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("records are gathered")
    checked(page)
    page.get_by_test_id("items").get_by_role("link", name="Chronology entry: Home visit").click()
    expect(page.get_by_test_id("record-text")).to_contain_text(NEIGHBOUR)
    checked(page)
    page.get_by_label("The passage to withhold").fill(NEIGHBOUR)
    page.get_by_role("button", name="Withhold it").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("a redaction needs a reason")
    checked(page)
    page.get_by_label("Information about a third party").check()
    page.get_by_label("Withhold it wherever else it appears in this request").check()
    page.get_by_role("button", name="Withhold it").click()
    expect(page.get_by_test_id("redacted")).to_contain_text(NEIGHBOUR)
    expect(page.get_by_test_id("redactions")).to_contain_text("information about a third party")
    checked(page)
    page.get_by_role("link", name=f"Back to {sar.reference}").click()
    expect(page.get_by_test_id("sign-off-note")).to_contain_text("A second data protection")

    # The second officer signs off.
    sign_in(second_page, live_server.url, "data-protection-officer-2")
    open_request(second_page, sar.reference)
    second_page.get_by_role("link", name="Sign off the redactions").click()
    checked(second_page)
    second_page.get_by_label("I have read the records and the redactions").check()
    second_page.get_by_role("button", name="Sign off").click()
    expect(second_page.get_by_test_id("stage")).to_have_text("Signed off")
    checked(second_page)

    # The bundle, made in a real worker, downloaded; the name is cut out of its text.
    page.reload()
    page.get_by_role("button", name="Make the bundle").click()
    expect(page.get_by_test_id("bundle-status")).to_contain_text("being made")
    checked(page)
    download_link = page.get_by_test_id("bundle-download")
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        for _ in range(60):
            page.reload()
            if download_link.count():
                break
            page.wait_for_timeout(500)
    expect(page.get_by_test_id("stage")).to_have_text("Bundle ready to send")
    checked(page)
    with page.expect_download() as download:
        download_link.click()
    with open(download.value.path(), "rb") as pdf:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "the police about the" in text and NEIGHBOUR not in text
    assert "Nowicki" not in text
    downloaded = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SAR_BUNDLE_DOWNLOADED)
    assert downloaded.get().detail == sar.reference, "the download is in the security log"

    # What was sent, in the disclosure log.
    page.get_by_role("link", name="Record what was sent").click()
    checked(page)
    fill_date(page, "When was it sent?", today)
    page.get_by_label("Who was it sent to?").fill("Marta Wojcik, by secure email")
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Record and answer the request").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("the request is answered")
    checked(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Data protection").click()
    page.get_by_role("navigation", name="Data protection").get_by_role(
        "link", name="Disclosure log"
    ).click()
    expect(page.get_by_role("main")).to_contain_text("Marta Wojcik, by secure email")
    checked(page)
