"""Celery tasks of feedback: each takes ids (or a day) and calls one service.

Surveys: a link's email (its token made in the worker, never queued), and the nightly seal of
the waves that have closed (feedback/surveys/sealing.py)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from feedback.surveys import sealing, services


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=5, retry_backoff=True)
def send_survey_link(link_id: int) -> str:
    """Email one survey link (a mail server that does not answer is tried again)."""
    return services.link_send(link_id=link_id)


@shared_task(acks_late=True)
def seal_closed_survey_waves(day: str | None = None) -> int:
    """Beat, each night: seal the waves that have closed, so the order of their answers
    cannot be read from the database. Returns how many were sealed."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return sealing.seal_closed_waves(today=today)
