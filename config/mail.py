"""The local SMTP server that email goes to when no EMAIL_URL is set (DESIGN §2).

It is a real SMTP server (``aiosmtpd``) on the loopback address, one port per instance
(``PODS_MAIL_PORT``, or a port derived from the instance's name), that keeps every message
it receives as an ``.eml`` file under ``.data/<instance>/mail/``: a developer opens exactly
what a worker or a professional would get, attachments and all. Nothing is relayed anywhere.

``make run`` (config/run.py) runs it beside web, worker and beat as
``python -m config.mail serve``; the tests start one of their own with ``MailServer``.

This module must not import Django: settings import it for the port.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
import os
import signal
import socket
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from config.embedded import instance_dir

HOST = "127.0.0.1"
# Derived ports fall in 20000–29999: above the well-known ports, below Linux's ephemeral
# range (32768 and up), so a derived port never collides with an outgoing connection.
DERIVED_PORT_BASE = 20000
DERIVED_PORT_SPAN = 10000


def mail_dir(instance: str) -> Path:
    """Where the instance's messages are kept, one ``.eml`` file each."""
    path = instance_dir(instance) / "mail"
    path.mkdir(parents=True, exist_ok=True)
    return path


def port_for(instance: str) -> int:
    """The instance's SMTP port: ``PODS_MAIL_PORT`` when set, else one derived from its name,
    so ``dev`` and each engineer's test instance listen side by side."""
    configured = os.environ.get("PODS_MAIL_PORT", "").strip()
    if configured:
        try:
            port = int(configured)
        except ValueError:
            raise ValueError(f"PODS_MAIL_PORT must be a port number, not {configured!r}") from None
        if not 0 < port < 65536:
            raise ValueError(f"PODS_MAIL_PORT must be between 1 and 65535, not {port}")
        return port
    digest = hashlib.sha1(instance.encode(), usedforsecurity=False).hexdigest()
    return DERIVED_PORT_BASE + int(digest[:8], 16) % DERIVED_PORT_SPAN


def free_port() -> int:
    """A port nobody listens on now (for a test's own server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class SaveAsEml:
    """aiosmtpd handler: each message accepted is written whole to its own ``.eml`` file,
    under a temporary name first and then renamed, so a reader never sees half a message.
    ``Return-Path`` and ``X-Original-To`` are added as a mail store would, so a blind copy's
    recipient is still known."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name for the hook
        headers = (
            f"Return-Path: <{envelope.mail_from}>\r\n"
            f"X-Original-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}.eml"
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        with os.fdopen(handle, "wb") as file:
            file.write(headers + content)
        os.replace(temporary, self.folder / name)
        return "250 Message accepted for delivery"


@dataclass
class MailServer:
    """An SMTP server on ``HOST:port`` keeping messages in ``folder``, run in a thread.
    ``with MailServer(folder) as server:`` starts and stops it."""

    folder: Path
    port: int = field(default_factory=free_port)
    host: str = HOST

    def __post_init__(self):
        from aiosmtpd.controller import Controller  # only the processes that serve mail

        # aiosmtpd narrates every connection at INFO; its warnings are what matter.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.folder = Path(self.folder)
        self._controller = Controller(SaveAsEml(self.folder), hostname=self.host, port=self.port)

    def start(self) -> MailServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> MailServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def messages(self) -> list[email.message.EmailMessage]:
        """Every message kept so far, oldest first."""
        return read_messages(self.folder)


def read_messages(folder: Path) -> list[email.message.EmailMessage]:
    paths = sorted(Path(folder).glob("*.eml"), key=lambda path: (path.stat().st_mtime, path.name))
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in paths
    ]


def wait_for_messages(folder: Path, count: int, timeout: float = 60) -> list:
    """The messages in ``folder`` once there are at least ``count`` of them (for tests)."""
    deadline = time.monotonic() + timeout
    while True:
        found = read_messages(folder)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def serve(instance: str) -> int:
    """Run the instance's server until SIGINT or SIGTERM (``make run``)."""
    folder = mail_dir(instance)
    port = port_for(instance)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    with MailServer(folder, port=port):
        print(f"[{instance}] SMTP on {HOST}:{port}, keeping each message in {folder}", flush=True)
        stopped.wait()
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("serve", "where") or len(argv) > 2:
        print("usage: python -m config.mail serve|where [instance]", file=sys.stderr)
        return 2
    instance = argv[1] if len(argv) == 2 else os.environ.get("PODS_INSTANCE", "dev")
    if argv[0] == "where":
        print(f"{HOST}:{port_for(instance)} {mail_dir(instance)}")
        return 0
    return serve(instance)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
