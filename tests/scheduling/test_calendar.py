"""The pod's week and a worker's week: everyone's appointments day by day, absences shown, a
family the viewer may not see shown only as busy, and queries that do not grow with the week."""

import datetime

import pytest

from families import services as family_services
from pods.models import Absence
from scheduling import services
from scheduling.models import Appointment
from tests.clients import client_for
from tests.factories import make_worker
from tests.families.conftest import refer
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


def visit(family, worker, by, start, kind=Appointment.Kind.HOME_VISIT):
    return services.appointment_book(
        family=family,
        kind=kind,
        start=start,
        end=start + datetime.timedelta(hours=1),
        worker=worker,
        by=by,
        allow_clashes=True,
    )


def test_the_pods_week_shows_each_members_appointments_on_their_day(
    social_worker_client, family, social_worker, business_support, next_week
):
    visit(family, social_worker, business_support.user, at(next_week, 10))
    response = social_worker_client.get(f"/scheduling/calendar/?week={next_week:%Y-%m-%d}")
    week = response.context["week"]
    row = next(r for r in week.rows if r.worker == social_worker)
    assert response.status_code == 200
    assert [len(day.items) for day in row.days] == [1, 0, 0, 0, 0]
    assert f"{family.display_name} ({family.reference})" in response.content.decode()


def test_any_day_of_the_week_gives_its_monday(social_worker_client, next_week):
    wednesday = next_week + datetime.timedelta(days=2)
    response = social_worker_client.get(f"/scheduling/calendar/?week={wednesday:%Y-%m-%d}")
    assert response.context["week"].monday == next_week


def test_an_absence_is_shown_on_the_days_it_covers(social_worker_client, social_worker, next_week):
    Absence.objects.create(
        worker=social_worker,
        start=next_week + datetime.timedelta(days=1),
        end=next_week + datetime.timedelta(days=2),
        kind=Absence.Kind.ANNUAL_LEAVE,
    )
    response = social_worker_client.get(f"/scheduling/calendar/?week={next_week:%Y-%m-%d}")
    row = next(r for r in response.context["week"].rows if r.worker == social_worker)
    assert [day.away for day in row.days] == [False, True, True, False, False]


def test_a_restricted_family_the_viewer_is_not_named_on_is_shown_as_busy(
    client, family, social_worker, business_support, pod_manager, next_week
):
    visit(family, social_worker, business_support.user, at(next_week, 10))
    family_services.family_restrict(
        family=family,
        named_users=[social_worker.user],
        reason="A member of staff's own family",
        review_date=next_week + datetime.timedelta(days=90),
        by=pod_manager.user,
    )
    response = client_for(business_support).get(f"/scheduling/calendar/?week={next_week:%Y-%m-%d}")
    page = response.content.decode()
    assert "Busy" in page
    assert family.display_name not in page
    assert family.reference not in page


def test_a_worker_in_another_pod_cannot_open_a_colleagues_week(outsider, social_worker, next_week):
    response = client_for(outsider).get(f"/scheduling/calendar/worker/{social_worker.pk}/")
    assert response.status_code == 404


def test_a_colleagues_week_lists_what_they_chair(
    social_worker_client, family, social_worker, business_support, pod, next_week
):
    colleague = make_worker(team=pod)
    meeting = visit(
        family,
        social_worker,
        business_support.user,
        at(next_week, 14),
        kind=Appointment.Kind.PROFESSIONALS_MEETING,
    )
    meeting.chair = colleague
    meeting.save()
    response = social_worker_client.get(
        f"/scheduling/calendar/worker/{colleague.pk}/?week={next_week:%Y-%m-%d}"
    )
    assert response.status_code == 200
    assert "(chairing)" in response.content.decode()


def test_the_queries_do_not_grow_with_the_appointments(
    social_worker_client,
    family,
    social_worker,
    business_support,
    pod,
    next_week,
    django_assert_max_num_queries,
    front_door,
):
    others = [refer(name=f"The Family {n}") for n in range(4)]
    for other in others:
        family_services.family_allocate(
            family=other, team=pod, worker=social_worker, start=datetime.date(2025, 3, 3)
        )
    for n, other in enumerate([family, *others]):
        for day in range(5):
            visit(
                other,
                social_worker,
                business_support.user,
                at(next_week + datetime.timedelta(days=day), 9 + n),
            )
    # Sign-in and session (about 8), the team and its members, the appointments, the families
    # visible to the viewer (guardian), absences, the access log: a fixed number.
    with django_assert_max_num_queries(25):
        response = social_worker_client.get(f"/scheduling/calendar/?week={next_week:%Y-%m-%d}")
    assert sum(row.count for row in response.context["week"].rows) == 25
