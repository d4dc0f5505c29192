"""A fresh password or code before the sensitive actions (DESIGN §5, ASVS 4.0.3 V3.7.1).

Break glass, restricting a record, granting access, sharing the One Story PDF and an
administrator's changes to people and roles ask the person to confirm it is them when they
last did so (signing in counts) more than ``PODS_REAUTHENTICATE_MINUTES`` ago."""

from __future__ import annotations

import functools
import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

AUTHENTICATED_AT_SESSION_KEY = "pods_authenticated_at"


def mark_authenticated(request) -> None:
    """The person has just given their password or a code: start the five minutes."""
    request.session[AUTHENTICATED_AT_SESSION_KEY] = time.time()


def is_recently_authenticated(request) -> bool:
    authenticated_at = request.session.get(AUTHENTICATED_AT_SESSION_KEY)
    if authenticated_at is None:
        return False
    return time.time() - authenticated_at <= settings.PODS_REAUTHENTICATE_MINUTES * 60


def reauthenticate_url(next_path: str) -> str:
    return f"{reverse('reauthenticate')}?{urlencode({'next': next_path})}"


def reauthentication_required(view):
    """Send the person to confirm it is them first, then back to this page. A POST that
    arrives too late is not acted on: they confirm, then see the form again."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_recently_authenticated(request):
            return redirect(reauthenticate_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapped
