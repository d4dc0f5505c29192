"""A pod manager runs the week's group supervision: opens the session, discusses two families
with scores and decisions, follows them in presenting mode with the keyboard, and closes it.
The decisions are in each family's chronology and on their owners' home pages. axe-core
checks every page on the way."""

import datetime

import pytest

from families import services as family_services
from families.models import FamilyMember
from pods.models import Team, Worker
from tests.e2e.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def second_family(wojcik_family):
    sam = Worker.objects.get(user__username="social-worker")
    received = datetime.date.today() - datetime.timedelta(days=60)
    family = family_services.family_refer(
        display_name="The Adeyemi family",
        received=received,
        source="school",
        reason="Tolu has missed a lot of school",
        people=[
            family_services.PersonDetails(
                first_name="Tolu",
                last_name="Adeyemi",
                date_of_birth=datetime.date(2014, 5, 3),
                relationship=FamilyMember.Relationship.CHILD,
            )
        ],
        recorded_by=None,
    ).family
    family_services.family_allocate(
        family=family, team=Team.objects.get(name="Ash Pod"), worker=sam, start=received
    )
    return family


def _discuss(page, *, question, score, decision, owner, due):
    page.get_by_label("The question for the group").fill(question)
    page.get_by_label("Scaling score").fill(str(score))
    row = page.get_by_test_id("decision-1")
    row.get_by_label("What was decided").fill(decision)
    row.get_by_label("Owner").select_option(label=owner)
    row.get_by_label("Due").fill(due.isoformat())


def test_a_pod_manager_runs_group_supervision(
    browser, page, live_server, wojcik_family, second_family
):
    due = datetime.date.today() + datetime.timedelta(days=7)
    sign_in(page, live_server.url, "pod-manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Supervision").click()
    page.get_by_role("button", name="Open this week's session").click()
    agenda = page.get_by_test_id("agenda")
    assert "The Wojcik family" in agenda.inner_text()
    assert "The Adeyemi family" in agenda.inner_text()
    assert serious_accessibility_violations(page) == []

    first_name = agenda.get_by_role("link").first.inner_text()
    agenda.get_by_role("link").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == first_name
    assert "No earlier scaling scores" in page.get_by_test_id("scaling-trend").inner_text()
    assert serious_accessibility_violations(page) == []
    _discuss(
        page, question="Is the child safe enough at home?", score=4,
        decision="Joint visit with the health visitor", owner="Sam Okafor", due=due,
    )  # fmt: skip
    page.get_by_role("button", name="Save and discuss the next family").click()
    assert (
        "saved and written to its chronology"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    second_name = page.get_by_role("heading", level=1).inner_text()
    assert {first_name, second_name} == {"The Wojcik family", "The Adeyemi family"}
    _discuss(
        page, question="Should we step down to early help?", score=7,
        decision="Speak to the school about attendance", owner="Morgan Hughes", due=due,
    )  # fmt: skip
    page.get_by_role("button", name="Save and go back to the agenda").click()
    assert page.get_by_test_id("agenda").locator(".govuk-tag", has_text="Discussed").count() == 2

    page.get_by_test_id("present").click()
    assert page.get_by_role("heading", level=1).inner_text() == first_name
    assert "Joint visit with the health visitor" in page.get_by_test_id("presenting").inner_text()
    assert serious_accessibility_violations(page) == []
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/present/?n=2")
    assert page.get_by_role("heading", level=1).inner_text() == second_name
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/present/?n=1")
    page.keyboard.press("Escape")
    page.wait_for_url("**/group/*/")
    page.get_by_role("button", name="Close the session").click()
    assert "The session is closed" in page.locator(".govuk-notification-banner").inner_text()
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/families/{wojcik_family.pk}/chronology/")
    latest = page.get_by_test_id("chronology").locator(".moj-timeline__item").first
    assert "Supervision decision" in latest.inner_text()

    context = browser.new_context(bypass_csp=True)
    try:
        sam = context.new_page()
        sign_in(sam, live_server.url, "social-worker")
        actions = sam.get_by_test_id("actions")
        assert "Joint visit with the health visitor" in actions.inner_text()
        assert "Speak to the school" not in actions.inner_text(), "Morgan owns that one"
        assert serious_accessibility_violations(sam) == []
    finally:
        context.close()
