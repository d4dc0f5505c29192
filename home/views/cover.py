"""Cover for an absent worker: the pod's cover needed, and assigning it in one click.

An appointment is opened only through its family's visibility (404 outside it, as for any
family's page); who may hand it to a colleague (403) is asked after."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from families.access import log_families_shown
from families.models import Family
from home.cover import cover_needed
from pods.models import Worker
from pods.selectors import home_team, worker_for
from scheduling import cover as cover_services
from scheduling.models import Appointment
from scheduling.permissions import can_user_arrange_cover

NOT_YOURS_TO_COVER = "Only the pod's business support officer and pod manager arrange cover"


class CoverForm(forms.Form):
    worker = forms.ModelChoiceField(
        queryset=Worker.objects.select_related("user"),
        error_messages={
            "required": "Choose who will cover",
            "invalid_choice": "Choose who will cover",
        },
    )


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("home")


def covered_message(appointment: Appointment, worker: Worker) -> str:
    start = timezone.localtime(appointment.start)
    return (
        f"{worker.name} will cover the {appointment.get_kind_display().lower()} on "
        f"{start:%A %-d %B} at {start:%H:%M}"
    )


def cover_assign(request, appointment_id: int):
    appointment = get_object_or_404(
        Appointment.objects.filter(
            family__in=Family.objects.visible_to(request.user)
        ).select_related("family", "team"),
        pk=appointment_id,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    log_families_shown(request, [appointment.family])
    if not can_user_arrange_cover(request.user, appointment.team, timezone.localdate()):
        raise PermissionDenied(NOT_YOURS_TO_COVER)
    form = CoverForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["worker"]))
        return _back(request)
    worker = form.cleaned_data["worker"]
    try:
        cover_services.cover_assign(appointment=appointment, cover_worker=worker, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, covered_message(appointment, worker))
    return _back(request)


def cover_needed_page(request):
    """The pod's appointments over the next five working days whose worker is away, with the
    suggested colleagues: the same list the business support officer's day shows."""
    today = timezone.localdate()
    worker = worker_for(request.user)
    team = home_team(worker, today) if worker else None
    if not can_user_arrange_cover(request.user, team, today):
        raise PermissionDenied(NOT_YOURS_TO_COVER)
    needed = cover_needed(request.user, team, today)
    log_families_shown(request, [item.appointment.family for item in needed])
    return render(
        request, "home/cover_needed.html", {"team": team, "today": today, "cover_needed": needed}
    )
