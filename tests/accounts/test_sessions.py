"""Signed-in sessions: listed with when, where from and which browser; ended from the page;
ended by a password change; and none lasts past the absolute limit, however active."""

import time

import pytest
from django.test import Client

from accounts.models import SecurityEvent, SignedInSession
from accounts.sessions import SIGNED_IN_AT_SESSION_KEY
from tests.accounts.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
OFFICE = {"HTTP_USER_AGENT": "Mozilla/5.0 (Windows NT 10.0) Chrome/130 office"}
HOME = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPad) Safari/17 home", "REMOTE_ADDR": "10.1.2.3"}


@pytest.fixture
def two_sessions(sam):
    office, home = Client(), Client()
    sign_in(office, "sam", **OFFICE)
    sign_in(home, "sam", steps_ahead=1, **HOME)
    assert office.get("/").status_code == home.get("/").status_code == 200
    return office, home


def test_the_sessions_page_lists_each_session_with_address_and_browser(two_sessions):
    office, _ = two_sessions
    content = office.get("/account/").content.decode()
    assert "Chrome/130 office" in content and "Safari/17 home" in content
    assert "10.1.2.3" in content and "127.0.0.1" in content
    assert content.count("This session") == 1


def test_ending_the_other_session_signs_it_out_at_once(two_sessions, sam):
    office, home = two_sessions
    other = SignedInSession.objects.get(user=sam.user, address="10.1.2.3")
    response = office.post(f"/account/sessions/{other.pk}/end/")
    assert response.status_code == 302
    assert home.get("/").url.startswith("/sign-in/")
    assert office.get("/").status_code == 200
    assert not SignedInSession.objects.filter(pk=other.pk).exists()
    assert SecurityEvent.objects.filter(kind="session_ended", user=sam.user).exists()


def test_someone_elses_session_is_404_and_stays_signed_in(two_sessions, newcomer):
    _, home = two_sessions
    theirs = SignedInSession.objects.get(address="10.1.2.3")
    from tests.clients import signed_in_client

    intruder = signed_in_client(newcomer.user)
    assert intruder.post(f"/account/sessions/{theirs.pk}/end/").status_code == 404
    assert intruder.post("/account/sessions/999999/end/").status_code == 404
    assert home.get("/").status_code == 200


def test_ending_a_session_takes_a_post(two_sessions):
    office, _ = two_sessions
    record = SignedInSession.objects.get(address="10.1.2.3")
    assert office.get(f"/account/sessions/{record.pk}/end/").status_code == 405


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(two_sessions, sam):
    office, home = two_sessions
    response = office.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-for-sam",
            "new_password2": "a-new-long-passphrase-for-sam",
        },
    )
    assert response.status_code == 302
    assert "1 other session signed out" in office.get(response.url).content.decode()
    assert office.get("/").status_code == 200
    assert home.get("/").url.startswith("/sign-in/")
    assert SignedInSession.objects.filter(user=sam.user).count() == 1
    assert SecurityEvent.objects.filter(kind="password_changed", user=sam.user).exists()


def test_a_wrong_current_password_changes_nothing(two_sessions, sam):
    office, home = two_sessions
    response = office.post(
        "/account/password/",
        {
            "old_password": "not-it",
            "new_password1": "a-new-long-passphrase-for-sam",
            "new_password2": "a-new-long-passphrase-for-sam",
        },
    )
    assert response.status_code == 400
    assert "Your current password is not right" in response.content.decode()
    sam.user.refresh_from_db()
    assert sam.user.check_password(PASSWORD)
    assert home.get("/").status_code == 200


def test_a_session_ends_after_the_absolute_limit_however_active(two_sessions, settings):
    office, _ = two_sessions
    assert settings.PODS_SESSION_ABSOLUTE_HOURS == 12
    session = office.session
    session[SIGNED_IN_AT_SESSION_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = office.get("/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    assert "signed in for 12 hours" in office.get(response.url).content.decode()
    assert office.get("/").url.startswith("/sign-in/")


def test_just_inside_the_absolute_limit_the_session_carries_on(two_sessions):
    office, _ = two_sessions
    session = office.session
    session[SIGNED_IN_AT_SESSION_KEY] = time.time() - 12 * 3600 + 60
    session.save()
    assert office.get("/").status_code == 200
