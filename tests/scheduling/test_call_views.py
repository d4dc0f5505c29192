"""The calls pages: log a call on the family, pick it up, call back, the pod's calls waiting.
Outside the family's visibility every one is a 404; a person who may see the family but does
not take calls gets a 403."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families import services as family_services
from families.models import AccessLogEntry, FamilyGrant
from onestory.models import Entry
from scheduling import calls
from scheduling.models import CallTaken
from tests.clients import client_for
from tests.families.conftest import lead_practitioner  # noqa: F401
from tests.scheduling.conftest_calls import *  # noqa: F403 (the fixtures)

pytestmark = pytest.mark.django_db


def _form(social_worker, **overrides):
    now = timezone.localtime() - datetime.timedelta(minutes=5)
    return {
        "caller": "Grace Okafor, Ada's mother",
        "received_day": now.day,
        "received_month": now.month,
        "received_year": now.year,
        "time": now.strftime("%H:%M"),
        "message": "Ada was sent home from school",
        "urgent": "yes",
        "for_worker": social_worker.pk,
        **overrides,
    }


def _urls(family, call):
    return [
        reverse("call_log", args=[family.pk]),
        reverse("call_pick_up", args=[family.pk, call.pk]),
        reverse("call_back", args=[family.pk, call.pk]),
    ]


# --- log a call -----------------------------------------------------------------------------


def test_the_form_offers_the_familys_worker_and_now(business_support_client, family, social_worker):
    response = business_support_client.get(reverse("call_log", args=[family.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{social_worker.pk}" selected>{social_worker.name}</option>' in page
    assert 'type="radio" value="yes"' in page
    assert 'type="radio" value="no"' in page
    assert f'value="{timezone.localdate().day}"' in page


def test_business_support_log_a_call_and_go_back_to_the_family(
    business_support_client, business_support, family, social_worker
):
    response = business_support_client.post(
        reverse("call_log", args=[family.pk]), _form(social_worker), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("family_detail", args=[family.pk])
    call = CallTaken.objects.get()
    assert call.urgent
    assert call.for_worker == social_worker
    assert call.taken_by == business_support.user
    assert f"Call from Grace Okafor, Ada&#x27;s mother logged for {social_worker.name}" in (
        response.content.decode()
    )
    assert call.entry.what_happened.startswith(
        f"Urgent call taken by {business_support.name} for {social_worker.name}: "
    )


def test_a_call_in_the_future_is_refused_on_the_form_and_nothing_is_saved(
    business_support_client, family, social_worker
):
    later = timezone.localtime() + datetime.timedelta(days=2)
    response = business_support_client.post(
        reverse("call_log", args=[family.pk]),
        _form(
            social_worker,
            received_day=later.day,
            received_month=later.month,
            received_year=later.year,
        ),
    )
    assert response.status_code == 400
    assert calls.CALL_IN_FUTURE in response.content.decode()
    assert not CallTaken.objects.exists()
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"caller": ""}, calls.NO_CALLER),
        ({"message": ""}, calls.NO_MESSAGE),
        ({"urgent": ""}, "Say whether the call is urgent"),
        ({"time": "25:00"}, "Enter a time like 14:30"),
    ],
)
def test_bad_input_gets_a_message_on_the_form(
    business_support_client, family, social_worker, overrides, message
):
    response = business_support_client.post(
        reverse("call_log", args=[family.pk]), _form(social_worker, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CallTaken.objects.exists()


def test_a_worker_outside_the_familys_pod_cannot_be_chosen(
    business_support_client, family, social_worker, outsider
):
    response = business_support_client.post(
        reverse("call_log", args=[family.pk]), _form(social_worker, for_worker=outsider.pk)
    )
    assert response.status_code == 400
    assert "Choose a worker in the family&#x27;s pod" in response.content.decode()
    assert not CallTaken.objects.exists()


def test_the_duty_worker_logs_a_call_too(client, family, social_worker, duty_worker):
    response = client_for(duty_worker).post(
        reverse("call_log", args=[family.pk]), _form(social_worker)
    )
    assert response.status_code == 302
    assert CallTaken.objects.get().taken_by == duty_worker.user


# --- who may --------------------------------------------------------------------------------


def test_every_call_page_is_404_outside_the_familys_visibility(outsider_client, family, call):
    for url in _urls(family, call):
        assert outsider_client.get(url).status_code == 404, url
        assert outsider_client.post(url).status_code == 404, url
    assert CallTaken.objects.get().picked_up is None


def test_a_call_of_another_family_is_404(business_support_client, family, call):
    other = family_services.family_refer(
        display_name="The Lindqvist family",
        received=datetime.date(2025, 3, 3),
        source="school",
        reason="A worry",
        people=[
            family_services.PersonDetails(
                first_name="Maja", last_name="Lindqvist", relationship="child"
            )
        ],
        recorded_by=None,
    ).family
    family_services.family_allocate(
        family=other,
        team=call.for_worker.memberships.get().team,
        worker=call.for_worker,
        start=datetime.date(2025, 3, 3),
    )
    response = business_support_client.post(reverse("call_pick_up", args=[other.pk, call.pk]))
    assert response.status_code == 404


def test_someone_who_sees_the_family_but_does_not_take_calls_gets_403(
    request, family, call, pod_manager
):
    practitioner = request.getfixturevalue("lead_practitioner")
    family_services.grant_give(
        family=family,
        user=practitioner.user,
        kind=FamilyGrant.Kind.LEAD_PRACTITIONER,
        reason="Joint work on domestic abuse",
        expires=timezone.now() + datetime.timedelta(days=30),
        granted_by=pod_manager.user,
    )
    client = client_for(practitioner)
    assert client.get(reverse("call_log", args=[family.pk])).status_code == 403
    assert client.post(reverse("call_pick_up", args=[family.pk, call.pk])).status_code == 403
    assert client.get(reverse("call_back", args=[family.pk, call.pk])).status_code == 403
    assert client.get(reverse("calls_waiting")).status_code == 403


def test_business_support_cannot_edit_the_call_entry(business_support_client, family, call):
    """The entry is the service's record of the call, not narrative they may write."""
    response = business_support_client.get(
        reverse("entry_correct", args=[family.pk, call.entry_id])
    )
    assert response.status_code == 403


