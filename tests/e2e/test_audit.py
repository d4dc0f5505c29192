"""A quality-assurance audit in a real browser: this quarter's sample is drawn with the Ash Pod
family in it; Ash Pod's manager assigns the lead practitioner (outside the pod, so given an
audit grant); the lead practitioner finds it on their home page, submits the form once
without grades (the errors are named, nothing is saved), then graded with an action for the
worker; the pod manager moderates it; and the family's worker, Sam Okafor, sees the action
with its due date on their home page. axe-core checks every page on the way."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from families.models import FamilyGrant
from feedback.audits import sampling, services
from feedback.models.audits import AREAS, Audit, AuditGrade
from tests.e2e.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e
ACTION = "Add Zofia's own words to the plan"


@pytest.fixture
def programme(wojcik_family):
    year, quarter = sampling.quarter_of(timezone.localdate())
    drawer = get_user_model().objects.get(username="pod-manager")
    return services.programme_draw(year=year, quarter=quarter, per_pod=1, by=drawer)


def checked(page):
    violations = serious_accessibility_violations(page)
    assert violations == [], page.url
    return page


def test_an_auditor_audits_a_sampled_family_and_the_worker_sees_the_action(
    browser, page, live_server, wojcik_family, programme
):
    audit = programme.audits.get(family=wojcik_family)
    assert audit.status == Audit.Status.SAMPLED

    # The pod manager assigns an auditor from outside the pod.
    sign_in(page, live_server.url, "pod-manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audits").click()
    checked(page).get_by_role("link", name=str(programme)).click()
    checked(page).get_by_role("link", name="Assign an auditor").click()
    checked(page).get_by_label("Auditor").select_option(label="Ruth Adeyemi (Lead practitioner)")
    page.get_by_role("button", name="Assign the auditor").click()
    assert "Ruth Adeyemi will audit the record" in checked(page).content()
    assert FamilyGrant.objects.filter(kind=FamilyGrant.Kind.AUDIT).count() == 1

    # The auditor finds it on their home page and fills in the form.
    auditor = browser.new_context(bypass_csp=True).new_page()
    sign_in(auditor, live_server.url, "lead-practitioner")
    checked(auditor).get_by_role("link", name=f"{wojcik_family.reference} (").click()
    checked(auditor).get_by_role("link", name="Fill in the audit").click()
    checked(auditor).get_by_role("button", name="Submit for moderation").click()
    summary = auditor.locator(".govuk-error-summary").inner_text()
    assert "Choose a grade for the child's voice" in summary
    assert "Choose the overall grade" in summary and "Enter what the audit found" in summary
    checked(auditor)
    assert not AuditGrade.objects.exists()

    for area in AREAS:
        auditor.check(f"input[name=grade_{area.value}][value='2']")
        auditor.get_by_label(f"{area.label}: why").fill("Clear in the record")
    auditor.check("input[name=overall][value='2']")
    auditor.get_by_label("What the audit found").fill("Zofia's voice is heard in every visit.")
    auditor.get_by_label("Action 1 for the worker").fill(ACTION)
    due = timezone.localdate() + datetime.timedelta(days=21)
    auditor.fill("input[name=action_1_due_day]", str(due.day))
    auditor.fill("input[name=action_1_due_month]", str(due.month))
    auditor.fill("input[name=action_1_due_year]", str(due.year))
    auditor.get_by_role("button", name="Submit for moderation").click()
    assert "Audit submitted" in checked(auditor).content()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED and audit.auditor_overall == 2

    # The pod manager moderates from their home page, agreeing the grade.
    page.goto(f"{live_server.url}/")
    checked(page).get_by_role("link", name=f"{wojcik_family.reference} (").click()
    checked(page).get_by_role("button", name="Moderate").click()
    assert "Audit moderated" in checked(page).content()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.MODERATED and audit.overall == 2
    assert FamilyGrant.objects.get(pk=audit.grant_id).revoked is not None

    # The family's worker sees the action with its due date on their home page.
    worker = browser.new_context(bypass_csp=True).new_page()
    sign_in(worker, live_server.url, "social-worker")
    actions = checked(worker).get_by_test_id("audit-actions-home").inner_text()
    assert ACTION in actions and f"{due.day} {due:%B %Y}" in actions
    worker.get_by_role("link", name=ACTION).click()
    assert "Good" in checked(worker).get_by_test_id("overall-grade").inner_text()
