import datetime

from celery import shared_task


@shared_task(acks_late=True)
def build_retention_review(day: str | None = None) -> int:
    """The month's retention review (the 1st's beat, or a data protection officer asking):
    idempotent, so a retry or a second ask changes nothing already decided."""
    from dataprotection.review import build_review

    review = build_review(datetime.date.fromisoformat(day) if day else None)
    return review.items.count()


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), max_retries=3,
             retry_backoff=True)  # fmt: skip
def build_sar_bundle(self, sar_id: int) -> str:
    """Render a signed-off request's bundle. A request that is not signed off fails at once;
    anything else is retried with backoff, and marked failed after the last try."""
    from django.core.exceptions import ValidationError

    from dataprotection import sar as sar_

    try:
        sar_.sar_bundle_build(sar_id=sar_id)
    except ValidationError as error:
        sar_.sar_bundle_fail(sar_id=sar_id, error=error.messages[0])
        return "failed"
    except Exception:
        if self.request.retries >= self.max_retries:
            sar_.sar_bundle_fail(sar_id=sar_id, error="The bundle could not be made: try again")
        raise
    return "ready"
