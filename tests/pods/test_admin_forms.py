"""Bad input in the admin forms: errors naming the field, and nothing saved."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from pods.models import TeamMembership, Worker
from tests.clients import signed_in_client
from tests.factories import PASSWORD, make_team, make_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_():
    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    return signed_in_client(root)


def _worker_form(user, **changes):
    data = {
        "user": user.pk,
        "role": "social_worker",
        "specialism": "",
        "fte": "1",
        "employment": "permanent",
        "start_date": "2024-01-01",
        "leave_date": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("fte", ["0", "1.2", "-0.5"])
def test_an_fte_outside_zero_to_one_is_a_form_error_on_fte(admin_client_, fte):
    user = get_user_model().objects.create_user("new.worker", password=PASSWORD)
    response = admin_client_.post("/admin/pods/worker/add/", _worker_form(user, fte=fte))
    assert response.status_code == 200
    assert (
        "Enter an FTE above 0 and no more than 1"
        in response.context["adminform"].form.errors["fte"][0]
    )
    assert not Worker.objects.filter(user=user).exists()


def test_a_leave_date_before_the_start_date_is_a_form_error_on_leave_date(admin_client_):
    user = get_user_model().objects.create_user("new.worker", password=PASSWORD)
    response = admin_client_.post(
        "/admin/pods/worker/add/", _worker_form(user, leave_date="2023-12-31")
    )
    errors = response.context["adminform"].form.errors
    assert errors["leave_date"] == ["The leave date must be the same as or after the start date"]
    assert not Worker.objects.filter(user=user).exists()


def test_a_valid_worker_is_saved_with_its_history(admin_client_):
    user = get_user_model().objects.create_user("new.worker", password=PASSWORD)
    response = admin_client_.post("/admin/pods/worker/add/", _worker_form(user, fte="0.6"))
    assert response.status_code == 302
    worker = Worker.objects.get(user=user)
    assert worker.history.get().history_user.username == "root"


def test_an_overlapping_membership_is_a_form_error_and_nothing_is_saved(admin_client_):
    team = make_team(name="Oak Pod")
    worker = make_worker(team=team, member_from=datetime.date(2024, 1, 1))
    response = admin_client_.post(
        "/admin/pods/teammembership/add/",
        {"worker": worker.pk, "team": team.pk, "start": "2025-01-01", "end": ""},
    )
    assert response.status_code == 200
    assert "already in Oak Pod" in response.context["adminform"].form.errors["start"][0]
    assert TeamMembership.objects.filter(worker=worker).count() == 1


def test_a_second_pod_at_once_is_a_form_error_on_team(admin_client_):
    oak, ash = make_team(name="Oak Pod"), make_team(name="Ash Pod")
    worker = make_worker(team=oak)
    response = admin_client_.post(
        "/admin/pods/teammembership/add/",
        {"worker": worker.pk, "team": ash.pk, "start": "2025-01-01", "end": ""},
    )
    assert "one pod at a time" in response.context["adminform"].form.errors["team"][0]
    assert not TeamMembership.objects.filter(team=ash).exists()


def test_a_membership_saved_in_admin_puts_the_worker_in_the_team_group(admin_client_):
    team = make_team(name="Oak Pod")
    worker = make_worker()
    response = admin_client_.post(
        "/admin/pods/teammembership/add/",
        {"worker": worker.pk, "team": team.pk, "start": "2024-01-01", "end": ""},
    )
    assert response.status_code == 302
    assert worker.user.groups.filter(pk=team.group_id).exists()


def test_a_team_added_in_admin_gets_its_group(admin_client_):
    response = admin_client_.post(
        "/admin/pods/team/add/",
        {
            "name": "Elm Pod",
            "kind": "pod",
            "specialism": "",
            "active_from": "2024-01-01",
            "active_to": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    from pods.models import Team

    assert Team.objects.get(name="Elm Pod").group.name == "Team: Elm Pod"
