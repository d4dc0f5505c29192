"""The monthly retention review: the families and records that have passed their retention
date, listed for a data protection officer to confirm or defer, and the decisions on them.

Built by the monthly task (``dataprotection.tasks.build_retention_review``) on the 1st, and
again on demand; building a month twice changes nothing already decided. A family deferred
with a date to look again is left off until that date; a family whose destruction was proposed
last month is carried over as proposed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import SecurityEvent
from dataprotection import holds as holds_
from dataprotection.models import Category, RetentionReview, ReviewItem
from dataprotection.models.retention import FAMILY_CATEGORIES
from dataprotection.retention import add_years, closed_families, cutoff, rules_by_category
from families.models import AccessLogEntry
from feedback.models import Complaint, Response

DEFER_NEEDS_REASON = "Say why the records are kept for now"
DEFER_NEEDS_DATE = "Give the date to look at them again"
DEFER_DATE_PAST = "The date to look again must be after today"
NOT_DUE = "Only records due for review can be {action}"
NOT_CONFIRMED = (
    "Tick to confirm the records have passed their retention date and are to be destroyed"
)
OWN_PROPOSAL = (
    "You proposed this destruction: the {rule} rule asks a second data protection officer "
    "to confirm it"
)
HELD = "These records cannot be destroyed while they are held: {holds}"
UNKNOWN_DATE = "The retention date cannot be worked out: {why}"


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def build_review(day: datetime.date | None = None) -> RetentionReview:
    """The review of ``day``'s month (today's by default): one item for each closed family past
    its date (or whose date cannot be worked out though the rest has passed), and one for each
    batch of logs, complaints and survey responses past theirs. About ten queries."""
    day = day or timezone.localdate()
    month = month_of(day)
    review, _ = RetentionReview.objects.get_or_create(month=month)
    RetentionReview.objects.select_for_update().get(pk=review.pk)
    rules = rules_by_category()
    already = {
        item.family_id: item
        for item in ReviewItem.objects.filter(review=review, family__isnull=False)
    }
    earlier = _earlier_decisions(month)
    due = []
    shortest = min(rules[c].years for c in FAMILY_CATEGORIES if c in rules)
    for family in closed_families(rules=rules):
        retention = family.retention
        # A date that cannot be worked out is listed once what is known has passed (or, with
        # nothing known, once the shortest family rule would have), so the fact is asked for.
        known = retention.destroy_after or add_years(family.closed, shortest)
        if known >= month:
            continue
        if family.family_id in already:
            continue
        previous = earlier.get(family.family_id)
        deferred = previous is not None and previous.status == ReviewItem.Status.DEFERRED
        if deferred and previous.look_again and previous.look_again > month:
            continue
        due.append((family, previous))
    held = holds_.holds_on(
        [family.family_id for family, _ in due],
        {family.family_id: family.retention.category for family, _ in due},
    )  # the holds in force now, whatever month is being listed
    items = []
    for family, previous in due:
        retention = family.retention
        item = ReviewItem(
            review=review,
            category=retention.category,
            rule=retention.rule,
            family_id=family.family_id,
            reference=family.reference,
            destroy_after=retention.destroy_after,
            why_unknown=retention.why_unknown,
        )
        if retention.why_unknown:
            item.status = ReviewItem.Status.UNKNOWN
        elif family.family_id in held:
            item.status = ReviewItem.Status.HELD
            item.reason = "; ".join(held[family.family_id])
        elif previous is not None and previous.status == ReviewItem.Status.PROPOSED:
            item.status = ReviewItem.Status.PROPOSED
            item.proposed_by_id, item.proposed = previous.proposed_by_id, previous.proposed
        items.append(item)
    ReviewItem.objects.bulk_create(items, batch_size=2000)
    _batches(review, rules, month)
    return review


def _earlier_decisions(month: datetime.date) -> dict[int, ReviewItem]:
    """Each family's latest decision in an earlier month's review."""
    latest = {}
    for item in (
        ReviewItem.objects.filter(review__month__lt=month, family__isnull=False)
        .filter(status__in=[ReviewItem.Status.DEFERRED, ReviewItem.Status.PROPOSED])
        .order_by("review__month")
    ):
        latest[item.family_id] = item
    return latest


# Records kept by their own rules: what a batch counts, and the date it counts from.
def batch_querysets(category: str, before: datetime.date):
    """The records of ``category`` whose retention counts from a day before ``before``."""
    if category == Category.SECURITY_LOG:
        return SecurityEvent.objects.filter(occurred__date__lt=before)
    if category == Category.ACCESS_LOG:
        return AccessLogEntry.objects.filter(viewed__date__lt=before)
    if category == Category.COMPLAINT:
        return Complaint.objects.filter(closed__lt=before)
    if category == Category.SURVEY_RESPONSE:
        return Response.objects.filter(wave__closes__lt=before)
    raise ValueError(f"{category} is not kept in batches")


BATCH_CATEGORIES = [
    Category.COMPLAINT,
    Category.SURVEY_RESPONSE,
    Category.ACCESS_LOG,
    Category.SECURITY_LOG,
]
BATCH_WORDS = {
    Category.COMPLAINT: "complaints closed before {day}",
    Category.SURVEY_RESPONSE: "survey responses to waves closed before {day}",
    Category.ACCESS_LOG: "access log lines before {day}",
    Category.SECURITY_LOG: "security log events before {day}",
}


def _batches(review: RetentionReview, rules, month: datetime.date) -> None:
    done = set(
        ReviewItem.objects.filter(review=review, family__isnull=True).values_list(
            "category", flat=True
        )
    )
    for category in BATCH_CATEGORIES:
        rule = rules.get(category)
        if rule is None or category in done:
            continue
        before = cutoff(rule, month)
        count = batch_querysets(category, before).count()
        if not count:
            continue
        held = holds_.batch_holds(category)
        ReviewItem.objects.create(
            review=review,
            category=category,
            rule=rule,
            reference=BATCH_WORDS[category].format(day=f"{before:%-d %B %Y}"),
            records=count,
            cutoff=before,
            status=ReviewItem.Status.HELD if held else ReviewItem.Status.DUE,
            reason="; ".join(held),
        )


# --- decisions ---------------------------------------------------------------------------------


@transaction.atomic
def defer(*, item: ReviewItem, by, reason: str, look_again: datetime.date | None) -> ReviewItem:
    """Keep the records for now, saying why and when to look again."""
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    errors = {}
    if item.status not in (ReviewItem.Status.DUE, ReviewItem.Status.PROPOSED):
        raise ValidationError(NOT_DUE.format(action="kept"))
    if not (reason or "").strip():
        errors["reason"] = DEFER_NEEDS_REASON
    if look_again is None:
        errors["look_again"] = DEFER_NEEDS_DATE
    elif look_again <= timezone.localdate():
        errors["look_again"] = DEFER_DATE_PAST
    if errors:
        raise ValidationError(errors)
    item.status = ReviewItem.Status.DEFERRED
    item.reason = reason.strip()
    item.look_again = look_again
    item.decided_by, item.decided = by, timezone.now()
    item.proposed_by, item.proposed = None, None
    item._history_user = by
    item.save()
    return item


def confirm(*, item: ReviewItem, by, confirmed: bool):
    """A data protection officer's confirmation that the records are to be destroyed. Where
    the rule asks for a second person, the first confirmation proposes and a second officer's
    destroys; otherwise the one confirmation destroys. Returns the item, or the stub left."""
    from dataprotection.destruction import destroy

    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().select_related("rule").get(pk=item.pk)
        if not confirmed:
            raise ValidationError({"confirmed": NOT_CONFIRMED})
        _check_can_destroy(item)
        if item.rule.second_person and item.status == ReviewItem.Status.DUE:
            item.status = ReviewItem.Status.PROPOSED
            item.proposed_by, item.proposed = by, timezone.now()
            item._history_user = by
            item.save()
            return item
        if item.rule.second_person and item.proposed_by_id == by.pk:
            raise ValidationError(
                OWN_PROPOSAL.format(rule=item.rule.get_category_display().lower())
            )
        return destroy(item=item, by=by)


def _check_can_destroy(item: ReviewItem) -> None:
    if item.status == ReviewItem.Status.HELD:
        raise ValidationError(HELD.format(holds=item.reason))
    if item.status == ReviewItem.Status.UNKNOWN:
        raise ValidationError(UNKNOWN_DATE.format(why=item.why_unknown))
    if item.status not in (ReviewItem.Status.DUE, ReviewItem.Status.PROPOSED):
        raise ValidationError(NOT_DUE.format(action="destroyed"))


def review_items(review: RetentionReview, *, status: str | None = None):
    items = review.items.select_related("rule", "proposed_by", "decided_by")
    if status:
        items = items.filter(status=status)
    return items


def counts_by_status(review: RetentionReview) -> dict[str, int]:
    from django.db.models import Count

    rows = review.items.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}
