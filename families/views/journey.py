"""Allocation and transfer, child status, closure, re-referral and the referral's details."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.govuk_forms import add_service_errors, render_form
from families import permissions, selectors, services
from families.access import get_family_for_user_to_change
from families.forms import (
    AllocateForm,
    CareEndForm,
    CloseForm,
    EndDateForm,
    ReferralDetailsForm,
    ReferralEditForm,
    StatusEditForm,
    StatusStartForm,
)
from families.models import ChildStatus, Referral


def _allocation_view(request, family_id: int, *, transfer: bool):
    family = get_family_for_user_to_change(
        request, family_id, allowed=permissions.can_user_allocate
    )
    today = timezone.localdate()
    form = AllocateForm(
        request.POST or None,
        as_of=today,
        reason_required=transfer,
        change_of_worker=selectors.is_change_of_worker(family),
        initial={"start": today},
    )
    if request.method == "POST" and form.is_valid():
        service = services.family_transfer if transfer else services.family_allocate
        try:
            allocation = service(
                family=family,
                team=form.team,
                worker=form.worker,
                start=form.cleaned_data["start"],
                reason=form.cleaned_data["reason"],
                change_reason=form.cleaned_data.get("change_reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{family.display_name} is allocated to {allocation.worker.name} in {form.team}",
            )
            return redirect("family_detail", family_id=family.pk)
    title = "Transfer to another worker" if transfer else "Allocate a social worker"
    return render_form(request, form, title=title, family=family, submit="Allocate")


@require_http_methods(["GET", "POST"])
def allocate(request, family_id: int):
    return _allocation_view(request, family_id, transfer=False)


@require_http_methods(["GET", "POST"])
def transfer(request, family_id: int):
    return _allocation_view(request, family_id, transfer=True)


@require_http_methods(["GET", "POST"])
def status_start(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    episode = services.open_episode(family)
    form = StatusStartForm(
        request.POST or None,
        family=family,
        primary_need=episode.referral.primary_need if episode else "",
        earlier_plans=selectors.earlier_cp_plans_by_child(family),
        initial={"start": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            status = services.child_status_start(
                family=family, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{status.get_kind_display()} started for {status.person.first_name}"
            )
            return redirect("family_detail", family_id=family.pk)
    return render_form(request, form, title="Start a plan or status", family=family, submit="Start")


@require_http_methods(["GET", "POST"])
def status_end(request, family_id: int, status_id: int):
    family = get_family_for_user_to_change(request, family_id)
    status = get_object_or_404(
        ChildStatus.objects.select_related("person"), pk=status_id, family=family
    )
    in_care = status.kind == ChildStatus.Kind.LOOKED_AFTER
    form_class = CareEndForm if in_care else EndDateForm
    form = form_class(request.POST or None, initial={"end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments() if in_care else {"end": form.cleaned_data["end"]}
        try:
            services.child_status_end(status=status, by=request.user, **arguments)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{status.get_kind_display()} ended for {status.person.first_name}"
            )
            return redirect("family_detail", family_id=family.pk)
    return render_form(
        request,
        form,
        family=family,
        submit="End it",
        title=f"End {status.person.first_name}'s {status.get_kind_display().lower()}",
    )


@require_http_methods(["GET", "POST"])
def status_edit(request, family_id: int, status_id: int):
    """Complete or correct a plan or status: a child protection plan's categories (the latest
    changes at a review conference) and previous plans, a period of care's facts."""
    family = get_family_for_user_to_change(request, family_id)
    status = get_object_or_404(
        ChildStatus.objects.select_related("person"), pk=status_id, family=family
    )
    form = StatusEditForm(request.POST or None, status=status)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_status_update(status=status, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{status.person.first_name}'s {status.get_kind_display().lower()} is saved",
            )
            return redirect("family_detail", family_id=family.pk)
    return render_form(
        request,
        form,
        family=family,
        title=f"{status.person.first_name}'s {status.get_kind_display().lower()}",
        intro=f"From {status.start:%-d %B %Y}"
        + (f" to {status.end:%-d %B %Y}." if status.end else ".")
        + ("" if form.fields else " Nothing more is recorded on it here."),
    )


@require_http_methods(["GET", "POST"])
def close(request, family_id: int):
    family = get_family_for_user_to_change(
        request, family_id, allowed=permissions.can_user_allocate
    )
    form = CloseForm(request.POST or None, initial={"end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_close(family=family, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{family.display_name}'s episode is closed")
            return redirect("family_detail", family_id=family.pk)
    return render_form(
        request, form, title="Close the family's episode", family=family, submit="Close"
    )


@require_http_methods(["GET", "POST"])
def rerefer(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    form = ReferralDetailsForm(request.POST or None, initial={"received": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.family_rerefer(
                family=family, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, outcome.message)
            return redirect("family_detail", family_id=family.pk)
    return render_form(
        request, form, title="Refer the family again", family=family, submit="Record the referral"
    )


@require_http_methods(["GET", "POST"])
def referral_edit(request, family_id: int, referral_id: int | None = None):
    """What the returns need of a referral: who made it, the primary need decided at
    assessment and whether it led to no further action. Without ``referral_id``, the family's
    latest referral."""
    family = get_family_for_user_to_change(request, family_id)
    referrals = Referral.objects.filter(family=family).order_by("-received", "-pk")
    referral = (referrals.filter(pk=referral_id) if referral_id else referrals).first()
    if referral is None:
        raise Http404("No referral found")
    form = ReferralEditForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_update(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The referral is saved")
            return redirect("family_detail", family_id=family.pk)
    return render_form(
        request,
        form,
        family=family,
        title="The referral",
        intro=f"Received on {referral.received:%-d %B %Y}: {referral.reason}",
    )
