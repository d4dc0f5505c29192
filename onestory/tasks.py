"""Celery tasks of the One Story: each takes ids and calls one service (onestory.exports)."""

import logging

from celery import shared_task

from onestory import exports
from onestory.pdf import StoryCannotBeBuilt

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def build_story_pdf(self, export_id: int) -> str:
    """Build a One Story PDF that a worker asked for, and record how it went. A failure that
    may pass (storage or database unavailable) is retried with backoff; after the last try,
    or at once for a request that can never succeed, the export is marked failed."""
    try:
        export = exports.story_export_build(export_id=export_id)
    except StoryCannotBeBuilt as error:
        exports.story_export_fail(export_id=export_id, error=str(error))
        return "failed"
    except Exception:
        if self.request.retries >= self.max_retries:
            logger.exception("One Story export %s failed after its last try", export_id)
            exports.story_export_fail(export_id=export_id, error=exports.UNEXPECTED_FAILURE)
        raise
    return export.status if export is not None else "nothing to do"


@shared_task(acks_late=True)
def expire_story_pdfs() -> int:
    """Daily: delete the files of shared PDFs past their retention period."""
    return exports.story_exports_expire()
