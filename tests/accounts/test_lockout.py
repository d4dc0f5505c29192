"""Lockout by account at an address and by address across accounts, each with its own
limit, on the client address behind the configured number of trusted proxies."""

import pytest
from django.test import Client, RequestFactory

from accounts.addresses import client_address
from accounts.models import SecurityEvent
from tests.accounts.conftest import password_step
from tests.factories import PASSWORD, make_worker

pytestmark = pytest.mark.django_db


def _fail(username, **extra):
    return Client().post("/sign-in/", {"username": username, "password": "wrong"}, **extra)


def test_five_failures_lock_the_username_at_that_address(sam):
    for _ in range(4):
        assert _fail("sam").status_code == 200
    assert _fail("sam").status_code == 429
    assert password_step(Client(), "sam").status_code == 429
    assert SecurityEvent.objects.filter(kind="lockout", user=sam.user).exists()
    assert SecurityEvent.objects.filter(kind="sign_in_failed", user=sam.user).count() >= 5


def test_failures_from_elsewhere_cannot_lock_a_colleague_out(sam):
    for _ in range(6):
        _fail("sam", REMOTE_ADDR="203.0.113.9")
    response = password_step(Client(), "sam", REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302


def test_an_address_trying_many_usernames_is_locked_after_its_own_limit(settings, sam):
    settings.PODS_LOCKOUT_ADDRESS_FAILURES = 8
    for n in range(7):
        assert _fail(f"someone{n}", REMOTE_ADDR="203.0.113.50").status_code == 200
    assert _fail("someone-else", REMOTE_ADDR="203.0.113.50").status_code == 429
    # Even the right password of a real account is refused from that address...
    assert password_step(Client(), "sam", REMOTE_ADDR="203.0.113.50").status_code == 429
    # ...and accepted from any other.
    assert password_step(Client(), "sam", REMOTE_ADDR="203.0.113.51").status_code == 302


def test_the_address_limit_is_30_by_default_and_the_account_limit_5(settings):
    assert settings.PODS_LOCKOUT_ADDRESS_FAILURES == 30
    assert settings.PODS_LOCKOUT_ACCOUNT_FAILURES == 5


def test_signing_in_to_ones_own_account_does_not_clear_the_address_count(settings, sam):
    settings.PODS_LOCKOUT_ADDRESS_FAILURES = 6
    for n in range(5):
        _fail(f"victim{n}", REMOTE_ADDR="203.0.113.60")
    assert password_step(Client(), "sam", REMOTE_ADDR="203.0.113.60").status_code == 302
    assert _fail("victim9", REMOTE_ADDR="203.0.113.60").status_code == 429


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.PODS_TRUSTED_PROXIES = 0
    assert client_address(_request("192.0.2.1", "6.6.6.6")) == "192.0.2.1"


def test_behind_one_proxy_the_client_is_the_last_entry_whatever_came_before(settings):
    settings.PODS_TRUSTED_PROXIES = 1
    assert client_address(_request("10.0.0.2", "198.51.100.7")) == "198.51.100.7"
    spoofed = _request("10.0.0.2", "1.2.3.4, 5.6.7.8, 198.51.100.7")
    assert client_address(spoofed) == "198.51.100.7"


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    settings.PODS_TRUSTED_PROXIES = 2
    request = _request("10.0.0.3", "6.6.6.6, 198.51.100.7, 10.0.0.2")
    assert client_address(request) == "198.51.100.7"


def test_a_short_or_garbled_chain_falls_back_to_the_connecting_address(settings):
    settings.PODS_TRUSTED_PROXIES = 2
    assert client_address(_request("10.0.0.3", "198.51.100.7")) == "10.0.0.3"
    assert client_address(_request("10.0.0.3", "not-an-ip, 10.0.0.2")) == "10.0.0.3"


def test_a_spoofed_chain_cannot_dodge_the_lockout(settings):
    settings.PODS_TRUSTED_PROXIES = 1
    make_worker(username="priya", password=PASSWORD)
    for n in range(4):
        forwarded = f"10.9.9.{n}, 198.51.100.7"
        assert (
            _fail("priya", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).status_code
            == 200
        )
    locked = _fail("priya", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="8.8.8.8, 198.51.100.7")
    assert locked.status_code == 429
    event = SecurityEvent.objects.filter(kind="sign_in_failed").first()
    assert event.address == "198.51.100.7"
