"""What a security review of the sign-in work found, each as a test that failed before its
fix: a reset ends the sessions of a lost computer, set-up needs a fresh password and keeps
each session's secret its own, guessing passwords while signed in is stopped, new backup
codes keep a backup-code session signed in, and leavers lose grants and restricted lists."""

import datetime
import re
import time

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import SecurityEvent
from accounts.second_factor import backup_codes_make, current_code
from accounts.sessions import SIGNED_IN_AT_SESSION_KEY
from families.models import Family, FamilyGrant
from tests.accounts.conftest import password_step, set_up_page, sign_in
from tests.clients import signed_in_client
from tests.factories import PASSWORD, make_team, make_worker

pytestmark = pytest.mark.django_db


def test_a_second_factor_reset_signs_out_every_session_of_the_person(sam, django_user_model):
    lost_laptop = Client()
    sign_in(lost_laptop, "sam")
    assert lost_laptop.get("/").status_code == 200
    admin = django_user_model.objects.create_superuser("root", "r@example.org", PASSWORD)
    services.second_factor_reset(user=sam.user, reset_by=admin, reason="Laptop stolen")
    response = lost_laptop.get("/account/second-factor/set-up/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    assert not TOTPDevice.objects.filter(user=sam.user).exists()


def test_set_up_needs_the_password_given_in_this_session_lately(client, newcomer, settings):
    password_step(client, "newcomer")
    session = client.session
    session[SIGNED_IN_AT_SESSION_KEY] = time.time() - settings.PODS_ENROLMENT_MINUTES * 60 - 1
    session.save()
    response = client.get("/account/second-factor/set-up/")
    assert response.status_code == 302 and response.url == "/sign-in/"
    assert not TOTPDevice.objects.filter(user=newcomer.user).exists()


def test_another_session_with_the_password_never_sees_the_secret_being_set_up(newcomer):
    victim, intruder = Client(), Client()
    password_step(victim, "newcomer")
    password_step(intruder, "newcomer")
    victims_secret, device = set_up_page(victim)[1:]
    intruders_secret, _ = set_up_page(intruder)[1:]
    assert victims_secret != intruders_secret
    assert set_up_page(victim)[1] == victims_secret  # the same for the same session
    victim.post(
        "/account/second-factor/set-up/", {"code": current_code(victims_secret), "device": device}
    )
    confirmed = TOTPDevice.objects.get(user=newcomer.user, confirmed=True)
    assert confirmed.pk == int(device)


def test_a_second_set_up_after_one_is_confirmed_replaces_nothing(newcomer):
    first, second = Client(), Client()
    password_step(first, "newcomer")
    password_step(second, "newcomer")
    first_secret, first_device = set_up_page(first)[1:]
    second_secret, second_device = set_up_page(second)[1:]
    first.post(
        "/account/second-factor/set-up/",
        {"code": current_code(first_secret), "device": first_device},
    )
    response = second.post(
        "/account/second-factor/set-up/",
        {"code": current_code(second_secret), "device": second_device},
    )
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=newcomer.user, confirmed=True).pk == int(first_device)


def test_guessing_the_password_at_confirm_signs_the_session_out_after_five(sam):
    client = signed_in_client(sam.user, recently_authenticated=False)
    for _ in range(4):
        assert client.post("/account/confirm/", {"secret": "guess"}).status_code == 400
    response = client.post("/account/confirm/", {"secret": "guess"})
    assert response.status_code == 302 and response.url == "/sign-in/"
    assert client.get("/").url.startswith("/sign-in/")
    assert SecurityEvent.objects.filter(kind="session_ended", outcome="refused").exists()


def test_guessing_the_old_password_on_the_password_page_signs_out_after_five(sam):
    client = signed_in_client(sam.user)
    form = {"old_password": "guess", "new_password1": "x" * 20, "new_password2": "x" * 20}
    for _ in range(4):
        assert client.post("/account/password/", form).status_code == 400
    assert client.post("/account/password/", form).url == "/sign-in/"
    sam.user.refresh_from_db()
    assert sam.user.check_password(PASSWORD)


def test_new_backup_codes_keep_a_session_that_signed_in_with_a_backup_code(sam):
    codes = backup_codes_make(user=sam.user)
    client = Client()
    password_step(client, "sam")
    client.post("/account/second-factor/backup/", {"code": codes[0]})
    response = client.post("/account/backup-codes/new/")
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    new_codes = re.findall(r"<code>([a-z0-9]+)</code>", page.content.decode())
    assert len(new_codes) == 10 and codes[1] not in new_codes
    assert all(len(code) == 16 for code in new_codes)


def test_an_unknown_username_is_not_written_to_the_security_log_as_typed(client):
    client.post("/sign-in/", {"username": "my-secret-password", "password": "x"})
    event = SecurityEvent.objects.get(kind="sign_in_failed")
    assert "my-secret-password" not in event.username


def test_a_leaver_loses_a_grant_and_a_restricted_list_the_day_after_their_last(db):
    from families import services as family_services

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    pod = make_team(name="Elm Pod")
    manager = make_worker(team=pod, username="elm-manager")
    leaver = make_worker(team=make_team(name="Yew Pod"), username="leaver")
    family = Family.objects.create(reference="F0099", display_name="The Leaver test family")
    family_services.grant_give(
        family=family,
        user=leaver.user,
        kind=FamilyGrant.Kind.COVER,
        reason="Cover",
        expires=timezone.now() + datetime.timedelta(days=10),
        granted_by=manager.user,
    )
    assert Family.objects.visible_to(leaver.user).filter(pk=family.pk).exists()
    type(leaver).objects.filter(pk=leaver.pk).update(leave_date=yesterday)
    assert not Family.objects.visible_to(leaver.user).filter(pk=family.pk).exists()


def test_a_set_up_with_a_device_that_is_not_a_number_is_a_form_error_not_a_500(client, newcomer):
    password_step(client, "newcomer")
    response = client.post("/account/second-factor/set-up/", {"code": "123456", "device": "x"})
    assert response.status_code in (400, 200)
