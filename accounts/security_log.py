"""Writing to the security log: one function, called by every app's services and views."""

from __future__ import annotations

from django.db import models

from accounts.addresses import client_address
from accounts.models import SecurityEvent

Kind = SecurityEvent.Kind
Outcome = SecurityEvent.Outcome


def security_event_record(
    *,
    kind: str,
    request=None,
    user=None,
    username: str = "",
    outcome: str = Outcome.SUCCESS,
    target: models.Model | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Record one security event. ``user`` defaults to the request's signed-in user and the
    address comes from the request (``accounts.addresses``); ``target`` is the object the
    event concerns (a family, a user, a team), kept by type, id and label."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return SecurityEvent.objects.create(
        kind=kind,
        outcome=outcome,
        user=user,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        address=client_address(request) if request is not None else None,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=_label(target)[:200],
        detail=detail,
    )


def _label(target) -> str:
    """How the log names the object: a family by its reference only (``security_label``),
    so the log carries no child's name; anything else by its ``str``."""
    if target is None:
        return ""
    return str(getattr(target, "security_label", None) or target)
