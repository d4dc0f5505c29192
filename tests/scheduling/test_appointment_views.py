"""The family's appointments pages: booking as business support, a clash shown and booked
deliberately, moving and cancelling, writing up a held visit (the worker, not business support),
and the door (404 outside the pod)."""

import datetime

import pytest
from django.utils import timezone

from onestory.models import Entry
from scheduling import services
from scheduling.models import Appointment
from tests.clients import client_for
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


def booking_form(day, starts="10:00", ends="11:00", **extra):
    return {
        "kind": Appointment.Kind.HOME_VISIT,
        "date_day": day.day,
        "date_month": day.month,
        "date_year": day.year,
        "starts": starts,
        "ends": ends,
        "place": "At home",
        **extra,
    }


@pytest.fixture
def bso_client(business_support):
    return client_for(business_support)


class TestBooking:
    def test_business_support_books_a_visit_for_the_familys_worker(
        self, bso_client, family, social_worker, next_week
    ):
        response = bso_client.post(
            f"/families/{family.pk}/appointments/new/",
            booking_form(next_week, worker=social_worker.pk),
        )
        appointment = Appointment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/families/{family.pk}/appointments/{appointment.pk}/"
        assert appointment.worker == social_worker
        assert timezone.localtime(appointment.start).hour == 10

    def test_the_form_starts_with_the_familys_worker(self, bso_client, family, social_worker):
        response = bso_client.get(f"/families/{family.pk}/appointments/new/")
        assert response.status_code == 200
        assert response.context["form"].initial["worker"] == social_worker.pk

    def test_an_end_before_the_start_is_a_form_error_and_nothing_is_saved(
        self, bso_client, family, social_worker, next_week
    ):
        response = bso_client.post(
            f"/families/{family.pk}/appointments/new/",
            booking_form(next_week, starts="11:00", ends="10:00", worker=social_worker.pk),
        )
        assert response.status_code == 400
        assert services.ENDS_BEFORE_IT_STARTS in response.content.decode()
        assert not Appointment.objects.exists()

    def test_a_clash_names_who_and_when_and_offers_to_book_anyway(
        self, bso_client, family, social_worker, business_support, next_week
    ):
        services.appointment_book(
            family=family,
            kind=Appointment.Kind.HOME_VISIT,
            start=at(next_week, 10),
            end=at(next_week, 11),
            worker=social_worker,
            by=business_support.user,
        )
        form = booking_form(next_week, starts="10:30", ends="11:30", worker=social_worker.pk)
        response = bso_client.post(f"/families/{family.pk}/appointments/new/", form)
        page = response.content.decode()
        assert response.status_code == 400
        assert f"{social_worker.user.get_full_name()} already has home visit from 10:00" in page
        assert 'name="book_anyway" type="checkbox"' in page
        assert Appointment.objects.count() == 1
        response = bso_client.post(
            f"/families/{family.pk}/appointments/new/", {**form, "book_anyway": "on"}
        )
        assert response.status_code == 302
        assert Appointment.objects.count() == 2

    def test_an_outsider_gets_the_404_of_a_family_that_does_not_exist(
        self, outsider, family, next_week
    ):
        client = client_for(outsider)
        assert client.get(f"/families/{family.pk}/appointments/new/").status_code == 404
        assert client.get(f"/families/{family.pk}/appointments/").status_code == 404


