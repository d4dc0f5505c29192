"""A social worker finds a family by a misspelt surname (posted, never in the URL), opens it,
and the access log shows the visit. Every page on the way passes axe-core's WCAG 2.2 AA checks."""

import pytest

from tests.e2e.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e


def test_a_social_worker_finds_a_family_by_a_misspelt_surname(page, live_server, wojcik_family):
    sign_in(page, live_server.url, "social-worker")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find a family").click()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Name, date of birth or family reference").fill("Wojick")
    page.get_by_role("button", name="Search").click()
    assert "1 family found" in page.get_by_role("heading", level=2).first.inner_text()
    # The terms were posted: not in the address bar, so not in history or the server's logs.
    assert page.url == f"{live_server.url}/families/search/"
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="The Wojcik family").click()
    assert page.get_by_role("heading", level=1).inner_text() == "The Wojcik family"
    assert "Sam Okafor" in page.get_by_test_id("allocated-worker").inner_text()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Who has looked at this record").click()
    rows = page.get_by_test_id("access-log-row")
    assert "Sam Okafor" in rows.first.inner_text()
    assert f"/families/{wojcik_family.pk}/" in rows.all_inner_texts()[-1]
    assert serious_accessibility_violations(page) == []


def test_the_forms_of_a_family_are_accessible(page, live_server, wojcik_family):
    sign_in(page, live_server.url, "pod-manager")
    for path in (
        "people/add/",
        "statuses/add/",
        "transfer/",
        "level-of-need/",
        "access/",
        "close/",
    ):
        page.goto(f"{live_server.url}/families/{wojcik_family.pk}/{path}")
        assert page.get_by_role("heading", level=1).is_visible(), path
        assert serious_accessibility_violations(page) == [], path
    # A form sent back with errors is accessible too, and names the problem.
    page.goto(f"{live_server.url}/families/{wojcik_family.pk}/close/")
    page.get_by_label("Needs met: the plan achieved its goals").check()
    page.get_by_role("button", name="Close").click()
    summary = page.locator(".govuk-error-summary")
    assert "Zofia still has an open plan or status" in summary.inner_text()
    assert serious_accessibility_violations(page) == []


def test_a_referral_can_be_made_with_javascript_off(browser, live_server, wojcik_family):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "social-worker")
        page.goto(f"{live_server.url}/families/refer/")
        page.get_by_label("Family name").fill("The Lindqvist family")
        page.get_by_label("Day").first.fill("1")
        page.get_by_label("Month").first.fill("10")
        page.get_by_label("Year").first.fill("2026")
        page.get_by_label("Who made the referral").select_option("school")
        page.get_by_label("What are they worried about?").fill("Attendance has fallen to 60%")
        page.get_by_label("Child's first name").fill("Elin")
        page.get_by_label("Child's last name").fill("Lindqvist")
        page.get_by_role("button", name="Record the referral").click()
        banner = page.locator(".govuk-notification-banner").inner_text()
        assert "waiting for allocation at the front door" in banner
    finally:
        context.close()
