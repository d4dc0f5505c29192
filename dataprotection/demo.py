"""The demo's data protection: this month's retention review, as the monthly task would have
made it on the 1st, and one legal hold (an inquiry's moratorium on a family that has passed
its date), so the data protection officers' page has something on it; and one subject access
request from a mother for her family's record, logged twelve days ago, identity checked and
gathered, waiting for the officer to redact third parties and a second officer to sign it off."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model

from dataprotection import sar as sar_services
from dataprotection.models import LegalHold, ReviewItem, SubjectAccessRequest
from dataprotection.review import build_review, counts_by_status
from families.models import Episode, FamilyMember

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
    gathered = _subject_access_request(rng=rng, today=today, officer=officer)
    return {
        "subject access records gathered": gathered,
        "review items": sum(counts.values()),
        "due": counts.get(ReviewItem.Status.DUE, 0),
        "unknown dates": counts.get(ReviewItem.Status.UNKNOWN, 0),
        "held": held,
    }


def _subject_access_request(*, rng: random.Random, today: datetime.date, officer) -> int:
    mothers = list(
        FamilyMember.objects.filter(
            relationship=FamilyMember.Relationship.MOTHER,
            family__restricted=False,
            family__in=Episode.objects.filter(end__isnull=True).values("family"),
        )
        .select_related("person")
        .order_by("pk")[:200]
    )
    if not mothers:
        return 0
    mother = rng.choice(mothers).person
    received = today - datetime.timedelta(days=12)
    sar = sar_services.sar_log(
        received=received,
        how=SubjectAccessRequest.How.EMAIL,
        requester_name=f"{mother.first_name} {mother.last_name}",
        requester=SubjectAccessRequest.Requester.SUBJECT,
        subject=mother,
        identity_checked=received + datetime.timedelta(days=3),
        identity_how="Passport and a council tax bill seen at the Civic Centre",
        by=officer,
    )
    return sar_services.sar_gather(sar=sar, by=officer)
