"""Journeys through the second factor: a new worker sets up their authenticator app, signs
out and in with a code, uses a backup code, and ends their other session; a senior leader
confirms their password before breaking glass. axe-core checks each new page."""

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.demo_secret import current_code
from accounts.reauth import AUTHENTICATED_AT_SESSION_KEY
from pods import demo
from pods.models import Worker
from tests.e2e.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e
PASSWORD = "a-new-starter-password"


@pytest.fixture
def new_worker(demo_authority):
    """A social worker of the demo authority who has never signed in."""
    worker = (
        Worker.objects.filter(role=Worker.Role.SOCIAL_WORKER, leave_date__isnull=True)
        .exclude(user__username__in=[account[0] for account in demo.DEMO_ACCOUNTS])
        .select_related("user")
        .first()
    )
    worker.user.set_password(PASSWORD)
    worker.user.save()
    return worker


def _password(page, url, username):
    page.goto(f"{url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _assert_accessible(page):
    assert serious_accessibility_violations(page) == [], page.url


def test_a_new_worker_sets_up_a_second_factor_and_manages_their_sessions(
    browser, page, live_server, new_worker
):
    url, username = live_server.url, new_worker.user.username

    # First sign-in: the password, then setting up the app from the QR code.
    _password(page, url, username)
    assert page.get_by_role("heading", level=1).inner_text() == "Set up your authenticator app"
    assert page.get_by_test_id("qr-code").locator("svg").count() == 1
    _assert_accessible(page)
    secret = page.get_by_test_id("secret").text_content().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(current_code(secret))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your backup codes"
    _assert_accessible(page)
    codes = re.findall(r"[a-z0-9]{6,}", page.get_by_test_id("backup-codes").inner_text())
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them safe: continue").click()
    assert "Signed in as" in page.get_by_test_id("signed-in-as").inner_text()

    # Sign out, and in again with the next code from the app.
    page.get_by_role("button", name="Sign out").click()
    _password(page, url, username)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Enter the code from your authenticator app"
    )
    _assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(current_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    assert "Signed in as" in page.get_by_test_id("signed-in-as").inner_text()

    # On another computer, with a backup code.
    other = browser.new_context(bypass_csp=True, user_agent="Mozilla/5.0 (iPad) other-computer")
    try:
        other_page = other.new_page()
        _password(other_page, url, username)
        other_page.get_by_role("link", name="Use a backup code instead").click()
        _assert_accessible(other_page)
        other_page.get_by_label("Backup code").fill(codes[0])
        other_page.get_by_role("button", name="Continue").click()
        assert "9 left" in other_page.locator(".govuk-notification-banner").inner_text()

        # Back on the first: the sessions page lists both, and ends the other.
        page.get_by_role("link", name="Your account and sessions").click()
        _assert_accessible(page)
        rows = page.get_by_test_id("sessions").locator("tbody tr")
        assert rows.count() == 2
        other_row = rows.filter(has_text="other-computer")
        other_row.get_by_role("button").click()
        assert (
            "That session has been ended" in page.locator(".govuk-notification-banner").inner_text()
        )
        assert page.get_by_test_id("sessions").locator("tbody tr").count() == 1

        other_page.goto(f"{url}/")
        assert "/sign-in/" in other_page.url
    finally:
        other.close()

    # The account's other pages.
    page.get_by_role("link", name="Change your password").click()
    _assert_accessible(page)
    page.goto(f"{url}/account/backup-codes/new/")
    assert page.get_by_role("heading", level=1).inner_text() == "Make new backup codes"
    _assert_accessible(page)


def _confirmed_long_ago(context):
    """Age the browser's "just confirmed" mark past five minutes, as time would."""
    key = next(c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    store[AUTHENTICATED_AT_SESSION_KEY] = store[AUTHENTICATED_AT_SESSION_KEY] - 10 * 60
    store.save()


def test_a_senior_leader_confirms_their_password_before_breaking_glass(
    page, live_server, wojcik_family
):
    sign_in(page, live_server.url, "senior-leader")
    _confirmed_long_ago(page.context)
    page.goto(f"{live_server.url}/families/break-glass/")
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm it is you"
    _assert_accessible(page)
    page.get_by_label("Your password, or a code from your authenticator app").fill("wrong")
    page.get_by_role("button", name="Confirm").click()
    assert "Nothing has been done" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Your password, or a code from your authenticator app").fill(
        demo.DEMO_PASSWORD
    )
    page.get_by_role("button", name="Confirm").click()
    assert page.url.endswith("/families/break-glass/")
    assert (
        get_user_model()
        .objects.get(username="senior-leader")
        .security_events.filter(kind="reauthenticated")
        .exists()
    )

    # The leader opens the Wojcik family (Ash Pod); its pod manager sees that on their home.
    page.get_by_label("Family reference").fill(wojcik_family.reference)
    page.get_by_label("Why do you need to open this record?").fill(
        "A complaint to the director names this family"
    )
    page.get_by_role("button", name="Open the record").click()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "You can see this record until" in banner
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "pod-manager")
    rows = page.get_by_test_id("break-glass-row")
    assert rows.count() == 1
    assert "A complaint to the director names this family" in rows.first.inner_text()
    assert "Helen Marsh" in rows.first.inner_text()
    _assert_accessible(page)
