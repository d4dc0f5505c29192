"""Signing in through the real pages: password, then the second factor."""

import re

import pytest
from django.test import Client

from accounts.second_factor import DEMO_SECRET, current_code, demo_device_enrol
from tests.factories import PASSWORD, make_worker


def password_step(client, username, password=PASSWORD, **extra):
    return client.post("/sign-in/", {"username": username, "password": password}, **extra)


def sign_in(client, username, *, steps_ahead=0, **extra):
    """Password, then a code from an app holding the demo secret; returns the code's response."""
    response = password_step(client, username, **extra)
    assert response.status_code == 302, response.content
    return client.post(
        "/account/second-factor/",
        {"code": current_code(DEMO_SECRET, steps_ahead=steps_ahead)},
        **extra,
    )


def set_up_page(client):
    """The set-up page: the response, the key shown for typing (no spaces), the device."""
    response = client.get("/account/second-factor/set-up/")
    content = response.content.decode()
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', content).group(1)
    device = re.search(r'name="device" value="(\d+)"', content).group(1)
    return response, secret.replace(" ", ""), device


@pytest.fixture
def sam(db):
    """A worker with a password and an authenticator app holding the demo secret."""
    worker = make_worker(username="sam", password=PASSWORD)
    demo_device_enrol(user=worker.user)
    return worker


@pytest.fixture
def newcomer(db):
    """A worker who has never signed in: no second factor yet."""
    return make_worker(username="newcomer", password=PASSWORD)


@pytest.fixture
def browser_client():
    return Client(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Chrome/130 test")
