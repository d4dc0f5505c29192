"""Single-use survey links. The token is made by ``secrets.token_urlsafe`` and only its sha256
is kept, so a copy of the database cannot answer a survey. A link works until the end of the
wave's closing day in London, once.

Using a link is its own transaction (``link_use``), committed before the answers are written:
the row that says who answered is not written in the same transaction as what they answered,
so the two do not share a transaction id. If writing the answers then fails, ``link_unuse``
gives the person their link back."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import zoneinfo

from django.db import transaction
from django.utils import timezone

from feedback.models import SurveyLink

LONDON = zoneinfo.ZoneInfo("Europe/London")
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unusable_hash() -> str:
    """For a link not sent yet: the hash of a token nobody is told."""
    return token_hash(new_token())


def expires_at(closes: datetime.date) -> datetime.datetime:
    """Midnight at the end of the closing day, London time (BST or GMT as it falls)."""
    next_day = closes + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time(0), tzinfo=LONDON)


def is_open(link: SurveyLink, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return link.used is None and now < expires_at(link.wave.closes)


def link_for_token(token: str) -> SurveyLink | None:
    """The unused, unexpired link for ``token``, or None: a used, expired and forged link are
    the same None, so the page they get says the same thing."""
    if not token or len(token) > 100:
        return None
    link = (
        SurveyLink.objects.select_related("wave__instrument")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None or not is_open(link):
        return None
    return link


def used_stamp(link: SurveyLink, now: datetime.datetime) -> datetime.datetime:
    """When a link is recorded as used: for an anonymous instrument, only the day (midnight in
    London), so the moment of answering is not kept beside the name."""
    if not link.wave.instrument.anonymous:
        return now
    day = timezone.localtime(now, LONDON).date()
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=LONDON)


def link_use(*, link: SurveyLink) -> bool:
    """Mark the link used, in its own committed transaction; False if it was used (or expired)
    meanwhile, as when the same form is sent twice."""
    now = timezone.now()
    if now >= expires_at(link.wave.closes):
        return False
    with transaction.atomic():
        updated = SurveyLink.objects.filter(pk=link.pk, used__isnull=True).update(
            used=used_stamp(link, now)
        )
    return updated == 1


def link_unuse(*, link: SurveyLink) -> None:
    """Give the link back after the answers could not be written."""
    with transaction.atomic():
        SurveyLink.objects.filter(pk=link.pk).update(used=None)
