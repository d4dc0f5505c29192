"""The retention review in a real browser: a data protection officer opens the month's list
(two families closed years ago, past their dates), keeps one for now with a reason and a date
to look again, and proposes destroying the other; a second officer confirms it, and the stub
says what went. axe-core checks every page."""

import datetime

import pytest
from playwright.sync_api import expect

from dataprotection.review import build_review
from families.models import Family
from pods.models import Team, Worker
from tests.dataprotection.conftest import SINCE, closed_family
from tests.e2e.conftest import serious_accessibility_violations, sign_in
from tests.e2e.test_statutory_returns import able_to_sign_in
from tests.factories import make_team, make_worker

pytestmark = pytest.mark.e2e


@pytest.fixture
def review(transactional_db):
    make_team(name="Front Door for Families", kind=Team.Kind.FRONT_DOOR, active_from=SINCE)
    kept = closed_family(name="The Adeyemi family", received=datetime.date(2014, 5, 6),
                         closed=datetime.date(2015, 2, 2))  # fmt: skip
    destroyed = closed_family(name="The Nowak family", received=datetime.date(2015, 3, 3),
                              closed=datetime.date(2016, 1, 11))  # fmt: skip
    leadership = make_team(name="Leadership Team", kind=Team.Kind.LEADERSHIP)
    for username in ("dpo", "dpo2"):
        able_to_sign_in(make_worker(role=Worker.Role.DATA_PROTECTION_OFFICER, team=leadership,
                                    username=username))  # fmt: skip
    build_review()
    return {"kept": kept, "destroyed": destroyed}


@pytest.fixture
def second_page(browser):
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def checked(page):
    assert serious_accessibility_violations(page) == []


def open_item(page, reference):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Data protection").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Retention review")
    checked(page)
    page.get_by_test_id("items").get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    checked(page)


def test_one_family_is_kept_for_now_and_another_destroyed_by_two_officers(
    page, second_page, live_server, review
):
    kept, destroyed = review["kept"], review["destroyed"]
    sign_in(page, live_server.url, "dpo")

    # Keeping one: without a reason the form says so; with one, it leaves the list.
    open_item(page, kept.reference)
    page.get_by_role("button", name="Keep for now").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the records are kept")
    checked(page)
    page.get_by_label("Why are the records kept for now?").fill("A sibling's proceedings")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2030")
    page.get_by_role("button", name="Keep for now").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{kept.reference} is kept for now"
    )
    checked(page)

    # Destroying the other: unticked is refused; ticked, it is proposed.
    open_item(page, destroyed.reference)
    page.get_by_role("button", name="Propose destruction").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick to confirm")
    checked(page)
    page.get_by_label("I confirm these records have passed their retention date").check()
    page.get_by_role("button", name="Propose destruction").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("a second officer")
    assert Family.objects.filter(pk=destroyed.pk).exists()

    # The second officer confirms, and sees the stub.
    sign_in(second_page, live_server.url, "dpo2")
    open_item(second_page, destroyed.reference)
    expect(second_page.get_by_test_id("status")).to_have_text("Destruction proposed")
    second_page.get_by_label("I confirm these records have passed their retention date").check()
    second_page.get_by_role("button", name="Destroy").click()
    expect(second_page.get_by_role("heading", level=1)).to_have_text(
        f"{destroyed.reference}: destroyed"
    )
    stub = second_page.get_by_test_id("stub")
    expect(stub).to_contain_text("Early help or no further action: 6 years")
    assert "Nowak" not in second_page.content()
    checked(second_page)
    assert not Family.objects.filter(pk=destroyed.pk).exists()
    assert Family.objects.filter(pk=kept.pk).exists()
