"""A family's appointments: the list with its meetings due, booking, one appointment with its
invitations, moving, cancelling, marking held and writing up what happened. Every page goes
through the family's door (404 outside visibility, written to the access log)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.govuk_forms import add_service_errors, render_form
from families.access import get_family_for_user
from families.models import Family
from families.selectors import current_team
from onestory import selectors as story_selectors
from onestory.forms import EntryForm
from pods.models import Worker
from pods.selectors import home_team, reviewing_officers_on, visiting_members, worker_for
from scheduling import availability, permissions, selectors, services
from scheduling.forms import AppointmentForm, CancelForm, HeldForm, MoveForm
from scheduling.models import Appointment, Invitation

DEFAULT_MINUTES = {
    Appointment.Kind.HOME_VISIT: 60,
    Appointment.Kind.ICPC: 120,
    Appointment.Kind.RCPC: 90,
    Appointment.Kind.CIC_REVIEW: 90,
    Appointment.Kind.STRATEGY_DISCUSSION: 60,
    Appointment.Kind.CORE_GROUP: 60,
}


def _family_to_schedule(request, family_id: int) -> Family:
    family = get_family_for_user(request, family_id)
    if not permissions.can_user_schedule_for(request.user, family):
        raise PermissionDenied("Only the pod and reviewing officers arrange appointments")
    return family


def _to_detail(appointment: Appointment):
    return redirect(
        "appointment_detail", family_id=appointment.family_id, appointment_id=appointment.pk
    )


def _appointment(family: Family, appointment_id: int) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("worker__user", "chair__user", "entry", "moved_to"),
        pk=appointment_id,
        family=family,
    )


def _form_choices(family: Family | None, team, today):
    workers = visiting_members(team, today) if team else Worker.objects.none()
    return workers.order_by("user__first_name"), reviewing_officers_on(today)


def family_appointments(request, family_id: int):
    family = get_family_for_user(request, family_id)
    today = timezone.localdate()
    appointments = list(
        Appointment.objects.filter(family=family)
        .select_related("worker__user", "chair__user")
        .order_by("-start")
    )
    return render(
        request,
        "scheduling/family_appointments.html",
        {
            "family": family,
            "today": today,
            "upcoming": sorted(
                (a for a in appointments if a.day >= today and a.is_active), key=lambda a: a.start
            ),
            "past": [a for a in appointments if not (a.day >= today and a.is_active)],
            "meetings": [(m, family) for m in selectors.meetings_for_family(family, today)],
            "can_schedule": permissions.can_user_schedule_for(request.user, family),
        },
    )


@require_http_methods(["GET", "POST"])
def appointment_new(request, family_id: int):
    """Book an appointment for the family. ``?kind=icpc`` starts it as a meeting due, with
    the first free time inside its window suggested (the worker's and the chair's absences,
    bank holidays and everyone's other appointments avoided)."""
    family = _family_to_schedule(request, family_id)
    today = timezone.localdate()
    team = current_team(family)
    workers, chairs = _form_choices(family, team, today)
    initial = _suggested_initial(family, request.GET, workers, chairs, today)
    form = AppointmentForm(
        request.POST or None, family=family, workers=workers, chairs=chairs, initial=initial
    )
    if appointment := _book(request, form):
        return _to_detail(appointment)
    return render_form(
        request,
        form,
        title="Book an appointment",
        family=family,
        submit="Book it",
        template="scheduling/appointment_form.html",
        suggestion=initial.get("suggested"),
        meeting=initial.get("meeting"),
    )


def _book(request, form: AppointmentForm, **extra) -> Appointment | None:
    """Book from a posted form; on a refusal, its errors go on the form, and "book it anyway"
    is offered only when what stopped it was a clash."""
    clash = False
    appointment = None
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(by=request.user, **extra, **form.booking())
        except services.Clash as error:
            clash = True
            add_service_errors(form, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{appointment} booked")
    if not clash:
        form.fields["book_anyway"].widget = form.fields["book_anyway"].hidden_widget()
    return appointment


def _suggested_initial(family, query, workers, chairs, today) -> dict:
    """The form's starting values: the family's worker, and for a meeting due its window and
    the first free slot inside it."""
    allocation = family.allocations.filter(end__isnull=True).select_related("worker").first()
    worker = allocation.worker if allocation else None
    initial = {"worker": worker.pk if worker else None, "place": family.address.split("\n")[0]}
    kind = query.get("kind", "")
    if kind not in Appointment.Kind.values:
        return initial
    initial["kind"] = kind
    meeting = next(
        (m for m in selectors.meetings_for_family(family, today) if m.kind == kind), None
    )
    if meeting is None:
        return initial
    initial["meeting"] = meeting
    if meeting.child_id:
        initial["children"] = list(
            family.members.filter(person_id=meeting.child_id).values_list("pk", flat=True)
        )
    chair = None
    if kind in Appointment.CHAIRED_KINDS:
        chair = _free_chair(chairs, meeting, worker, family)
        initial["chair"] = chair.pk if chair else None
    minutes = DEFAULT_MINUTES.get(kind, 60)
    slot = availability.suggest_slot(
        family=family,
        workers=[w for w in (worker, chair) if w],
        earliest=max(meeting.earliest, today),
        latest=max(meeting.due, today),
        duration=datetime.timedelta(minutes=minutes),
    )
    if slot is not None:
        local = timezone.localtime(slot)
        # As typed: the template shows an initial value as it is, so times go in as 14:30.
        initial.update(
            date=local.date(),
            starts=f"{local:%H:%M}",
            ends=f"{local + datetime.timedelta(minutes=minutes):%H:%M}",
            suggested=local,
        )
    return initial


def _free_chair(chairs, meeting, worker, family):
    """The reviewing officer with a free slot soonest inside the window."""
    best = None
    for chair in chairs[:20]:
        slot = availability.suggest_slot(
            family=family,
            workers=[w for w in (worker, chair) if w],
            earliest=max(meeting.earliest, timezone.localdate()),
            latest=max(meeting.due, timezone.localdate()),
            duration=datetime.timedelta(minutes=DEFAULT_MINUTES.get(meeting.kind, 60)),
        )
        if slot is not None and (best is None or slot < best[0]):
            best = (slot, chair)
    return best[1] if best else None


def appointment_detail(request, family_id: int, appointment_id: int):
    family = get_family_for_user(request, family_id)
    appointment = _appointment(family, appointment_id)
    invitations = list(
        appointment.invitations.select_related("worker__user", "member__person", "professional")
    )
    return render(
        request,
        "scheduling/appointment.html",
        {
            "family": family,
            "appointment": appointment,
            "invitations": invitations,
            "to_send": sum(i.state == Invitation.State.TO_SEND for i in invitations),
            "children": [c.full_name for c in appointment.children.all()],
            "participation": appointment.participation.select_related("person").order_by(
                "person_id"
            ),
            "can_schedule": permissions.can_user_schedule_for(request.user, family),
            "can_record": permissions.can_user_record_what_happened(request.user, family),
            "has_started": appointment.start <= timezone.now(),
            "cover": appointment.cover_assignments.select_related(
                "away_worker__user", "cover_worker__user", "assigned_by"
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def appointment_move(request, family_id: int, appointment_id: int):
    family = _family_to_schedule(request, family_id)
    appointment = _appointment(family, appointment_id)
    local = timezone.localtime(appointment.start)
    form = MoveForm(
        request.POST or None,
        initial={
            "date": local.date(),
            "starts": f"{local:%H:%M}",
            "ends": f"{timezone.localtime(appointment.end):%H:%M}",
        },
    )
    clash = False
    if request.method == "POST" and form.is_valid():
        try:
            new = services.appointment_move(
                appointment=appointment,
                start=form.start(),
                end=form.end(),
                reason=form.cleaned_data["reason"],
                late_reason=form.cleaned_data["late_reason"],
                allow_clashes=form.cleaned_data["book_anyway"],
                by=request.user,
            )
        except services.Clash as error:
            clash = True
            add_service_errors(form, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Moved to {timezone.localtime(new.start):%A %-d %B at %H:%M}"
            )
            return _to_detail(new)
    if not clash:
        form.fields["book_anyway"].widget = form.fields["book_anyway"].hidden_widget()
    return render_form(
        request,
        form,
        title=f"Move the {appointment.get_kind_display().lower()}",
        family=family,
        submit="Move it",
        intro="Everyone invited will be invited again for the new time.",
    )


@require_http_methods(["GET", "POST"])
def appointment_cancel(request, family_id: int, appointment_id: int):
    family = _family_to_schedule(request, family_id)
    appointment = _appointment(family, appointment_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_cancel(
                appointment=appointment, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{appointment} cancelled")
            return redirect("family_appointments", family_id=family.pk)
    return render_form(
        request,
        form,
        title=f"Cancel the {appointment.get_kind_display().lower()}",
        family=family,
        submit="Cancel it",
    )


@require_http_methods(["GET", "POST"])
def appointment_held(request, family_id: int, appointment_id: int):
    """Mark a meeting as held without writing it up (business support can)."""
    family = _family_to_schedule(request, family_id)
    appointment = _appointment(family, appointment_id)
    form = HeldForm(request.POST if request.method == "POST" else None, appointment=appointment)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_held(
                appointment=appointment,
                by=request.user,
                late_reason=form.cleaned_data.get("late_reason", ""),
                outcome=form.cleaned_data.get("outcome", ""),
                participation=form.participation(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{appointment} marked as held")
            return _to_detail(appointment)
    return render_form(
        request,
        form,
        title=f"Mark the {appointment.get_kind_display().lower()} as held",
        family=family,
        submit="It was held",
    )


@require_http_methods(["GET", "POST"])
def appointment_record(request, family_id: int, appointment_id: int):
    """Write up a held visit or meeting: the record-a-visit form, filled in from the
    appointment (what it was, when, the children it was about), saved with it as held."""
    family = get_family_for_user(request, family_id)
    if not permissions.can_user_record_what_happened(request.user, family):
        raise PermissionDenied("Business support arrange meetings; the worker writes them up")
    appointment = _appointment(family, appointment_id)
    if appointment.entry_id:
        return redirect("entry_detail", family_id=family.pk, entry_id=appointment.entry_id)
    children = story_selectors.children_of(family)
    local = timezone.localtime(appointment.start)
    about = set(appointment.children.values_list("pk", flat=True))
    initial = {
        "kind": services.entry_kind_for(appointment),
        "date": local.date(),
        "time": local.strftime("%H:%M"),
        **{f"child_{pk}_seen": True for pk in about},
    }
    form = EntryForm(request.POST or None, children=children, initial=initial)
    held_form = HeldForm(request.POST or None, appointment=appointment, prefix="held")
    if request.method == "POST" and form.is_valid() and held_form.is_valid():
        try:
            entry = services.appointment_record(
                appointment=appointment,
                author=request.user,
                late_reason=held_form.cleaned_data.get("late_reason", ""),
                outcome=held_form.cleaned_data.get("outcome", ""),
                participation=held_form.participation(),
                entry_fields={
                    "kind": form.cleaned_data["kind"],
                    "occurred": form.occurred(),
                    "final": "save_draft" not in request.POST,
                    "entry": None,
                    "children": form.children_seen(),
                    "significant": form.cleaned_data["significant"],
                    **form.texts(),
                },
            )
        except ValidationError as error:
            add_service_errors(held_form if _is_held_error(error) else form, error)
        else:
            messages.success(request, f"{appointment} recorded in the chronology")
            return redirect("entry_detail", family_id=family.pk, entry_id=entry.pk)
    status = 400 if form.is_bound and (form.errors or held_form.errors) else 200
    return render(
        request,
        "scheduling/record.html",
        {"family": family, "form": form, "held_form": held_form, "appointment": appointment},
        status=status,
    )


def _is_held_error(error: ValidationError) -> bool:
    fields = set(getattr(error, "error_dict", ()))
    return bool({"late_reason", "outcome"} & fields) or any(
        field.startswith("participation_") for field in fields
    )


# --- the pod's own appointments (supervision, RPGs): no family, so no family door -----------


def _team_appointment(request, appointment_id: int) -> Appointment:
    """A pod appointment that is about no family, for a member of its team (404 otherwise)."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("team", "worker__user"),
        pk=appointment_id,
        family__isnull=True,
    )
    if not permissions.can_user_see_calendar(request.user, appointment.team, timezone.localdate()):
        raise Http404("No such appointment in your team")
    return appointment


@require_http_methods(["GET", "POST"])
def team_appointment_new(request):
    """Book supervision or a reflective practice group in the pod's calendar."""
    if not permissions.can_user_schedule(request.user):
        raise PermissionDenied("Only the pod and reviewing officers arrange appointments")
    today = timezone.localdate()
    team = home_team(worker_for(request.user), today)
    if team is None:
        raise Http404("You are not in a team")
    workers, chairs = _form_choices(None, team, today)
    form = AppointmentForm(
        request.POST or None,
        family=None,
        workers=workers,
        chairs=chairs,
        initial={"kind": Appointment.Kind.SUPERVISION},
    )
    if appointment := _book(request, form, team=team):
        return redirect("team_appointment", appointment_id=appointment.pk)
    return render_form(
        request, form, title=f"Book supervision or an RPG for {team.name}", submit="Book it"
    )


def team_appointment(request, appointment_id: int):
    appointment = _team_appointment(request, appointment_id)
    return render(
        request,
        "scheduling/team_appointment.html",
        {
            "appointment": appointment,
            "invitations": appointment.invitations.select_related("worker__user"),
        },
    )
