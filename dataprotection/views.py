"""The data protection officer's screens: the month's retention review, a decision on each
item, legal holds, the stubs of what was destroyed, and the retention rules.

Everyone else gets 404, as for a page that does not exist. The review names families by
reference only: no name, no line of the record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from config.govuk_forms import add_service_errors
from dataprotection import holds as holds_
from dataprotection import permissions
from dataprotection import review as review_
from dataprotection.forms import DeferForm, DestroyForm, LegalHoldForm
from dataprotection.models import (
    DestructionStub,
    LegalHold,
    RetentionReview,
    RetentionRule,
    ReviewItem,
)
from dataprotection.tasks import build_retention_review

SHOWN = 200


def _officer_only(request) -> None:
    if not permissions.can_user_manage_retention(request.user):
        raise Http404


@require_http_methods(["GET", "POST"])
def retention_review(request):
    """The latest review: what has passed its date, by status."""
    _officer_only(request)
    today = timezone.localdate()
    if request.method == "POST":
        build_retention_review.delay(str(today))
        messages.success(request, f"The list for {today:%B %Y} is being made: refresh in a minute")
        return redirect("retention_review")
    review = RetentionReview.objects.first()
    status = request.GET.get("status", "")
    if status not in ReviewItem.Status.values:
        status = ""
    items = review_.review_items(review, status=status or None)[:SHOWN] if review else []
    return render(
        request,
        "dataprotection/review.html",
        {
            "review": review,
            "items": items,
            "status": status,
            "statuses": ReviewItem.Status.choices,
            "counts": review_.counts_by_status(review) if review else {},
            "this_month": review is not None and review.month == today.replace(day=1),
            "shown": SHOWN,
        },
    )


@require_http_methods(["GET", "POST"])
def review_item(request, item_id: int):
    _officer_only(request)
    item = get_object_or_404(ReviewItem.objects.select_related("rule", "review"), pk=item_id)
    destroy_form = DestroyForm(request.POST if "destroy" in request.POST else None)
    defer_form = DeferForm(request.POST if "defer" in request.POST else None)
    if request.method == "POST" and "destroy" in request.POST and destroy_form.is_valid():
        try:
            done = review_.confirm(
                item=item, by=request.user, confirmed=destroy_form.cleaned_data["confirmed"]
            )
        except ValidationError as error:
            add_service_errors(destroy_form, error)
        else:
            if isinstance(done, DestructionStub):
                messages.success(request, f"{item.reference} is destroyed")
                return redirect("destruction_stub", stub_id=done.pk)
            messages.success(
                request,
                f"Destruction of {item.reference} is proposed: a second officer confirms it",
            )
            return redirect("retention_review")
    if request.method == "POST" and "defer" in request.POST and defer_form.is_valid():
        try:
            review_.defer(item=item, by=request.user, **defer_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(defer_form, error)
        else:
            messages.success(request, f"{item.reference} is kept for now")
            return redirect("retention_review")
    bound = (
        destroy_form.is_bound and destroy_form.errors or defer_form.is_bound and defer_form.errors
    )
    return render(
        request,
        "dataprotection/item.html",
        {
            "item": item,
            "destroy_form": destroy_form,
            "defer_form": defer_form,
            "form": destroy_form if destroy_form.is_bound else defer_form,
            "decidable": item.status in (ReviewItem.Status.DUE, ReviewItem.Status.PROPOSED),
        },
        status=400 if bound else 200,
    )


@require_http_methods(["GET", "POST"])
def legal_holds(request):
    _officer_only(request)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hold = holds_.hold_place(
                kind=data["kind"], title=data["title"], reason=data["reason"],
                family=data["family"], category=data["category"], by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The hold “{hold.title}” is placed on {hold.scope}")
            return redirect("legal_holds")
    holds = LegalHold.objects.select_related("family", "placed_by", "released_by")
    return render(
        request,
        "dataprotection/holds.html",
        {"form": form, "holds": holds},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def legal_hold_release(request, hold_id: int):
    _officer_only(request)
    hold = get_object_or_404(LegalHold, pk=hold_id)
    try:
        holds_.hold_release(hold=hold, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The hold “{hold.title}” is released")
    return redirect("legal_holds")


def destruction_stubs(request):
    _officer_only(request)
    stubs = DestructionStub.objects.select_related("destroyed_by", "proposed_by")[:SHOWN]
    return render(request, "dataprotection/stubs.html", {"stubs": stubs, "shown": SHOWN})


def destruction_stub(request, stub_id: int):
    _officer_only(request)
    stub = get_object_or_404(
        DestructionStub.objects.select_related("destroyed_by", "proposed_by"), pk=stub_id
    )
    return render(request, "dataprotection/stub.html", {"stub": stub})


def retention_rules(request):
    _officer_only(request)
    return render(
        request, "dataprotection/rules.html", {"rules": RetentionRule.objects.order_by("pk")}
    )
