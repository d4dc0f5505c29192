"""In a real browser: a social worker follows the family page's link to a looked-after child's
care record, records where she lives (a wrong postcode named first, nothing saved), and sees
what the return still needs; the pod manager signs off an assessment with its factors; the
business support officer marks a child in care review held with how the child took part.
axe-core checks every page on the way (no serious or critical violations)."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from families import services
from families.models import ChildStatus, Placement
from onestory import assessments
from scheduling import services as scheduling_services
from scheduling.models import Appointment, ReviewParticipation
from tests.clients import signed_in_client
from tests.e2e.conftest import serious_accessibility_violations
from tests.families.conftest import child, family, front_door  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, user):
    """The browser carries the session a signed-in client has (sign-in itself is tested
    through its pages in tests/accounts and tests/e2e)."""
    client = signed_in_client(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_recording_where_a_child_lives(page, live_server, family, child, social_worker):  # noqa: F811
    services.child_status_start(
        family=family,
        person=child,
        kind=ChildStatus.Kind.LOOKED_AFTER,
        start=timezone.localdate() - datetime.timedelta(days=20),
        legal_status="C2",
    )
    signed_in(page, live_server, social_worker.user)
    page.goto(f"{live_server.url}/families/{family.pk}/")
    page.get_by_role("link", name="Ada's care record").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Okafor's care record"
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Record where Ada lives").click()
    assert page.get_by_label("Child").input_value() == str(child.pk)
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Type of placement").select_option("U6")
    page.get_by_label("Our own council's provision").check()
    page.get_by_label("Placement postcode").fill("BN2")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a real postcode, like BN2 9QA" in summary.inner_text()
    assert serious_accessibility_violations(page) == []
    assert not Placement.objects.exists()

    page.get_by_label("Placement postcode").fill("bn2 9qa")
    page.get_by_role("button", name="Save").click()
    placement = page.get_by_test_id("placement")
    assert "BN2 9QA" in placement.inner_text()
    assert "Still to record: the Ofsted URN." in placement.inner_text()
    assert serious_accessibility_violations(page) == []


def test_signing_off_with_factors_and_holding_a_review(
    page, live_server, family, child, social_worker, pod_manager, business_support  # noqa: F811
):  # fmt: skip
    today = timezone.localdate()
    assessment = assessments.assessment_start(
        family=family, started=today, author=social_worker.user
    )
    assessments.assessment_save(assessment=assessment, sections={"analysis": "Ada is hungry"})
    assessments.assessment_complete(
        assessment=assessment, outcome="cin_plan", completed=today, primary_need="N1"
    )
    signed_in(page, live_server, pod_manager.user)
    page.goto(f"{live_server.url}/families/{family.pk}/assessments/{assessment.pk}/")
    page.get_by_label("Neglect").check()
    page.get_by_label("No factors identified").check()
    page.get_by_role("button", name="Sign off the assessment").click()
    assert (
        "No factors identified cannot be chosen"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert serious_accessibility_violations(page) == []
    page.get_by_label("No factors identified").uncheck()
    page.get_by_role("button", name="Sign off the assessment").click()
    assert "Neglect" in page.get_by_test_id("factors").inner_text()
    assert serious_accessibility_violations(page) == []

    start = timezone.now() - datetime.timedelta(hours=2)
    review = scheduling_services.appointment_book(
        family=family,
        kind=Appointment.Kind.CIC_REVIEW,
        start=start,
        end=start + datetime.timedelta(hours=1),
        worker=social_worker,
        chair=pod_manager,
        children=[child],
        by=business_support.user,
        allow_clashes=True,
    )
    page.context.clear_cookies()
    signed_in(page, live_server, business_support.user)
    page.goto(f"{live_server.url}/families/{family.pk}/appointments/{review.pk}/held/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Attended and spoke for themselves").check()
    page.get_by_role("button", name="It was held").click()
    assert "How Ada took part" in page.locator("main").inner_text()
    assert serious_accessibility_violations(page) == []
    assert ReviewParticipation.objects.get().code == "PN1"
