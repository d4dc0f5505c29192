"""A parent answers the survey through their link on a phone-sized screen (375 by 667) with
JavaScript switched off: the question page, its error summary, the thank-you page and the
used link's page all work without script, fit the screen, and axe finds no serious or critical
violations on any of them (axe runs in a second context with script on, on the same pages).
A senior leader reads the demo's results, and every staff page of surveys passes axe too."""

import datetime
import importlib
import random

import pytest
from django.apps import apps
from django.utils import timezone

from feedback.demo import surveys as surveys_demo
from feedback.models import Instrument, Response, SurveyLink, Wave
from feedback.surveys import links
from pods.models import Worker
from tests.e2e.conftest import serious_accessibility_violations, sign_in

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


def test_a_senior_leader_reads_the_demo_results_and_every_surveys_page_is_accessible(
    page, live_server, demo_authority
):
    importlib.import_module("feedback.migrations.0003_surveys_instruments").create(apps, None)
    surveys_demo.build(rng=random.Random(4), today=timezone.localdate(), scale=0.2)
    leader = Worker.objects.get(user__username="senior-leader")
    voice = Wave.objects.get(instrument__slug="your-voice")
    voice.owner = leader.user  # so that their comments page opens too
    voice.save()
    february = Wave.objects.get(name="February 2017")
    sign_in(page, live_server.url, "senior-leader")
    page.get_by_role("link", name="Surveys").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Surveys"
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="February 2017").click()
    assert "Change from July 2016" in page.locator("#survey-results").inner_text()
    assert page.locator("svg[role=img] title").count() == 1
    assert serious_accessibility_violations(page) == []
    for path in (
        f"/feedback/surveys/waves/{voice.pk}/",
        f"/feedback/surveys/waves/{voice.pk}/comments/",
        f"/feedback/surveys/waves/{february.pk}/ask/",
        "/feedback/surveys/waves/new/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.get_by_role("heading", level=1).is_visible(), path
        assert serious_accessibility_violations(page) == [], path
