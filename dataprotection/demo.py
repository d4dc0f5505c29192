"""The demo's data protection: this month's retention review, as the monthly task would have
made it on the 1st, and one legal hold (an inquiry's moratorium on a family that has passed
its date), so the data protection officers' page has something on it."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model

from dataprotection.models import LegalHold, ReviewItem
from dataprotection.review import build_review, counts_by_status

DPO_USERNAME = "data-protection-officer"


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    officer = get_user_model().objects.filter(username=DPO_USERNAME).first()
    if officer is None:
        return {"review items": 0}
    review = build_review(today)
    due = list(
        review.items.filter(status=ReviewItem.Status.DUE, family__isnull=False).order_by("pk")[:50]
    )
    held = 0
    if due:
        chosen = rng.choice(due)
        hold = LegalHold.objects.create(
            kind=LegalHold.Kind.INQUIRY,
            title="Local inquiry into historical care",
            reason="The inquiry asked the council to keep every record it may need.",
            family_id=chosen.family_id,
            placed=today - datetime.timedelta(days=90),
            placed_by=officer,
        )
        ReviewItem.objects.filter(pk=chosen.pk).update(
            status=ReviewItem.Status.HELD,
            reason=f"legal hold “{hold.title}” ({hold.get_kind_display()})",
        )
        held = 1
    counts = counts_by_status(review)
    return {
        "review items": sum(counts.values()),
        "due": counts.get(ReviewItem.Status.DUE, 0),
        "unknown dates": counts.get(ReviewItem.Status.UNKNOWN, 0),
        "held": held,
    }
