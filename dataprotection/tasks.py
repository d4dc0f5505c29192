import datetime

from celery import shared_task


@shared_task(acks_late=True)
def build_retention_review(day: str | None = None) -> int:
    """The month's retention review (the 1st's beat, or a data protection officer asking):
    idempotent, so a retry or a second ask changes nothing already decided."""
    from dataprotection.review import build_review

    review = build_review(datetime.date.fromisoformat(day) if day else None)
    return review.items.count()
