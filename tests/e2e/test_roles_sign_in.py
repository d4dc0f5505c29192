"""Each demo role signs in through a real browser, lands on its own home page with its own
navigation, and every page it opens passes axe-core's WCAG 2.2 AA checks."""

import pytest

from pods import demo
from tests.e2e.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e

CASE_NAV = [
    "Home",
    "My families",
    "Pod's families",
    "Find a family",
    "My pod",
    "Calendar",
    "Supervision",
    "Figures",
]
ROLE_HOME_PAGES = {
    # username: (heading on the home page, navigation, pages to check for accessibility)
    "social-worker": (
        "Hello, Sam",
        CASE_NAV,
        ["/my-pod/", "/supervision/", "/reports/my-figures/", "/account/digest/"],
    ),
    "senior-social-worker": ("Hello, Priya", CASE_NAV, []),
    "student": ("Hello, Jamie", CASE_NAV, []),
    "pod-manager": (
        "Ash Pod: pod manager",
        [*CASE_NAV, "Duty rota", "Audits", "Data quality", "Complaints", "Surveys"],
        [
            "/my-pod/",
            "/supervision/",
            "/supervision/actions/",
            "/supervision/one-to-one/",
            "/reports/",
        ],
    ),
    "business-support": (
        "Ash Pod: business support",
        [
            "Home",
            "Pod's families",
            "Find a family",
            "My pod",
            "Calendar",
            "Supervision",
            "Figures",
            "Duty rota",
        ],
        ["/duty-rota/", "/scheduling/calendar/", "/scheduling/calls/", "/cover/"],
    ),
    "lead-practitioner": (
        "Hello, Ruth",
        ["Home", "Find a family", "My team", "Supervision", "Figures", "All teams"],
        ["/supervision/rpg/"],
    ),
    "senior-leader": (
        "The service today",
        [
            "Home",
            "My team",
            "Supervision",
            "Figures",
            "Audits",
            "Surveys",
            "All teams",
            "Open a record",
        ],
        ["/teams/", "/families/break-glass/", "/reports/dashboard/"],
    ),
    "complaints-officer": (
        "Hello, Nadia",
        ["Home", "My team", "Supervision", "Figures", "Complaints"],
        ["/feedback/complaints/", "/feedback/complaints/new/", "/feedback/compliments/"],
    ),
    demo.ADMIN_USERNAME: (
        "The service today",
        ["Home", "All teams", "Administration", "Security log"],
        ["/account/security-log/", "/account/"],
    ),
}


def test_the_sign_in_page_is_accessible(page, live_server, demo_authority):
    page.goto(f"{live_server.url}/sign-in/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to Pods"
    assert serious_accessibility_violations(page) == []


@pytest.mark.parametrize("username", list(ROLE_HOME_PAGES))
def test_each_demo_role_signs_in_to_its_own_home_page(page, live_server, demo_authority, username):
    heading, navigation, more_pages = ROLE_HOME_PAGES[username]
    sign_in(page, live_server.url, username)

    assert page.get_by_role("heading", level=1).inner_text() == heading
    menu = page.get_by_role("navigation", name="Menu")
    assert [link.strip() for link in menu.get_by_role("link").all_inner_texts()] == navigation
    assert "Signed in as" in page.get_by_test_id("signed-in-as").inner_text()
    assert serious_accessibility_violations(page) == []

    for path in more_pages:
        page.goto(f"{live_server.url}{path}")
        assert page.title().endswith("Pods – Brightwater City Council"), path
        assert serious_accessibility_violations(page) == [], path


def test_a_wrong_password_shows_the_error_summary(page, live_server, demo_authority):
    sign_in(page, live_server.url, "social-worker", password="not-my-password", code=False)
    summary = page.locator(".govuk-error-summary")
    assert "The username or password is not right" in summary.inner_text()
    assert serious_accessibility_violations(page) == []


def test_business_support_keeps_the_rota_with_javascript_off(browser, live_server, demo_authority):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "business-support")
        page.goto(f"{live_server.url}/duty-rota/")
        first_day = page.locator("tbody tr").first
        first_day.get_by_role("combobox").select_option(label="Priya Shah")
        first_day.get_by_role("button", name="Save").click()
        assert "saved" in page.locator(".govuk-notification-banner").inner_text()
        assert (
            "Priya Shah" in page.locator("tbody tr").first.locator("option[selected]").inner_text()
        )
    finally:
        context.close()