# --- pick up and call back ------------------------------------------------------------------


def test_picking_up_is_one_post_and_goes_back_where_it_came_from(
    social_worker_client, social_worker, family, call
):
    url = reverse("call_pick_up", args=[family.pk, call.pk])
    assert social_worker_client.get(url).status_code == 405
    response = social_worker_client.post(url, {"next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    call.refresh_from_db()
    assert call.picked_up_by == social_worker.user


def test_picking_up_never_sends_anyone_to_another_site(social_worker_client, family, call):
    url = reverse("call_pick_up", args=[family.pk, call.pk])
    response = social_worker_client.post(url, {"next": "https://evil.example/"})
    assert response.url == reverse("family_detail", args=[family.pk])


def test_a_second_pick_up_says_who_has_it(
    social_worker_client, duty_worker, social_worker, family, call
):
    url = reverse("call_pick_up", args=[family.pk, call.pk])
    social_worker_client.post(url)
    response = client_for(duty_worker).post(url, follow=True)
    assert f"{social_worker.name} already picked this call up" in response.content.decode()
    call.refresh_from_db()
    assert call.picked_up_by == social_worker.user


def test_calling_back_shows_the_call_and_records_what_was_said(
    social_worker_client, social_worker, family, call
):
    url = reverse("call_back", args=[family.pk, call.pk])
    page = social_worker_client.get(url)
    assert page.status_code == 200
    assert "Please call about the school meeting" in page.content.decode()

    assert social_worker_client.post(url, {"note": ""}).status_code == 400
    response = social_worker_client.post(url, {"note": "Meeting is on Friday"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.called_back is not None
    assert call.picked_up_by == social_worker.user
    assert Entry.objects.filter(what_happened__startswith="Called back by").count() == 1


# --- the pod's calls waiting ----------------------------------------------------------------


def test_the_pods_calls_waiting_list_them_urgent_first_with_a_pick_up_button(
    business_support_client, business_support, family, social_worker, call
):
    urgent = calls.call_log(
        family=family,
        caller="The school",
        received=timezone.now() - datetime.timedelta(minutes=5),
        message="Ada is upset",
        urgent=True,
        for_worker=social_worker,
        by=business_support.user,
    )
    response = business_support_client.get(reverse("calls_waiting"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("The school") < page.index("Grace Okafor")
    assert "govuk-tag--red" in page
    assert family.reference in page
    assert reverse("call_pick_up", args=[family.pk, urgent.pk]) in page
    assert 'name="csrfmiddlewaretoken"' in page
    # The families shown are in their access logs.
    assert AccessLogEntry.objects.filter(family=family, path=reverse("calls_waiting")).exists()


def test_the_calls_waiting_page_reads_the_same_number_of_queries_for_more_calls(
    business_support_client, business_support, family, social_worker, call
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert business_support_client.get(reverse("calls_waiting")).status_code == 200
        return len(captured)

    one = queries()
    for n in range(5):
        calls.call_log(
            family=family,
            caller=f"Caller {n}",
            received=timezone.now() - datetime.timedelta(minutes=n + 1),
            message="A message",
            urgent=n % 2 == 0,
            for_worker=social_worker,
            by=business_support.user,
        )
    assert queries() == one


def test_another_pods_worker_sees_none_of_its_calls(outsider_client, call):
    response = outsider_client.get(reverse("calls_waiting"))
    assert response.status_code == 200
    assert "Grace Okafor" not in response.content.decode()
