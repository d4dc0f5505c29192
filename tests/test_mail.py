"""Email (DESIGN §2): EMAIL_URL in a deployment; with none, the local SMTP server of
config/mail.py, which keeps every message as an .eml file. Mail is sent from a real Celery
worker through real SMTP, and read back from the file."""

import os
import shutil
import signal
import smtplib
import subprocess
import sys
import time

import pytest
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django.core.mail import EmailMessage

from config import mail
from config.celery import app
from tests.scheduling import conftest_letters

mail_server = conftest_letters.mail_server  # the real SMTP server, as a fixture here


@shared_task
def send_test_message(to: str) -> str:
    """A task of this module only: the smallest email a worker can send."""
    EmailMessage(subject="From the worker", body="Sent by Celery", to=[to]).send()
    return "sent"


class TestThePort:
    def test_each_instance_has_its_own_port_in_a_quiet_range(self, monkeypatch):
        monkeypatch.delenv("PODS_MAIL_PORT", raising=False)
        ports = {mail.port_for(name) for name in ("dev", "test", "bench", "test-letters")}
        assert len(ports) == 4
        assert all(20000 <= port < 30000 for port in ports)
        assert mail.port_for("dev") == mail.port_for("dev")

    def test_pods_mail_port_chooses_it(self, monkeypatch):
        monkeypatch.setenv("PODS_MAIL_PORT", "2525")
        assert mail.port_for("dev") == 2525
        monkeypatch.setenv("PODS_MAIL_PORT", "not a port")
        with pytest.raises(ValueError, match="PODS_MAIL_PORT must be a port number"):
            mail.port_for("dev")

    @pytest.mark.skipif("EMAIL_URL" in os.environ, reason="this run sends through EMAIL_URL")
    def test_with_no_email_url_the_settings_point_at_the_instances_local_server(self):
        from django.conf import settings as live

        assert live.PODS_LOCAL_MAIL is True
        assert (
            "127.0.0.1",
            mail.port_for(live.PODS_INSTANCE),
        ) == (live.EMAIL_HOST, live.EMAIL_PORT)


def _settings_with(**variables) -> str:
    env = {**os.environ, **variables}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER, "
        "s.PODS_LOCAL_MAIL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_deployments_email_url_is_used_with_tls():
    printed = _settings_with(EMAIL_URL="smtp+tls://relay-user:secret@smtp.council.example:587")
    assert printed == (
        "django.core.mail.backends.smtp.EmailBackend smtp.council.example 587 True relay-user False"
    )


class TestTheServer:
    def test_every_message_is_kept_whole_as_an_eml_file(self, tmp_path):
        with mail.MailServer(tmp_path) as server, smtplib.SMTP(server.host, server.port) as smtp:
            smtp.sendmail(
                "pods@brightwater.example",
                ["one@example.org", "blind@example.org"],
                b"Subject: Hello\r\nTo: one@example.org\r\n\r\nThe body\r\n",
            )
        (message,) = mail.read_messages(tmp_path)
        assert message["Subject"] == "Hello"
        assert message.get_content().strip() == "The body"
        assert message["Return-Path"] == "<pods@brightwater.example>"
        assert message["X-Original-To"] == "one@example.org, blind@example.org"
        assert [path.suffix for path in tmp_path.iterdir()] == [".eml"]

    def test_make_run_serves_it_until_told_to_stop(self, tmp_path):
        port = mail.free_port()
        env = {**os.environ, "PODS_MAIL_PORT": str(port), "PODS_INSTANCE": "test-mail-serve"}
        server = subprocess.Popen(
            [sys.executable, "-m", "config.mail", "serve"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert f"SMTP on 127.0.0.1:{port}" in server.stdout.readline()
            with smtplib.SMTP("127.0.0.1", port) as smtp:
                smtp.sendmail("a@example.org", ["b@example.org"], b"Subject: Served\r\n\r\nHi\r\n")
            folder = mail.mail_dir("test-mail-serve")
            messages = mail.wait_for_messages(folder, 1, timeout=10)
            assert any(message["Subject"] == "Served" for message in messages)
        finally:
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=15) == 0
            shutil.rmtree(mail.instance_dir("test-mail-serve"))


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_through_real_smtp_into_an_eml_file(mail_server):
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        assert send_test_message.delay("someone@example.org").get(timeout=60) == "sent"
    deadline = time.monotonic() + 10
    while not mail_server.messages() and time.monotonic() < deadline:
        time.sleep(0.1)
    (message,) = mail_server.messages()
    assert message["Subject"] == "From the worker"
    assert message["To"] == "someone@example.org"
    assert message["From"] == "Brightwater Children's Services <pods@brightwater.example>"
    assert message.get_content().strip() == "Sent by Celery"
