"""Confirming it is you: the password or a current code, within five minutes, before the
sensitive actions; a wrong one does nothing; and the page sends you back only within Pods."""

import time

import pytest

from accounts.demo_secret import DEMO_SECRET, current_code
from accounts.models import SecurityEvent
from accounts.reauth import AUTHENTICATED_AT_SESSION_KEY, is_recently_authenticated
from accounts.second_factor import demo_device_enrol
from tests.accounts.conftest import sign_in
from tests.clients import signed_in_client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_in_counts_as_confirming(client, sam):
    sign_in(client, "sam")
    assert client.get("/account/backup-codes/new/").status_code == 200


def test_after_five_minutes_the_page_asks_again(sam, settings):
    assert settings.PODS_REAUTHENTICATE_MINUTES == 5
    client = signed_in_client(sam.user)
    session = client.session
    session[AUTHENTICATED_AT_SESSION_KEY] = time.time() - 5 * 60 - 1
    session.save()
    response = client.get("/account/backup-codes/new/")
    assert response.status_code == 302
    assert response.url == "/account/confirm/?next=%2Faccount%2Fbackup-codes%2Fnew%2F"


def test_a_post_that_comes_too_late_is_not_acted_on(sam):
    client = signed_in_client(sam.user, recently_authenticated=False)
    from django_otp.plugins.otp_static.models import StaticDevice

    response = client.post("/account/backup-codes/new/")
    assert response.status_code == 302 and response.url.startswith("/account/confirm/")
    assert not StaticDevice.objects.filter(user=sam.user).exists()


def test_a_wrong_password_is_refused_and_logged_and_nothing_is_done(sam):
    client = signed_in_client(sam.user, recently_authenticated=False)
    response = client.post(
        "/account/confirm/", {"secret": "not-it", "next": "/account/backup-codes/new/"}
    )
    assert response.status_code == 400
    assert "Nothing has been done" in response.content.decode()
    assert client.get("/account/backup-codes/new/").status_code == 302
    assert SecurityEvent.objects.filter(kind="reauthentication_failed", user=sam.user).exists()


def test_the_password_confirms_and_goes_back_to_the_action(sam):
    client = signed_in_client(sam.user, recently_authenticated=False)
    response = client.post(
        "/account/confirm/", {"secret": PASSWORD, "next": "/account/backup-codes/new/"}
    )
    assert response.status_code == 302 and response.url == "/account/backup-codes/new/"
    assert client.get("/account/backup-codes/new/").status_code == 200
    assert SecurityEvent.objects.filter(kind="reauthenticated", user=sam.user).exists()


def test_a_current_code_confirms_too_but_only_once(sam):
    demo_device_enrol(user=sam.user)
    client = signed_in_client(sam.user, recently_authenticated=False)
    code = current_code(DEMO_SECRET)
    assert client.post("/account/confirm/", {"secret": code}).status_code == 302
    other = signed_in_client(sam.user, recently_authenticated=False)
    assert other.post("/account/confirm/", {"secret": code}).status_code == 400


def test_it_never_sends_you_to_another_site(sam):
    client = signed_in_client(sam.user, recently_authenticated=False)
    response = client.post(
        "/account/confirm/", {"secret": PASSWORD, "next": "https://evil.example/phish"}
    )
    assert response.status_code == 302 and response.url == "/"


def test_without_a_confirmation_in_the_session_nobody_is_recently_authenticated(rf):
    request = rf.get("/")
    request.session = {}
    assert not is_recently_authenticated(request)


def test_signing_out_is_logged(client, sam):
    sign_in(client, "sam")
    client.post("/sign-out/")
    assert SecurityEvent.objects.filter(kind="sign_out", user=sam.user).exists()
    assert client.get("/").status_code == 302
