"""Signed-in sessions: an absolute limit, a record of each one, and ending them.

Idle expiry is Django's own (the session cookie's age moves on with every request, settings).
On top of it a session lasts at most ``PODS_SESSION_ABSOLUTE_HOURS`` from the password
(ASVS 3.3.3), and each session signed in with both factors has a ``SignedInSession`` row
that its owner sees and can end. Ending a session deletes it from the session store, so the
cookie stops working at once on whichever computer holds it."""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.utils import timezone

from accounts.addresses import client_address
from accounts.models import SignedInSession
from accounts.security_log import Kind, security_event_record

SIGNED_IN_AT_SESSION_KEY = "pods_signed_in_at"
RECORD_SESSION_KEY = "pods_signed_in_session"
LAST_SEEN_SESSION_KEY = "pods_last_seen"
# How often a request writes "last seen" (a write on every page would cost every page).
LAST_SEEN_EVERY_SECONDS = 60


def _store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def password_accepted(request) -> None:
    """The password step is done: the absolute limit counts from here."""
    request.session[SIGNED_IN_AT_SESSION_KEY] = time.time()


def absolute_limit_passed(request) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
    if signed_in_at is None:
        # A session from before this rule (or made in a test): the limit starts now.
        request.session[SIGNED_IN_AT_SESSION_KEY] = time.time()
        return False
    return time.time() - signed_in_at > settings.PODS_SESSION_ABSOLUTE_HOURS * 3600


def session_record_start(request) -> SignedInSession:
    """Both factors are done: note the session, where from and which browser."""
    if not request.session.session_key:
        request.session.save()
    record, _ = SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": request.user,
            "signed_in": timezone.now(),
            "last_seen": timezone.now(),
            "address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    request.session[RECORD_SESSION_KEY] = record.pk
    request.session[LAST_SEEN_SESSION_KEY] = time.time()
    return record


def session_record_touch(request) -> bool:
    """Move "last seen" on at most once a minute. Returns False when the session's record
    has gone (ended from another computer), so the caller signs this one out."""
    record_id = request.session.get(RECORD_SESSION_KEY)
    if record_id is None:
        return True
    last = request.session.get(LAST_SEEN_SESSION_KEY, 0)
    if time.time() - last < LAST_SEEN_EVERY_SECONDS:
        return True
    updated = SignedInSession.objects.filter(pk=record_id, user=request.user).update(
        last_seen=timezone.now(), session_key=request.session.session_key or ""
    )
    request.session[LAST_SEEN_SESSION_KEY] = time.time()
    return bool(updated)


def sessions_of(user):
    """The user's signed-in sessions that have not expired, newest first."""
    return SignedInSession.objects.filter(user=user).order_by("-last_seen")


def live_sessions_of(user) -> list[SignedInSession]:
    """The sessions still alive in the store; rows of sessions that expired are dropped."""
    alive, gone = [], []
    for record in sessions_of(user):
        # load() is empty for a session that has expired or been deleted.
        (alive if _store(record.session_key).load() else gone).append(record.pk)
    if gone:
        SignedInSession.objects.filter(pk__in=gone).delete()
    return list(SignedInSession.objects.filter(pk__in=alive).order_by("-last_seen"))


@transaction.atomic
def session_end(*, record: SignedInSession, request) -> None:
    """End one of the user's sessions: its cookie stops working at once."""
    _store(record.session_key).delete(record.session_key)
    security_event_record(
        kind=Kind.SESSION_ENDED,
        request=request,
        detail=f"Session from {record.address or 'an unknown address'} signed in "
        f"{timezone.localtime(record.signed_in):%d %b %Y %H:%M}",
    )
    record.delete()


def sessions_end_all(*, user) -> int:
    """End every recorded session of ``user`` (an administrator's second-factor reset): a
    stolen computer still signed in must not go on to set up an app of its own."""
    records = list(SignedInSession.objects.filter(user=user))
    for record in records:
        _store(record.session_key).delete(record.session_key)
    SignedInSession.objects.filter(pk__in=[record.pk for record in records]).delete()
    return len(records)


def password_given_within(request, seconds: float) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
    return signed_in_at is not None and time.time() - signed_in_at <= seconds


@transaction.atomic
def password_change_done(*, request, user) -> int:
    """After a new password: keep this session, end every other one. Returns how many."""
    update_session_auth_hash(request, user)  # a new key for this session; others invalid
    others = SignedInSession.objects.filter(user=user).exclude(
        pk=request.session.get(RECORD_SESSION_KEY)
    )
    ended = 0
    for record in others:
        _store(record.session_key).delete(record.session_key)
        ended += 1
    others.delete()
    SignedInSession.objects.filter(pk=request.session.get(RECORD_SESSION_KEY)).update(
        session_key=request.session.session_key
    )
    security_event_record(
        kind=Kind.PASSWORD_CHANGED,
        request=request,
        user=user,
        detail=f"{ended} other session(s) ended",
    )
    return ended
