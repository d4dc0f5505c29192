"""The second factor: set up at first sign-in, a code at every sign-in, backup codes once
each, and no way round it but a development setting that production refuses."""

import os
import re
import subprocess
import sys
import time
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from accounts.second_factor import DEMO_SECRET, current_code
from tests.accounts.conftest import password_step, set_up_page, sign_in

pytestmark = pytest.mark.django_db


def test_the_password_alone_opens_no_page(client, sam):
    assert password_step(client, "sam").status_code == 302
    for path in ("/", "/families/", "/my-pod/", "/reports/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/account/second-factor/"), path


def test_a_code_from_the_app_signs_in_and_is_logged(client, sam):
    response = sign_in(client, "sam")
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN)
    assert event.user == sam.user and event.address == "127.0.0.1"


def test_a_wrong_code_is_refused_clearly_logged_and_changes_nothing(client, sam):
    password_step(client, "sam")
    wrong = "000000" if current_code(DEMO_SECRET) != "000000" else "111111"
    response = client.post("/account/second-factor/", {"code": wrong})
    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    assert client.get("/").status_code == 302
    assert SecurityEvent.objects.filter(kind="second_factor_failed", user=sam.user).exists()
    assert not SecurityEvent.objects.filter(kind="sign_in").exists()


def test_a_code_that_is_not_six_digits_gets_its_own_message(client, sam):
    password_step(client, "sam")
    response = client.post("/account/second-factor/", {"code": "12ab"})
    assert "Enter the code as 6 digits" in response.content.decode()


def test_a_code_used_once_cannot_be_used_again(sam):
    first, second = Client(), Client()
    code = current_code(DEMO_SECRET)
    password_step(first, "sam")
    assert first.post("/account/second-factor/", {"code": code}).status_code == 302
    password_step(second, "sam")
    reused = second.post("/account/second-factor/", {"code": code})
    assert reused.status_code == 400
    assert "used already" in reused.content.decode()
    assert second.get("/").status_code == 302


def test_a_newcomer_sets_up_an_app_from_a_qr_code_drawn_here_and_gets_backup_codes(
    client, newcomer
):
    password_step(client, "newcomer")
    assert client.get("/").url.startswith("/account/second-factor/set-up/")
    response, secret, device = set_up_page(client)
    content = response.content.decode()
    assert "<svg" in content and "qrline" in content  # segno's SVG, in the page itself
    assert "http" not in content.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    done = client.post(
        "/account/second-factor/set-up/", {"code": current_code(secret), "device": device}
    )
    assert done.status_code == 302 and done.url.startswith("/account/backup-codes/")
    codes_page = client.get(done.url).content.decode()
    codes = re.findall(r"<code>([a-z0-9]+)</code>", codes_page)
    assert len(codes) == 10
    assert client.get("/account/backup-codes/").status_code == 302  # shown once only
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=newcomer.user).confirmed
    assert SecurityEvent.objects.filter(kind="second_factor_enrolled", user=newcomer.user).exists()


def test_setting_up_with_a_wrong_code_confirms_nothing(client, newcomer):
    password_step(client, "newcomer")
    _, secret, device = set_up_page(client)
    wrong = current_code(secret, steps_ahead=10)
    response = client.post("/account/second-factor/set-up/", {"code": wrong, "device": device})
    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer.user, confirmed=True).exists()


def test_an_expired_set_up_is_refused_and_a_new_qr_code_drawn(client, newcomer, settings):
    password_step(client, "newcomer")
    _, secret, device = set_up_page(client)
    TOTPDevice.objects.filter(pk=device).update(
        created_at=TOTPDevice.objects.get(pk=device).created_at.replace(year=2020)
    )
    response = client.post(
        "/account/second-factor/set-up/", {"code": current_code(secret), "device": device}
    )
    assert response.status_code == 400
    assert "That set-up has expired" in response.content.decode()
    assert not TOTPDevice.objects.filter(pk=device).exists()
    assert TOTPDevice.objects.filter(user=newcomer.user, confirmed=False).count() == 1
    assert client.get("/").status_code == 302


