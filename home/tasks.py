"""Celery tasks of home: the daily digest. Each takes ids (or a day) and calls home.digest."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from home import digest
from pods.models import Worker
from pods.working_days import is_working_day

logger = logging.getLogger(__name__)

# A day's digest is remembered as sent for longer than any retry could take.
SENT_MEMORY_SECONDS = 3 * 24 * 60 * 60
# One delivery at a time per worker and day (a redelivered task waits its turn, then finds
# the digest sent).
SENDING_LOCK_SECONDS = 10 * 60


def sent_key(worker_id: int, day: datetime.date) -> str:
    return f"digest-sent:{day.isoformat()}:{worker_id}"


@shared_task(acks_late=True)
def send_daily_digests(day: str | None = None) -> int:
    """Beat, each morning (London time): queue one digest email per worker, on working days
    only (not at weekends or on England and Wales bank holidays). Returns how many were
    queued."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    if not is_working_day(today):
        return 0
    worker_ids = list(digest.digest_recipients(today).values_list("pk", flat=True))
    for worker_id in worker_ids:
        send_digest.delay(worker_id, today.isoformat())
    return len(worker_ids)


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=5, retry_backoff=True)
def send_digest(worker_id: int, day: str) -> str:
    """Build and send one worker's digest for ``day``, once: a retry or a second delivery
    after it went finds it recorded as sent and sends nothing."""
    today = datetime.date.fromisoformat(day)
    key = sent_key(worker_id, today)
    if cache.get(key):
        return "already sent"
    if not cache.add(f"{key}:sending", True, SENDING_LOCK_SECONDS):
        return "being sent"
    try:
        worker = Worker.objects.select_related("user").filter(pk=worker_id).first()
        found = digest.digest_for(worker, today) if worker is not None else None
        if found is None:
            return "nothing to send"
        found.message().send()
        cache.set(key, True, SENT_MEMORY_SECONDS)
        return "sent"
    finally:
        cache.delete(f"{key}:sending")
