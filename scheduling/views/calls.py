"""Calls taken for an absent worker: log one on the family, pick it up, call back, and the
pod's calls waiting. Every family-scoped view opens the family through the door first, so
outside visibility any method is the same 404; the permission (403) comes after."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from config.govuk_forms import GovukDateField, add_service_errors, render_form
from families.access import get_family_for_user, log_families_shown
from families.models import Allocation, Family
from families.permissions import CASE_HOLDER_ROLES
from families.selectors import current_team
from pods.models import Worker
from pods.permissions import members_on
from pods.selectors import home_team, worker_for
from scheduling import calls
from scheduling.models import CallTaken
from scheduling.permissions import can_user_take_calls

URGENT_CHOICES = [
    ("yes", "Yes: the family needs to speak to a social worker today"),
    ("no", "No: the worker can call back when they pick it up"),
]


class CallForm(forms.Form):
    caller = forms.CharField(
        label="Who called",
        max_length=200,
        help_text="Their name and who they are, for example Grace Okafor, Ada's mother",
        error_messages={"required": calls.NO_CALLER, "max_length": calls.CALLER_TOO_LONG},
    )
    received = GovukDateField(label="Date of the call")
    time = forms.TimeField(
        label="Time of the call",
        help_text="For example 14:30",
        widget=forms.TimeInput(format="%H:%M"),
        error_messages={
            "required": "Enter the time of the call",
            "invalid": "Enter a time like 14:30",
        },
    )
    message = forms.CharField(
        label="Message",
        widget=forms.Textarea,
        max_length=calls.MESSAGE_LIMIT,
        help_text="What they said, in their words where you can",
        error_messages={"required": calls.NO_MESSAGE, "max_length": calls.MESSAGE_TOO_LONG},
    )
    urgent = forms.ChoiceField(
        label="Is it urgent?",
        choices=URGENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the call is urgent"},
    )
    for_worker = forms.ModelChoiceField(
        label="Who the call is for",
        queryset=Worker.objects.none(),
        empty_label="Choose a worker",
        error_messages={
            "required": "Choose who the call is for",
            "invalid_choice": "Choose a worker in the family's pod",
        },
    )

    def __init__(self, *args, family: Family, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        team = current_team(family)
        workers = members_on(team, today) if team else Worker.objects.none()
        self.fields["for_worker"].queryset = workers.filter(role__in=CASE_HOLDER_ROLES).order_by(
            "user__first_name", "user__last_name"
        )
        self.fields["for_worker"].label_from_instance = lambda worker: worker.name

    def received_at(self) -> datetime.datetime:
        day, moment = self.cleaned_data["received"], self.cleaned_data["time"]
        return timezone.make_aware(datetime.datetime.combine(day, moment))


class CallBackForm(forms.Form):
    note = forms.CharField(
        label="What was said",
        widget=forms.Textarea,
        max_length=calls.MESSAGE_LIMIT,
        error_messages={"required": calls.NO_NOTE, "max_length": calls.NOTE_TOO_LONG},
    )


def _allocated_worker_id(family: Family) -> int | None:
    return (
        Allocation.objects.filter(family=family, end__isnull=True)
        .values_list("worker_id", flat=True)
        .first()
    )


def _check_may_take_calls(request) -> None:
    if not can_user_take_calls(request.user):
        raise PermissionDenied("Only the pod's workers and business support take calls")


def _next_or_family(request, family: Family):
    """Back where the button was (a home page, the calls waiting), or the family."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("family_detail", family_id=family.pk)


@require_http_methods(["GET", "POST"])
def call_log(request, family_id: int):
    family = get_family_for_user(request, family_id)
    _check_may_take_calls(request)
    now = timezone.localtime()
    form = CallForm(
        request.POST or None,
        family=family,
        today=now.date(),
        initial={
            "received": now.date(),
            "time": now.strftime("%H:%M"),
            "for_worker": _allocated_worker_id(family),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            call = calls.call_log(
                family=family,
                caller=form.cleaned_data["caller"],
                received=form.received_at(),
                message=form.cleaned_data["message"],
                urgent=form.cleaned_data["urgent"] == "yes",
                for_worker=form.cleaned_data["for_worker"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Call from {call.caller} logged for {call.for_worker.name}: it is at the top "
                "of their home page until someone picks it up",
            )
            return redirect("family_detail", family_id=family.pk)
    return render_form(
        request,
        form,
        title="Log a call",
        family=family,
        submit="Log the call",
        intro="For a call from or about the family when their worker is away.",
    )


def _call(family: Family, call_id: int) -> CallTaken:
    return get_object_or_404(
        CallTaken.objects.select_related("for_worker__user", "taken_by", "picked_up_by"),
        pk=call_id,
        family=family,
    )


def call_pick_up(request, family_id: int, call_id: int):
    # The family first, then the method: outside visibility every request is the same 404.
    family = get_family_for_user(request, family_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _check_may_take_calls(request)
    call = _call(family, call_id)
    try:
        calls.call_pick_up(call=call, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You have picked up the call from {call.caller}")
    return _next_or_family(request, family)


@require_http_methods(["GET", "POST"])
def call_back(request, family_id: int, call_id: int):
    family = get_family_for_user(request, family_id)
    _check_may_take_calls(request)
    call = _call(family, call_id)
    form = CallBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            calls.call_called_back(call=call, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Call back to {call.caller} recorded in the chronology")
            return _next_or_family(request, family)
    return render_form(
        request,
        form,
        title=f"Call back {call.caller}",
        family=family,
        submit="Record the call back",
        template="scheduling/calls/call_back.html",
        call=call,
    )


def calls_waiting(request):
    """The pod's calls that nobody has picked up yet, urgent first."""
    _check_may_take_calls(request)
    today = timezone.localdate()
    team = home_team(worker_for(request.user), today)
    if team is None:
        raise PermissionDenied("You are not in a pod, so there are no calls for you to see")
    waiting = list(calls.calls_waiting_in_team(request.user, team))
    log_families_shown(request, [call.family for call in waiting])
    return render(
        request,
        "scheduling/calls/waiting.html",
        {"team": team, "calls": waiting, "calls_caption": f"Calls waiting in {team.name}"},
    )