class TestWritingItUp:
    @pytest.fixture
    def past_visit(self, family, social_worker, business_support):
        start = timezone.now() - datetime.timedelta(hours=2)
        return services.appointment_book(
            family=family,
            kind=Appointment.Kind.HOME_VISIT,
            start=start,
            end=start + datetime.timedelta(hours=1),
            worker=social_worker,
            by=business_support.user,
            allow_clashes=True,
        )

    def test_the_record_form_is_filled_in_from_the_appointment(
        self, social_worker_client, family, past_visit
    ):
        response = social_worker_client.get(
            f"/families/{family.pk}/appointments/{past_visit.pk}/record/"
        )
        form = response.context["form"]
        assert form.initial["kind"] == Entry.Kind.HOME_VISIT
        assert form.initial["date"] == timezone.localtime(past_visit.start).date()
        assert form.initial["time"] == timezone.localtime(past_visit.start).strftime("%H:%M")

    def test_saving_it_marks_the_visit_held_and_links_the_entry(
        self, social_worker_client, family, past_visit
    ):
        local = timezone.localtime(past_visit.start)
        response = social_worker_client.post(
            f"/families/{family.pk}/appointments/{past_visit.pk}/record/",
            {
                "kind": Entry.Kind.HOME_VISIT,
                "date_day": local.day,
                "date_month": local.month,
                "date_year": local.year,
                "time": local.strftime("%H:%M"),
                "what_happened": "Ada showed me her new bedroom",
                "save": "1",
            },
        )
        past_visit.refresh_from_db()
        assert response.status_code == 302
        assert past_visit.status == Appointment.Status.HELD
        assert past_visit.entry.what_happened == "Ada showed me her new bedroom"

    def test_business_support_cannot_write_case_narrative(self, bso_client, family, past_visit):
        response = bso_client.get(f"/families/{family.pk}/appointments/{past_visit.pk}/record/")
        assert response.status_code == 403
        assert b"the worker writes them up" in response.content

    def test_business_support_can_mark_it_held(self, bso_client, family, past_visit):
        response = bso_client.post(f"/families/{family.pk}/appointments/{past_visit.pk}/held/")
        past_visit.refresh_from_db()
        assert response.status_code == 302
        assert past_visit.status == Appointment.Status.HELD
        assert past_visit.entry is None


class TestMoveAndCancel:
    def test_moving_from_the_page(
        self, bso_client, family, social_worker, business_support, next_week
    ):
        appointment = services.appointment_book(
            family=family,
            kind=Appointment.Kind.HOME_VISIT,
            start=at(next_week, 10),
            end=at(next_week, 11),
            worker=social_worker,
            by=business_support.user,
        )
        day = next_week + datetime.timedelta(days=1)
        response = bso_client.post(
            f"/families/{family.pk}/appointments/{appointment.pk}/move/",
            {
                "date_day": day.day,
                "date_month": day.month,
                "date_year": day.year,
                "starts": "14:00",
                "ends": "15:00",
                "reason": "Mum is at work in the morning",
            },
        )
        appointment.refresh_from_db()
        assert response.status_code == 302
        assert appointment.status == Appointment.Status.MOVED
        assert appointment.moved_to.day == day

    def test_cancelling_without_a_reason_says_so(
        self, bso_client, family, social_worker, business_support, next_week
    ):
        appointment = services.appointment_book(
            family=family,
            kind=Appointment.Kind.HOME_VISIT,
            start=at(next_week, 10),
            end=at(next_week, 11),
            worker=social_worker,
            by=business_support.user,
        )
        response = bso_client.post(
            f"/families/{family.pk}/appointments/{appointment.pk}/cancel/", {"reason": ""}
        )
        assert response.status_code == 400
        assert b"Say why the appointment is cancelled" in response.content
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.PLANNED


class TestThePodsOwnAppointments:
    def test_a_pod_manager_books_supervision_in_the_pods_calendar(
        self, pod_manager_client, pod_manager, social_worker, pod, next_week
    ):
        response = pod_manager_client.post(
            "/scheduling/appointments/new/",
            booking_form(next_week, kind=Appointment.Kind.SUPERVISION, worker=social_worker.pk),
        )
        appointment = Appointment.objects.get()
        assert response.status_code == 302
        assert appointment.family is None
        assert appointment.team == pod
        page = pod_manager_client.get(f"/scheduling/appointments/{appointment.pk}/")
        assert page.status_code == 200

    def test_a_family_kind_needs_a_family(self, pod_manager_client, social_worker, next_week):
        response = pod_manager_client.post(
            "/scheduling/appointments/new/",
            booking_form(next_week, kind=Appointment.Kind.HOME_VISIT, worker=social_worker.pk),
        )
        assert response.status_code == 400
        assert not Appointment.objects.exists()

    def test_someone_in_another_pod_gets_404(self, pod_manager, social_worker, outsider, next_week):
        appointment = services.appointment_book(
            kind=Appointment.Kind.SUPERVISION,
            start=at(next_week, 10),
            end=at(next_week, 11),
            worker=social_worker,
            by=pod_manager.user,
        )
        response = client_for(outsider).get(f"/scheduling/appointments/{appointment.pk}/")
        assert response.status_code == 404
