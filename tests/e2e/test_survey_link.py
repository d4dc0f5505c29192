"""A parent answers the survey through their link on a phone-sized screen (375 by 667) with
JavaScript switched off: the question page, its error summary, the thank-you page and the
used link's page all work without script, fit the screen, and axe finds no serious or critical
violations on any of them (axe runs in a second context with script on, on the same pages)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from feedback.models import Instrument, Response, SurveyLink, Wave
from feedback.surveys import links
from pods.models import Worker
from tests.e2e.conftest import serious_accessibility_violations

TOKEN = "a-parents-token-for-the-browser-test-000000000"
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def parent_link(demo_authority):
    importlib.import_module("feedback.migrations.0003_surveys_instruments").create(apps, None)
    owner = Worker.objects.filter(role=Worker.Role.PRINCIPAL_SOCIAL_WORKER).first().user
    today = timezone.localdate()
    wave = Wave.objects.create(
        instrument=Instrument.objects.get(slug="parents-telephone-interview"),
        name="This month",
        opens=today - datetime.timedelta(days=2),
        closes=today + datetime.timedelta(days=12),
        who_is_asked="Parents and carers",
        owner=owner,
    )
    return SurveyLink.objects.create(
        wave=wave, token_hash=links.token_hash(TOKEN), email="parent@example.com", created_by=owner
    )


def _phone(browser, *, script: bool):
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=script, bypass_csp=script, is_mobile=True
    )
    return context, context.new_page()


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_parent_answers_through_their_link_on_a_phone_without_javascript(
    browser, live_server, parent_link
):
    url = f"{live_server.url}/survey/{TOKEN}/"
    context, page = _phone(browser, script=False)
    checker_context, checker = _phone(browser, script=True)
    try:
        page.goto(url)
        assert page.get_by_role("heading", level=1).inner_text() == "Parents' telephone interview"
        checker.goto(url)
        assert serious_accessibility_violations(checker) == []
        assert _fits_the_screen(checker)

        # Sent with nothing answered: the error summary names the statements.
        page.get_by_role("button", name="Send my answers").click()
        assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
        assert "Choose how much you agree with statement 1" in page.content()
        checker.get_by_role("button", name="Send my answers").click()
        assert serious_accessibility_violations(checker) == []
        assert not Response.objects.exists()

        statements = parent_link.wave.instrument.statements.filter(kind="scale").order_by("order")
        for number, statement in enumerate(statements, start=1):
            group = page.get_by_role("group", name=f"{number}. {statement.text}")
            group.get_by_label("4 – Agree").check()
        page.get_by_label("Is there anything else you would like to tell us?", exact=False).fill(
            "Our social worker always calls back."
        )
        page.get_by_role("button", name="Send my answers").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Thank you"
        checker.goto(page.url)
        assert serious_accessibility_violations(checker) == []
        assert _fits_the_screen(checker)

        response = Response.objects.get()
        assert response.answers.filter(value=4).count() == 10
        assert response.answers.get(statement__code="comment").text.startswith("Our social")

        # The link again: the plain page, and nothing more saved.
        page.goto(url)
        assert page.get_by_role("heading", level=1).inner_text() == "This link cannot be used"
        checker.goto(url)
        assert serious_accessibility_violations(checker) == []
        assert Response.objects.count() == 1
    finally:
        context.close()
        checker_context.close()
