"""The complaints screens: the officer records a complaint (bad input named, nothing saved),
extends and answers it; the list's filters and its query count, which does not grow with
the page."""

import datetime

import pytest
from django.utils import timezone

from feedback.complaints import services
from feedback.models import Complaint
from feedback.views.complaints import PAGE_SIZE
from pods.working_days import is_working_day, subtract_working_days
from tests.feedback.conftest import COMPLAINT_RECEIVED

pytestmark = pytest.mark.django_db


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def complaint_form(**fields) -> dict:
    return {
        **date_fields("received", COMPLAINT_RECEIVED),
        "received_by": "phone",
        "from_kind": "parent",
        "from_name": "Grace Okafor",
        "from_address": "12 Acacia Road\nBrightwater",
        "summary": "Nobody returns my calls.",
        **fields,
    }


class TestRecording:
    def test_the_officer_records_a_complaint_about_a_family_by_its_reference(
        self, complaints_officer_client, family, complaint_themes
    ):
        response = complaints_officer_client.post(
            "/feedback/complaints/new/",
            complaint_form(
                family_reference=family.reference.lower(), themes=[complaint_themes[0].pk]
            ),
        )
        complaint = Complaint.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/feedback/complaints/{complaint.pk}/"
        assert complaint.family == family
        assert list(complaint.themes.all()) == complaint_themes[:1]

    def test_bad_input_is_named_and_nothing_is_saved(self, complaints_officer_client, family):
        response = complaints_officer_client.post(
            "/feedback/complaints/new/",
            complaint_form(from_kind="child", family_reference="FAM-NOPE", summary=""),
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is no family with the reference FAM-NOPE" in page
        assert "Enter what the complaint is about" in page
        assert "govuk-error-summary" in page
        assert not Complaint.objects.exists()

    def test_a_child_complainant_without_the_advocate_offer_is_refused_on_the_form(
        self, complaints_officer_client, pod
    ):
        response = complaints_officer_client.post(
            "/feedback/complaints/new/", complaint_form(from_kind="child", team=pod.pk)
        )
        assert response.status_code == 400
        assert services.ADVOCATE_OFFER_NEEDED in response.content.decode()
        assert not Complaint.objects.exists()

    def test_only_the_complaints_officer_records_complaints(self, pod_manager_client):
        assert pod_manager_client.get("/feedback/complaints/new/").status_code == 404


class TestTheSteps:
    def test_the_officer_extends_stage_1_once(self, complaints_officer_client, family_complaint):
        url = f"/feedback/complaints/{family_complaint.pk}/extend/"
        response = complaints_officer_client.post(url, {"reason": "The worker is on leave"})
        assert response.status_code == 302
        stage = family_complaint.stages.get()
        assert stage.extended_to == datetime.date(2026, 11, 16)
        again = complaints_officer_client.post(url, {"reason": "Still on leave"})
        assert again.status_code == 400
        assert "allows one extension" in again.content.decode()

    def test_a_response_without_an_outcome_is_named_and_not_saved(
        self, complaints_officer_client, family_complaint
    ):
        response = complaints_officer_client.post(
            f"/feedback/complaints/{family_complaint.pk}/respond/",
            {**date_fields("responded", datetime.date(2026, 10, 26)), "response": "Sorry."},
        )
        assert response.status_code == 400
        assert services.OUTCOME_NEEDED in response.content.decode()
        assert family_complaint.stages.get().responded is None

    def test_the_pod_manager_sees_the_complaint_but_takes_no_steps(
        self, pod_manager_client, family_complaint
    ):
        assert (
            pod_manager_client.get(f"/feedback/complaints/{family_complaint.pk}/").status_code
            == 200
        )
        extend = f"/feedback/complaints/{family_complaint.pk}/extend/"
        assert pod_manager_client.post(extend, {"reason": "x"}).status_code == 403


class TestTheOfficersHome:
    def test_it_shows_the_overdue_stage(self, complaints_officer_client, family_complaint):
        page = complaints_officer_client.get("/").content.decode()
        assert 'data-testid="complaints-overdue"' in page
        overdue = page.split('data-testid="complaints-overdue"')[1].split("</table>")[0]
        assert family_complaint.reference in overdue

    def test_it_shows_a_stage_due_this_week(
        self, complaints_officer_client, complaints_officer, pod
    ):
        today = timezone.localdate()
        if not is_working_day(today):
            pytest.skip("Nothing falls due on a weekend or bank holiday")
        complaint = services.complaint_record(
            received=subtract_working_days(today, 10),  # so it is due today
            received_by="email",
            from_kind="parent",
            from_name="Sam Hill",
            from_email="sam@example.org",
            team=pod,
            summary="Late",
            by=complaints_officer.user,
        )
        page = complaints_officer_client.get("/").content.decode()
        this_week = page.split('data-testid="complaints-due-this-week"')[1].split("</table>")[0]
        assert complaint.reference in this_week


class TestTheList:
    def test_it_filters_overdue_complaints(self, complaints_officer_client, family_complaint):
        # Received 19 Oct 2026 and due 2 Nov: overdue now that the test runs later.
        overdue = complaints_officer_client.get("/feedback/complaints/?state=overdue")
        closed = complaints_officer_client.get("/feedback/complaints/?state=closed")
        assert family_complaint.reference in overdue.content.decode()
        assert family_complaint.reference not in closed.content.decode()

    def test_its_queries_do_not_grow_with_the_number_of_complaints(
        self,
        complaints_officer_client,
        family_complaint,
        complaints_officer,
        pod,
        social_worker,
        django_assert_max_num_queries,
    ):
        for _ in range(30):  # more than a page
            services.complaint_record(
                received=COMPLAINT_RECEIVED,
                received_by="email",
                from_kind="carer",
                from_name="A carer",
                from_email="carer@example.org",
                worker=social_worker,
                team=pod,
                summary="Late paperwork",
                by=complaints_officer.user,
            )
        # The session, the user and their second factor, the worker (navigation and the
        # checks), the filter's teams and themes, the count, the page of 25, its themes, its
        # stages: 13, whatever the number of complaints.
        with django_assert_max_num_queries(13):
            response = complaints_officer_client.get("/feedback/complaints/?state=open")
        assert response.status_code == 200
        assert response.content.decode().count('href="/feedback/complaints/') >= PAGE_SIZE
