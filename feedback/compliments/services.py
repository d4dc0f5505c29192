"""Recording a compliment, and the worker marking one seen. Each saves everything or nothing
and raises a ValidationError naming the field and what to do."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from feedback.models import Compliment, Theme
from feedback.models.base import From, ReceivedBy

RECEIVED_IN_FUTURE = "The date it was received must be today or in the past"
HOW_NEEDED = "Choose how the compliment came"
WHO_NEEDED = "Choose who gave the compliment"
WORDS_NEEDED = "Enter what they said"
ABOUT_NOBODY = "Choose the worker, team or family the compliment is about"
NOT_A_COMPLIMENT_THEME = "Choose themes from the list of compliment themes"
NOT_YOURS = "Only the worker a compliment is for can mark it seen"


@transaction.atomic
def compliment_record(
    *,
    received: datetime.date,
    received_by: str,
    from_kind: str,
    words: str,
    by,
    from_name: str = "",
    family=None,
    worker=None,
    team=None,
    themes=(),
) -> Compliment:
    errors = {}
    if received is None or received > timezone.localdate():
        errors["received"] = RECEIVED_IN_FUTURE
    if received_by not in ReceivedBy.values:
        errors["received_by"] = HOW_NEEDED
    if from_kind not in From.values:
        errors["from_kind"] = WHO_NEEDED
    if not words.strip():
        errors["words"] = WORDS_NEEDED
    if family is None and worker is None and team is None:
        errors["worker"] = ABOUT_NOBODY
    if any(theme.used_for != Theme.For.COMPLIMENTS for theme in themes):
        errors["themes"] = NOT_A_COMPLIMENT_THEME
    if errors:
        raise ValidationError(errors)
    compliment = Compliment(
        received=received,
        received_by=received_by,
        from_kind=from_kind,
        from_name=from_name.strip(),
        family=family,
        worker=worker,
        team=team,
        words=words.strip(),
        recorded_by=by,
    )
    compliment.full_clean()
    compliment._history_user = by
    compliment.save()
    compliment.themes.set(themes)
    return compliment


@transaction.atomic
def compliment_mark_seen(*, compliment: Compliment, by) -> Compliment:
    """The worker has read it: it leaves their home page once 30 days have passed."""
    compliment = Compliment.objects.select_for_update().get(pk=compliment.pk)
    if compliment.worker is None or compliment.worker.user_id != by.pk:
        raise ValidationError(NOT_YOURS)
    if compliment.seen_by_worker is None:
        compliment.seen_by_worker = timezone.now()
        compliment._history_user = by
        compliment.save(update_fields=["seen_by_worker"])
    return compliment
