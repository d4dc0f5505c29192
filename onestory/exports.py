"""Sharing the One Story as a PDF: asking for one (a view) and building it (a Celery task).

The PDF is rendered in the worker, never in a request, and saved through Django's default
storage so that any web node can serve it (DESIGN §2). Building is idempotent: a task
delivered twice (acks_late) finds the export ready and does nothing."""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from families.models import Family
from onestory.models import Entry, StoryExport
from onestory.pdf import render_story_pdf

logger = logging.getLogger(__name__)

MAX_ENTRIES = 100
TOO_MANY_ENTRIES = f"Choose {MAX_ENTRIES} entries or fewer"
NOT_FINAL_HERE = "Choose final entries from this family's story"
UNEXPECTED_FAILURE = (
    "Something went wrong while making the PDF. Try again, and tell the service desk if it "
    "happens again."
)


@transaction.atomic
def story_export_request(*, family: Family, entry_ids: list[int], requested_by) -> StoryExport:
    """Record the request and queue the build once the request is committed (a worker that
    looked before the commit would not find the export)."""
    from onestory.tasks import build_story_pdf  # the task module imports this one

    entry_ids = sorted(set(entry_ids))
    if len(entry_ids) > MAX_ENTRIES:
        raise ValidationError({"entries": TOO_MANY_ENTRIES})
    found = Entry.objects.filter(family=family, status=Entry.Status.FINAL, pk__in=entry_ids)
    if found.count() != len(entry_ids):
        raise ValidationError({"entries": NOT_FINAL_HERE})
    export = StoryExport(family=family, requested_by=requested_by, entry_ids=entry_ids)
    export._history_user = requested_by
    export.save()
    transaction.on_commit(lambda: build_story_pdf.delay(export.pk))
    return export


def story_export_build(*, export_id: int) -> StoryExport | None:
    """Render the export's PDF and save it to storage. None when there is nothing to do: the
    export is gone (its family was deleted) or was finished by an earlier delivery.

    Raises StoryCannotBeBuilt for a request that can never succeed; anything else (storage
    or database unavailable) is left to the task to retry."""
    export = _start_building(export_id)
    if export is None:
        return None
    pdf = render_story_pdf(
        family=export.family, entry_ids=export.entry_ids, requested_by=export.requested_by
    )
    with transaction.atomic():
        export = (
            StoryExport.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .get(pk=export_id)
        )
        if export.file:  # an earlier try saved its file, then failed
            export.file.delete(save=False)
        # A random name: nothing about the family in storage, nothing to guess.
        export.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
        export.status = StoryExport.Status.READY
        export.error = ""
        export.finished = timezone.now()
        _save_as_requester(export)
    return export


@transaction.atomic
def _start_building(export_id: int) -> StoryExport | None:
    export = (
        # Lock the export row only, not the family and user rows joined to it.
        StoryExport.objects.select_for_update(of=("self",))
        .select_related("family", "requested_by")
        .filter(pk=export_id)
        .first()
    )
    if export is None:
        logger.info("One Story export %s no longer exists: nothing to build", export_id)
        return None
    if export.is_finished:
        return None
    if export.status != StoryExport.Status.BUILDING:
        export.status = StoryExport.Status.BUILDING
        _save_as_requester(export)
    return export


@transaction.atomic
def story_export_fail(*, export_id: int, error: str) -> StoryExport | None:
    """Mark the export failed with a reason the worker who asked can read."""
    export = StoryExport.objects.select_for_update().filter(pk=export_id).first()
    if export is None or export.status == StoryExport.Status.READY:
        return None
    export.status = StoryExport.Status.FAILED
    export.error = error
    export.finished = timezone.now()
    _save_as_requester(export)
    return export


def _save_as_requester(export: StoryExport) -> None:
    # Tasks have no request: the history records the change as made for the person who asked.
    export._history_user = export.requested_by
    export.save()


def story_exports_expire(*, older_than_days: int | None = None, now=None) -> int:
    """Delete the PDF files of exports older than the retention period (settings, 30 days by
    default): a copy of a family's record should not sit in storage once it has been handed
    over. The export rows stay, so who shared what, and when, is still known."""
    from django.conf import settings

    days = (
        older_than_days if older_than_days is not None else settings.PODS_STORY_PDF_RETENTION_DAYS
    )
    cutoff = (now or timezone.now()) - timezone.timedelta(days=days)
    removed = 0
    for export in StoryExport.objects.filter(requested__lt=cutoff).exclude(file=""):
        export.file.delete(save=False)
        export.file = ""
        export.save(update_fields=["file"])
        removed += 1
    return removed
