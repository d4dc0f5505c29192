"""What a production start refuses: the development SECRET_KEY whenever DEBUG is off (except
on the embedded servers of the test and benchmark instances), and seeding the demo
authority, whose superuser's password is published, on a deployment."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from pods.management.commands import seed_demo

# A deployment's database and Redis; `manage.py check` does not connect to either.
DEPLOYMENT = {
    "DATABASE_URL": "postgres://pods:pods@db.invalid:5432/pods",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def _check(**variables) -> subprocess.CompletedProcess:
    env = {**os.environ, **variables}
    for name in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG", "PODS_HTTPS", "DATABASE_URL", "REDIS_URL"):
        if name not in variables:
            env.pop(name, None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=120
    )


def test_a_deployment_without_https_refuses_the_development_secret_key():
    result = _check(**DEPLOYMENT)
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_the_dev_instance_with_debug_off_refuses_the_development_secret_key():
    result = _check(PODS_INSTANCE="dev")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_a_deployment_with_debug_on_accepts_the_development_secret_key():
    result = _check(**DEPLOYMENT, DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_deployment_with_its_own_secret_key_starts():
    result = _check(**DEPLOYMENT, DJANGO_SECRET_KEY="a-long-random-production-key-" + "k3Tz8" * 8)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_seed_demo_refuses_a_deployment(settings, monkeypatch):
    settings.PODS_HTTPS = True
    monkeypatch.setattr(seed_demo, "DEMO_BUILDERS", [])  # so that nothing slow runs if it seeds
    with pytest.raises(CommandError, match="PODS_HTTPS"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


def test_a_deployment_without_an_smtp_relay_refuses_to_start():
    """Without EMAIL_URL a deployment's digests and invitations would go to a local server."""
    result = _check(
        **DEPLOYMENT,
        PODS_HTTPS="true",
        DJANGO_SECRET_KEY="a-production-secret-key-that-is-long-and-random-" + "x7Qp9" * 6,
        DJANGO_ALLOWED_HOSTS="pods.example.gov.uk",
    )
    assert result.returncode != 0
    assert "Set EMAIL_URL to the council's SMTP relay" in result.stderr
