"""`make run`: migrate, seed the demo authority when the database is empty, compute the
figures of any month missing, then run the web server, a Celery worker and Celery beat (and,
with no EMAIL_URL, the local SMTP server that keeps each email as an .eml file) together
until Ctrl-C, which stops all of them (and the embedded PostgreSQL and Redis, when this
command started them)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from config import embedded

ADDRESS = os.environ.get("PODS_ADDRESS", "127.0.0.1:8000")
MANAGE = [sys.executable, "manage.py"]


def _servers_running(instance: str) -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "config.embedded", "status", instance],
        capture_output=True,
        text=True,
    )
    return "PostgreSQL running" in result.stdout and "Redis running" in result.stdout


def _print_sign_ins() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from accounts.demo_secret import DEMO_SECRET
    from pods.demo import ADMIN_USERNAME, DEMO_ACCOUNTS, DEMO_PASSWORD
    from pods.demo_sign_in import enrol_missing

    enrol_missing()

    print(f"\nPods is running on http://{ADDRESS}/  (Ctrl-C stops it)\n")
    print(f"Demo sign-ins, all with the password {DEMO_PASSWORD!r}:")
    for username, first, last, role, _team in DEMO_ACCOUNTS:
        print(f"  {username:<22} {first} {last}, {role.label}")
    print(f"  {ADMIN_USERNAME:<22} administrator (Django admin at /admin/)\n")
    print(
        "Then a code from an authenticator app holding the demo secret "
        f"{DEMO_SECRET},\nor the one `.venv/bin/python manage.py demo_code` prints.\n",
        flush=True,
    )


def _mail_server(instance: str) -> list[list[str]]:
    """The local SMTP server when no EMAIL_URL is set (config/mail.py), saying where mail
    goes either way."""
    if os.environ.get("EMAIL_URL"):
        print("Email goes out through EMAIL_URL.\n", flush=True)
        return []
    from config import mail

    print(
        f"Email is not sent anywhere: a local SMTP server on {mail.HOST}:"
        f"{mail.port_for(instance)} keeps each message as an .eml file in\n"
        f"  {mail.mail_dir(instance)}\n",
        flush=True,
    )
    return [[sys.executable, "-m", "config.mail", "serve", instance]]


def _run_until_interrupted(commands: list[list[str]]) -> None:
    # Children get their own session, so Ctrl-C reaches only this process, which then
    # stops them in order rather than all at once.
    processes = [subprocess.Popen(command, start_new_session=True) for command in commands]
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        print("A process stopped on its own; stopping the others.", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nStopping Pods…")
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _interrupt(*_):
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C and a plain `kill` both stop everything, even when started from a script
    # that left SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    instance = os.environ.setdefault("PODS_INSTANCE", "dev")
    servers_were_running = _servers_running(instance)
    try:
        embedded.ensure_postgres(instance)
        embedded.ensure_redis(instance)
        subprocess.run([*MANAGE, "migrate", "--noinput", "-v", "0"], check=True)
        subprocess.run([*MANAGE, "seed_demo", "--if-empty"], check=True)
        # The dashboards read the monthly figures: compute any month missing, here and now
        # (every scope of 36 months in seconds), so they are full as soon as the site serves.
        subprocess.run([*MANAGE, "build_monthly_reports", "--missing", "--here"], check=True)
        _print_sign_ins()
        _run_until_interrupted(
            [
                *_mail_server(instance),
                [*MANAGE, "runserver", ADDRESS],
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info",
                 "--concurrency", "2"],
                [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info"],
            ]
        )  # fmt: skip
    except KeyboardInterrupt:
        print("\nStopped before start-up finished.")
    finally:
        if not servers_were_running:
            embedded.stop_postgres(instance)
            embedded.stop_redis(instance)
            print("Stopped the embedded PostgreSQL and Redis.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