def test_someone_with_an_app_cannot_set_up_another_without_it(client, sam):
    password_step(client, "sam")
    response = client.get("/account/second-factor/set-up/")
    assert response.status_code == 302 and response.url == "/account/second-factor/"
    assert TOTPDevice.objects.filter(user=sam.user).count() == 1


def _backup_codes_for(user) -> list[str]:
    from accounts.second_factor import backup_codes_make

    return backup_codes_make(user=user)


def test_a_backup_code_signs_in_once_only(sam):
    codes = _backup_codes_for(sam.user)
    client = Client()
    password_step(client, "sam")
    response = client.post("/account/second-factor/backup/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=sam.user).count() == 9
    assert SecurityEvent.objects.filter(kind="backup_code_used", user=sam.user).exists()
    again = Client()
    password_step(again, "sam")
    refused = again.post("/account/second-factor/backup/", {"code": codes[0]})
    assert refused.status_code == 400
    assert "has been used already" in refused.content.decode()
    assert again.get("/").status_code == 302


def test_throttling_after_a_wrong_code_is_explained(client, sam):
    password_step(client, "sam")
    client.post("/account/second-factor/", {"code": "000001"})
    client.post("/account/second-factor/", {"code": "000002"})
    response = client.post("/account/second-factor/", {"code": current_code(DEMO_SECRET)})
    assert "Too many wrong codes" in response.content.decode()
    time.sleep(2.1)
    assert (
        client.post("/account/second-factor/", {"code": current_code(DEMO_SECRET)}).status_code
        == 302
    )


def test_the_demo_secret_gives_the_codes_of_any_authenticator_app():
    totp = TOTP(b32decode(DEMO_SECRET))
    assert current_code(DEMO_SECRET) == f"{totp.token():06d}"


def _manage(*args, **env_changes):
    env = {**os.environ, **env_changes}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_run_without_a_second_factor():
    result = _manage(
        "check",
        PODS_HTTPS="true",
        PODS_SECOND_FACTOR="false",
        DJANGO_SECRET_KEY="a-production-secret-key-that-is-long-and-random-" + "x7Qp9" * 6,
        DJANGO_ALLOWED_HOSTS="pods.example.gov.uk",
    )
    assert result.returncode != 0
    assert "PODS_SECOND_FACTOR=false is for development only" in result.stderr


def test_demo_code_prints_the_current_code():
    result = _manage("demo_code")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d{6}\n", result.stdout)


def test_the_development_setting_lets_the_password_alone_sign_in(client, newcomer, settings):
    settings.PODS_SECOND_FACTOR = False
    password_step(client, "newcomer")
    assert client.get("/").status_code == 200


def test_make_run_gives_demo_sign_ins_seeded_earlier_the_demo_app(db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pods.demo_sign_in import enrol_missing
    from tests.factories import make_worker

    sam = make_worker(username="social-worker")
    other = make_worker(username="not-a-demo-account")
    assert enrol_missing() == 1
    assert TOTPDevice.objects.get(user=sam.user, confirmed=True)
    assert not TOTPDevice.objects.filter(user=other.user).exists()
    assert enrol_missing() == 0


def test_demo_code_refuses_to_run_on_a_deployment():
    result = _manage(
        "demo_code",
        PODS_HTTPS="true",
        EMAIL_URL="smtp+tls://pods:secret@relay.example.gov.uk:587",
        DJANGO_SECRET_KEY="a-production-secret-key-that-is-long-and-random-" + "x7Qp9" * 6,
        DJANGO_ALLOWED_HOSTS="pods.example.gov.uk",
    )
    assert result.returncode != 0
    assert "There are no demo sign-ins on a deployment" in result.stderr


def test_the_session_key_changes_once_both_factors_are_given(client, sam):
    password_step(client, "sam")
    after_password = client.session.session_key
    client.post("/account/second-factor/", {"code": current_code(DEMO_SECRET)})
    assert client.session.session_key != after_password
    assert client.get("/").status_code == 200
