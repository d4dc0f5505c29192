"""A social worker opens a due visit from their home page, records it in one form, sees it at
the top of the chronology and the child no longer overdue; two browsers editing the One Story
summary at once: the second is shown the conflict. axe-core checks every page on the way."""

import datetime

import pytest

from families import services as family_services
from families.models import ChildStatus
from tests.e2e.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def overdue_child(wojcik_family):
    zofia = wojcik_family.members.get(relationship="child").person
    family_services.child_status_start(
        family=wojcik_family,
        person=zofia,
        kind=ChildStatus.Kind.CP_PLAN,
        cp_category="neglect",
        start=datetime.date.today() - datetime.timedelta(days=30),
    )
    return zofia


def test_a_due_visit_is_recorded_in_one_form(page, live_server, wojcik_family, overdue_child):
    sign_in(page, live_server.url, "social-worker")
    row = page.get_by_test_id(f"visit-due-{overdue_child.pk}")
    assert "Overdue" in row.inner_text()
    assert serious_accessibility_violations(page) == []

    row.get_by_role("link", name="Record a visit").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Record a visit"
    assert page.get_by_label("Zofia seen").is_checked(), "opened from the due list, Zofia is ticked"
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Zofia alone").check()
    page.get_by_label("What happened").fill("Zofia showed me the new bunk beds and her drawings")
    page.get_by_label("The child's voice").fill("I like it when Mum reads to me")
    page.get_by_role("button", name="Save", exact=True).click()

    assert "Home visit recorded" in page.locator(".govuk-notification-banner").inner_text()
    first = page.get_by_test_id("chronology").locator(".moj-timeline__item").first
    assert "Home visit" in first.inner_text()
    assert "Zofia (alone)" in first.inner_text()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home").click()
    assert "Overdue" not in page.get_by_test_id(f"visit-due-{overdue_child.pk}").inner_text()

    # A slip noticed later is corrected as a new version; the first stays readable.
    page.go_back()
    first.get_by_role("link", name="Home visit").click()
    page.get_by_role("link", name="Correct this entry").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("What happened").fill("Zofia showed me the new bunk bed and her drawings")
    page.get_by_label("What did you correct, and why?").fill("One bunk bed, not two")
    page.get_by_role("button", name="Save the correction").click()
    assert "Correction saved" in page.locator(".govuk-notification-banner").inner_text()
    assert "Corrected: One bunk bed, not two" in page.content()
    page.get_by_text("What happened changed").click()
    assert "the new bunk beds and her drawings" in page.locator(".govuk-details__text").inner_text()
    assert serious_accessibility_violations(page) == []


def test_two_people_editing_the_summary_at_once_see_the_conflict(
    browser, live_server, wojcik_family
):
    sam_context, morgan_context = (
        browser.new_context(bypass_csp=True),
        browser.new_context(bypass_csp=True),
    )
    try:
        sam, morgan = sam_context.new_page(), morgan_context.new_page()
        sign_in(sam, live_server.url, "social-worker")
        sign_in(morgan, live_server.url, "pod-manager")
        url = f"{live_server.url}/families/{wojcik_family.pk}/summary/"
        sam.goto(url)
        morgan.goto(url)
        assert serious_accessibility_violations(sam) == []

        morgan.get_by_label("The plan, in a paragraph").fill(
            "Weekly visits and a referral to the food bank"
        )
        morgan.get_by_role("button", name="Save the summary").click()
        sam.get_by_label("The plan, in a paragraph").fill("Daily check-ins at school")
        sam.get_by_role("button", name="Save the summary").click()

        conflict = sam.get_by_test_id("summary-conflict")
        assert "Morgan Hughes saved the summary" in conflict.inner_text()
        assert "Weekly visits and a referral to the food bank" in sam.content()
        assert (
            sam.get_by_label("The plan, in a paragraph").input_value()
            == "Daily check-ins at school"
        )
        assert serious_accessibility_violations(sam) == []

        sam.get_by_label("The plan, in a paragraph").fill(
            "Weekly visits, the food bank and school check-ins"
        )
        sam.get_by_role("button", name="Save the summary").click()
        assert (
            "The One Story summary is saved"
            in sam.locator(".govuk-notification-banner").inner_text()
        )
        assert "school check-ins" in sam.get_by_test_id("summary").inner_text()
    finally:
        sam_context.close()
        morgan_context.close()
