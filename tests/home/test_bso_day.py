"""The business support officer's day: meetings to schedule (nearest deadline first), today's
and this week's appointments across the pod, invitations to send, calls waiting, who is away,
and cover needed, all within what the BSO may see, in a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from families import services as family_services
from pods.models import Absence
from pods.working_days import working_days_from
from scheduling import calls, services
from scheduling.models import Appointment
from tests.clients import client_for
from tests.factories import make_worker
from tests.families.conftest import refer
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def bso_client(business_support):
    return client_for(business_support)


def strategy_discussion(family, worker, by, days_ago):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return Appointment.objects.create(
        family=family,
        team=family.pod_allocations.first().team,
        kind=Appointment.Kind.STRATEGY_DISCUSSION,
        start=at(day, 9),
        end=at(day, 10),
        worker=worker,
        status=Appointment.Status.HELD,
        outcome=Appointment.Outcome.CONFERENCE,
        booked_by=by,
    )


def test_business_support_sees_the_meetings_to_schedule_nearest_deadline_first(
    bso_client, family, social_worker, business_support, pod, front_door
):
    later = refer(name="The Lewis family")
    family_services.family_allocate(
        family=later, team=pod, worker=social_worker, start=datetime.date(2025, 3, 3)
    )
    strategy_discussion(later, social_worker, business_support.user, days_ago=2)
    strategy_discussion(family, social_worker, business_support.user, days_ago=5)
    response = bso_client.get("/")
    day = response.context["day"]
    assert response.templates[0].name == "home/business_support.html"
    assert [(m.kind, f) for m, f in day.meetings] == [
        (Appointment.Kind.ICPC, family),
        (Appointment.Kind.ICPC, later),
    ]
    assert day.meetings[0][0].due < day.meetings[1][0].due
    assert f"/families/{family.pk}/appointments/new/?kind=icpc" in response.content.decode()


def test_todays_appointments_across_the_pod_and_the_invitations_to_send(
    bso_client, family, social_worker, business_support
):
    start = timezone.now() + datetime.timedelta(minutes=30)
    if timezone.localtime(start).date() != timezone.localdate():
        pytest.skip("too near midnight for an appointment later today")
    visit = services.appointment_book(
        family=family,
        kind=Appointment.Kind.HOME_VISIT,
        start=start,
        end=start + datetime.timedelta(hours=1),
        worker=social_worker,
        members=list(family.members.exclude(relationship="child")),
        by=business_support.user,
        allow_clashes=True,
    )
    day = bso_client.get("/").context["day"]
    assert day.today_appointments == [visit]
    assert day.invitations == [visit]


def test_an_appointment_whose_worker_is_away_needs_cover_with_suggestions(
    bso_client, family, social_worker, business_support, pod
):
    colleague = make_worker(team=pod)
    tomorrow = working_days_from(timezone.localdate(), 2)[1]  # the next working day
    services.appointment_book(
        family=family,
        kind=Appointment.Kind.HOME_VISIT,
        start=at(tomorrow, 10),
        end=at(tomorrow, 11),
        worker=social_worker,
        by=business_support.user,
    )
    Absence.objects.create(
        worker=social_worker, start=tomorrow, end=tomorrow, kind=Absence.Kind.SICKNESS
    )
    day = bso_client.get("/").context["day"]
    assert [item.appointment.worker for item in day.cover_needed] == [social_worker]
    assert [s.worker for s in day.cover_needed[0].suggestions] == [colleague]


def test_calls_waiting_are_on_the_day(bso_client, family, social_worker, business_support):
    calls.call_log(
        family=family,
        caller="Grace Okafor, Ada's mother",
        received=timezone.now() - datetime.timedelta(minutes=5),
        message="Please call back about Friday",
        urgent=True,
        for_worker=social_worker,
        by=business_support.user,
    )
    response = bso_client.get("/")
    assert [c.caller for c in response.context["day"].calls] == ["Grace Okafor, Ada's mother"]


def test_a_restricted_family_stays_off_the_day(
    bso_client, family, social_worker, business_support, pod_manager
):
    strategy_discussion(family, social_worker, business_support.user, days_ago=3)
    family_services.family_restrict(
        family=family,
        named_users=[social_worker.user],
        reason="A member of staff's own family",
        review_date=timezone.localdate() + datetime.timedelta(days=90),
        by=pod_manager.user,
    )
    response = bso_client.get("/")
    assert response.context["day"].meetings == []
    assert family.reference not in response.content.decode()


def test_the_day_takes_a_fixed_number_of_queries(
    bso_client, family, social_worker, business_support, pod, front_door,
    django_assert_max_num_queries,
):  # fmt: skip
    for n in range(4):
        other = refer(name=f"The Family {n}")
        family_services.family_allocate(
            family=other, team=pod, worker=social_worker, start=datetime.date(2025, 3, 3)
        )
        strategy_discussion(other, social_worker, business_support.user, days_ago=n + 1)
    with django_assert_max_num_queries(60) as captured:
        bso_client.get("/")
    few = len(captured.captured_queries)
    for n in range(4, 8):
        other = refer(name=f"The Family {n}")
        family_services.family_allocate(
            family=other, team=pod, worker=social_worker, start=datetime.date(2025, 3, 3)
        )
        strategy_discussion(other, social_worker, business_support.user, days_ago=n + 1)
    with django_assert_max_num_queries(few):
        bso_client.get("/")
