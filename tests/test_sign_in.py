"""Sign-in and safety: every page needs sign-in, lockout, idle expiry, headers, /healthz."""

import os
import subprocess
import sys
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.second_factor import DEMO_SECRET, current_code, demo_device_enrol
from tests.clients import signed_in_client
from tests.factories import PASSWORD, make_worker

pytestmark = pytest.mark.django_db
# Open by design: the survey's thank-you page, for someone who answered through a single-use
# link without signing in (tests/feedback/test_survey_link.py covers those pages).
OPEN_URLS = {"/healthz", "/sign-in/", "/admin/login/", "/survey/thanks/"}


def _all_paths(resolver=None, prefix=""):
    """A concrete path for every URL pattern (1 for each integer argument)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(pattern, URLResolver):
            yield from _all_paths(pattern, route)
        elif isinstance(pattern, URLPattern):
            path = route.replace("<int:team_id>", "1").replace("<int:session_id>", "1")
            for converter in ("<path:object_id>", "<path:app_label>", "<id>", "<app_label>"):
                path = path.replace(converter, "1")
            if "(?P" not in path and "<" not in path:
                yield "/" + path


def _sign_in(client, username, password):
    return client.post("/sign-in/", {"username": username, "password": password})


def test_every_page_needs_sign_in(client):
    paths = sorted(set(_all_paths()) - OPEN_URLS)
    assert "/my-pod/" in paths and "/teams/" in paths and "/duty-rota/" in paths
    assert "/account/" in paths and "/account/sessions/1/end/" in paths
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/sign-in/") or response.url.startswith("/admin/login/"), (
            path
        )


def test_the_sign_in_page_and_healthz_are_open(client):
    assert client.get("/sign-in/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_signing_in_takes_the_worker_to_their_second_factor_then_their_home_page(client):
    worker = make_worker(username="sam", password=PASSWORD)
    demo_device_enrol(user=worker.user)
    response = _sign_in(client, "sam", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").url == "/account/second-factor/"
    response = client.post("/account/second-factor/", {"code": current_code(DEMO_SECRET)})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_gets_a_clear_message_and_no_session(client):
    make_worker(username="sam", password=PASSWORD)
    response = _sign_in(client, "sam", "not-the-password")
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "The username or password is not right" in content
    assert "after 5 failed attempts the account is locked for 15 minutes" in content
    assert client.get("/").status_code == 302


def test_five_failures_lock_the_account_with_a_message_saying_what_to_do(client):
    make_worker(username="sam", password=PASSWORD)
    for _ in range(4):
        assert _sign_in(client, "sam", "wrong").status_code == 200
    locked = _sign_in(client, "sam", "wrong")
    assert locked.status_code == 429
    assert b"This account is locked" in locked.content
    assert b"Wait 15 minutes" in locked.content
    assert b"contact your council" in locked.content
    # Even the right password is refused while the lock lasts.
    assert _sign_in(Client(), "sam", PASSWORD).status_code == 429


def test_the_lock_is_per_account_so_colleagues_can_still_sign_in(client):
    make_worker(username="sam", password=PASSWORD)
    make_worker(username="priya", password=PASSWORD)
    for _ in range(5):
        _sign_in(client, "sam", "wrong")
    assert _sign_in(Client(), "priya", PASSWORD).status_code == 302


def test_idle_sessions_expire_after_the_configured_time():
    worker = make_worker(username="sam", password=PASSWORD)
    with override_settings(SESSION_COOKIE_AGE=2):
        client = signed_in_client(worker.user)
        for _ in range(3):  # activity keeps the session alive past its age
            time.sleep(1)
            assert client.get("/").status_code == 200
        time.sleep(3)  # idle for longer than the age
        response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")


def test_the_default_idle_time_is_30_minutes(settings):
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short1!", "too short"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_passwords_are_checked_by_djangos_validators(password, problem):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(problem in message for message in error.value.messages)


def test_pages_carry_the_security_headers(client):
    response = client.get("/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_healthz_answers_503_naming_redis_when_redis_does_not_answer(client):
    broken_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "unix:///nonexistent/redis.sock",
        }
    }
    with override_settings(CACHES=broken_cache):  # Django resets its cache handlers
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: redis"


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "PODS_HTTPS": "true",
        "DJANGO_SECRET_KEY": "a-production-secret-key-that-is-long-and-random-" + "x7Qp9" * 6,
        "DJANGO_ALLOWED_HOSTS": "pods.example.gov.uk",
        "EMAIL_URL": "smtp+tls://pods:secret@relay.example.gov.uk:587",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_with_the_development_secret_key():
    env = {**os.environ, "PODS_HTTPS": "true"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr
