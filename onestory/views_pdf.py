"""Share the One Story as a PDF: choose the entries, follow the PDF while a worker makes it,
download it. Writers only (business support do not share case narrative): every view starts
with get_family_for_user_to_change, so outside visibility it is a 404 and for a reader a 403.
Choosing what to share asks for a fresh password or code first (DESIGN §5)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Left
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.reauth import reauthentication_required
from config.govuk_forms import add_service_errors
from families.access import get_family_for_user_to_change
from onestory import exports
from onestory.models import Entry, StoryExport

EXCERPT_CHARACTERS = 200
EARLIER_EXPORTS = 5


class ShareStoryForm(forms.Form):
    """The entries to put in the PDF. None is chosen at the start: the PDF goes to the
    family, so each entry in it is the worker's deliberate choice."""

    entries = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": exports.NOT_FINAL_HERE},
    )

    def __init__(self, *args, entries: list[Entry], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(entry.pk, str(entry)) for entry in entries]


def _final_entries(family) -> list[Entry]:
    """The family's final entries to choose from, newest first, each with the start of what
    happened (not the whole text: a long story stays a light page)."""
    return list(
        Entry.objects.counted()
        .filter(family=family)
        .only("pk", "kind", "occurred", "significant")
        .annotate(excerpt=Left("what_happened", EXCERPT_CHARACTERS))
        .order_by("-occurred", "-pk")
    )


@reauthentication_required
@require_http_methods(["GET", "POST"])
def share(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    entries = _final_entries(family)
    form = ShareStoryForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            export = exports.story_export_request(
                family=family, entry_ids=form.cleaned_data["entries"], requested_by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("story_share_status", family_id=family.pk, export_id=export.pk)
    chosen = {str(value) for value in (form["entries"].value() or [])}
    earlier = family.exports.select_related("requested_by")[:EARLIER_EXPORTS]
    return render(
        request,
        "onestory/share.html",
        {
            "family": family,
            "form": form,
            "entries": entries,
            "chosen": chosen,
            "earlier": earlier,
            "max_entries": exports.MAX_ENTRIES,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def share_status(request, family_id: int, export_id: int):
    """Where the PDF has got to. Works without JavaScript: the page has a link to itself."""
    # The family first, then the method: outside visibility every request is the same 404.
    family = get_family_for_user_to_change(request, family_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    export = get_object_or_404(
        StoryExport.objects.select_related("requested_by"), pk=export_id, family=family
    )
    return render(request, "onestory/share_status.html", {"family": family, "export": export})


def share_download(request, family_id: int, export_id: int):
    family = get_family_for_user_to_change(request, family_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    export = get_object_or_404(StoryExport, pk=export_id, family=family)
    if not export.is_ready:
        raise Http404("The PDF is not ready")
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"one-story-{family.reference}-{timezone.localdate(export.requested)}.pdf",
        content_type="application/pdf",
    )
    # Case records stay out of shared and browser caches.
    response["Cache-Control"] = "private, no-store"
    return response
