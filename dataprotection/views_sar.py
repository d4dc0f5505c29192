"""The subject access request screens: the list and the disclosure log, logging a request, its
page (the clock and each step), identity, extension, gathering, the redaction screen of each
gathered record, a second officer's sign-off, the bundle, and the answer.

Data protection officers only: anyone else gets 404, as for a page that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import SecurityEvent
from accounts.security_log import security_event_record
from config.govuk_forms import add_service_errors, render_form
from dataprotection import permissions
from dataprotection import sar as sar_
from dataprotection.forms import (
    DisclosureForm,
    RedactionForm,
    SarCloseForm,
    SarExtendForm,
    SarIdentityForm,
    SarLogForm,
    SignOffForm,
)
from dataprotection.models import (
    BundleStatus,
    Disclosure,
    Redaction,
    SarItem,
    SubjectAccessRequest,
)

SHOWN = 200


def _officer_only(request) -> None:
    if not permissions.can_user_handle_access_requests(request.user):
        raise Http404


def _request_or_404(request, sar_id: int) -> SubjectAccessRequest:
    _officer_only(request)
    return get_object_or_404(
        SubjectAccessRequest.objects.select_related(
            "subject", "handled_by", "gathered_by", "signed_off_by"
        ),
        pk=sar_id,
    )


def _back(sar: SubjectAccessRequest):
    return redirect("sar_detail", sar_id=sar.pk)


def sar_list(request):
    _officer_only(request)
    requests = SubjectAccessRequest.objects.select_related("handled_by")
    today = timezone.localdate()
    return render(
        request,
        "dataprotection/sar_list.html",
        {
            "open": [sar for sar in requests.open()],
            "closed": requests.filter(closed__isnull=False).order_by("-closed")[:SHOWN],
            "today": today,
        },
    )


def disclosure_log(request):
    _officer_only(request)
    disclosures = Disclosure.objects.select_related("request", "sent_by")[:SHOWN]
    return render(
        request, "dataprotection/disclosures.html", {"disclosures": disclosures, "shown": SHOWN}
    )


@require_http_methods(["GET", "POST"])
def sar_new(request):
    _officer_only(request)
    form = SarLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = sar_.find_subject(
                first_name=data["first_name"], last_name=data["last_name"],
                born=data["date_of_birth"], family_reference=data["family_reference"],
            )  # fmt: skip
            sar = sar_.sar_log(
                received=data["received"], how=data["how"],
                requester_name=data["requester_name"], requester=data["requester"],
                subject=subject, identity_checked=data["identity_checked"],
                identity_how=data["identity_how"], by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            if "subject" in getattr(error, "error_dict", {}):
                error = ValidationError({"last_name": error.error_dict["subject"]})
            add_service_errors(form, error)
        else:
            messages.success(request, f"{sar.reference} is logged: due {sar.due:%-d %B %Y}")
            return _back(sar)
    return render_form(
        request, form, title="Log a subject access request", submit="Log the request",
        intro="The request is due one calendar month from the day it was received. Nobody "
        "pays a fee.",
    )  # fmt: skip


def sar_detail(request, sar_id: int):
    sar = _request_or_404(request, sar_id)
    items = (
        sar.items.annotate(redacted=Count("redactions"))
        .only("pk", "kind", "title", "date", "family_reference")
        .order_by("order")
    )
    return render(
        request,
        "dataprotection/sar_detail.html",
        {
            "sar": sar,
            "items": items,
            "redactions": Redaction.objects.filter(item__request=sar).count(),
            "disclosures": sar.disclosures.select_related("sent_by"),
            "today": timezone.localdate(),
            "can_sign_off": sar.gathered is not None
            and request.user.pk not in (sar.handled_by_id, sar.gathered_by_id),
            "bundle_ready": sar.bundle_status == BundleStatus.READY and bool(sar.bundle),
        },
    )


def _step(request, sar, form_class, title, submit, service, done, intro="", **kwargs):
    """A small form posting to one service of ``sar_``; back to the request when it is done."""
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            service(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return _back(sar)
    return render_form(
        request, form, title=title, submit=submit, intro=intro,
        template="dataprotection/sar_step.html", sar=sar,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def sar_identity(request, sar_id: int):
    sar = _request_or_404(request, sar_id)
    return _step(
        request, sar, SarIdentityForm, "Identity checked", "Save",
        lambda data: sar_.sar_identity_checked(
            sar=sar, day=data["identity_checked"], how=data["identity_how"]),
        "The identity check is recorded",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def sar_extend(request, sar_id: int):
    sar = _request_or_404(request, sar_id)
    latest = sar_.clock.latest_extension(sar.received)
    return _step(
        request, sar, SarExtendForm, "Extend the time to answer", "Extend",
        lambda data: sar_.sar_extend(
            sar=sar, extended_to=data["extended_to"], reason=data["extension_reason"],
            requester_told=data["requester_told"]),
        "The request is extended",
        intro=f"A request can be extended once, by up to two more months (to {latest:%-d %B %Y} "
        f"at the latest), when it is complex or one of many, and the requester is told why "
        f"by {sar.due:%-d %B %Y}.",
    )  # fmt: skip


@require_POST
def sar_gather(request, sar_id: int):
    sar = _request_or_404(request, sar_id)
    try:
        count = sar_.sar_gather(sar=sar, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{count} records are gathered: read each and redact")
    return _back(sar)


@require_http_methods(["GET", "POST"])
def sar_item(request, sar_id: int, record_id: int):
    """The redaction screen of one gathered record: its text with the withheld passages
    marked, a form to withhold another, and the redactions with their reasons."""
    sar = _request_or_404(request, sar_id)
    item = get_object_or_404(
        SarItem.objects.prefetch_related(
            Prefetch("redactions", queryset=Redaction.objects.select_related("marked_by"))
        ),
        pk=record_id,
        request=sar,
    )
    form = RedactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = sar_.redaction_mark(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            others = len(made) - 1
            messages.success(
                request,
                "The passage is withheld"
                + (f", here and in {others} other records" if others else ""),
            )
            return redirect("sar_item", sar_id=sar.pk, record_id=item.pk)
    redactions = list(item.redactions.all())
    _, spans = sar_.redacted(item.text, redactions)
    segments, at = [], 0
    for start, end, reason in spans:
        segments.append({"text": item.text[at:start]})
        segments.append({"text": item.text[start:end], "reason": Redaction.Reason(reason).label})
        at = end
    segments.append({"text": item.text[at:]})
    neighbours = list(sar.items.order_by("order").values_list("pk", flat=True))
    index = neighbours.index(item.pk)
    return render(
        request,
        "dataprotection/sar_item.html",
        {
            "sar": sar,
            "item": item,
            "segments": segments,
            "redactions": redactions,
            "form": form,
            "editable": sar.signed_off is None and sar.closed is None,
            "previous": neighbours[index - 1] if index else None,
            "next": neighbours[index + 1] if index + 1 < len(neighbours) else None,
            "position": index + 1,
            "total": len(neighbours),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def redaction_remove(request, sar_id: int, redaction_id: int):
    sar = _request_or_404(request, sar_id)
    redaction = get_object_or_404(
        Redaction.objects.select_related("item__request"), pk=redaction_id, item__request=sar
    )
    try:
        sar_.redaction_remove(redaction=redaction)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The passage is no longer withheld")
    return redirect("sar_item", sar_id=sar.pk, record_id=redaction.item_id)


@require_http_methods(["GET", "POST"])
def sar_sign_off(request, sar_id: int):
    sar = _request_or_404(request, sar_id)
    return _step(
        request, sar, SignOffForm, "Sign off the redactions", "Sign off",
        lambda data: sar_.sar_sign_off(sar=sar, by=request.user),
        "The request is signed off: the bundle can be made",
        intro="A second data protection officer reads the gathered records and what is "
        "withheld from them. Nothing can be redacted after sign-off.",
    )  # fmt: skip


@require_POST
def sar_bundle(request, sar_id: int):
    sar = _request_or_404(request, sar_id)
    try:
        sar_.sar_bundle_queue(sar=sar)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The bundle is being made: refresh in a minute")
    return _back(sar)


def sar_bundle_download(request, sar_id: int):
    sar = _request_or_404(request, sar_id)
    if sar.bundle_status != BundleStatus.READY or not sar.bundle:
        raise Http404
    security_event_record(
        kind=SecurityEvent.Kind.SAR_BUNDLE_DOWNLOADED, request=request, target=sar,
        detail=sar.reference,
    )  # fmt: skip
    return FileResponse(
        sar.bundle.open("rb"), as_attachment=True, filename=f"{sar.reference}.pdf",
        content_type="application/pdf",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def sar_disclose(request, sar_id: int):
    sar = _request_or_404(request, sar_id)
    return _step(
        request, sar, DisclosureForm, "Record what was sent", "Record and answer the request",
        lambda data: sar_.disclosure_record(sar=sar, by=request.user, **data),
        "The disclosure is logged and the request is answered",
        initial={"sent_to": sar.requester_name},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def sar_close(request, sar_id: int):
    sar = _request_or_404(request, sar_id)
    return _step(
        request, sar, SarCloseForm, "Answer without a bundle", "Answer the request",
        lambda data: sar_.sar_close(sar=sar, by=request.user, **data),
        "The request is answered",
    )  # fmt: skip
