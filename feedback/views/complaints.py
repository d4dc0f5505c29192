"""The complaints screens: the list (filtered, paginated), recording a complaint, its page
(stages with their clocks, the response letter, actions), the officer's steps (extend,
respond, escalate, add and complete actions, close), and a family's complaints behind the
family's door.

Every complaint is fetched through ``feedback.complaints.selectors``, limited to what the
user may see: a complaint they may not see is a 404, the same as one that does not exist.
Only the complaints officer takes the steps (403 for someone who can see but not manage)."""

from __future__ import annotations

import contextlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.govuk_forms import add_service_errors, render_form
from families.access import get_family_for_user
from feedback import permissions
from feedback.complaints import forms, selectors, services
from feedback.models import Complaint, ComplaintAction
from pods import permissions as pod_permissions
from pods.models import Team
from pods.selectors import worker_for
from scheduling import letters
from scheduling.models import Letter

PAGE_SIZE = 25


def _complaint(request, complaint_id: int) -> Complaint:
    complaint = selectors.complaint_for_page(complaint_id, request.user)
    if complaint is None:
        raise Http404("No complaint found")
    return complaint


def _complaint_to_manage(request, complaint_id: int) -> Complaint:
    complaint = _complaint(request, complaint_id)
    if not permissions.can_user_manage_complaints(request.user):
        raise PermissionDenied
    return complaint


def _list_teams(user):
    """The teams the filter offers: every pod for the officer, a manager's own pods."""
    if permissions.can_user_manage_complaints(user):
        return Team.objects.filter(kind=Team.Kind.POD).order_by("name")
    return pod_permissions.managed_pods(worker_for(user), timezone.localdate()).order_by("name")


@login_required
@require_GET
def complaint_list(request):
    if not permissions.can_user_see_complaints(request.user):
        raise Http404("No complaints")
    today = timezone.localdate()
    form = forms.ListFilterForm(request.GET or None, teams=_list_teams(request.user))
    complaints = selectors.filtered(
        selectors.complaints_visible_to(request.user, today=today), today=today, **form.filters()
    )
    page = Paginator(selectors.with_list_details(complaints), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [_row(complaint, today) for complaint in page],
        "query": query.urlencode(),
        "today": today,
        "can_manage": permissions.can_user_manage_complaints(request.user),
    }
    return render(request, "feedback/complaints/list.html", context)


def _row(complaint: Complaint, today) -> dict:
    return {
        "complaint": complaint,
        **selectors.stage_clock(selectors.current_stage(complaint), today),
    }


@login_required
def complaint_new(request):
    if not permissions.can_user_manage_complaints(request.user):
        raise Http404("No complaints")
    form = forms.ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_record(
                received=data["received"],
                received_by=data["received_by"],
                from_kind=data["from_kind"],
                from_name=data["from_name"],
                from_address=data["from_address"],
                from_email=data["from_email"],
                family=data["family_reference"],
                worker=data["worker"],
                team=data["team"],
                summary=data["summary"],
                themes=list(data["themes"]),
                advocate_offered=data["advocate_offered"],
                advocate_accepted=data["advocate_accepted"] or None,
                by=request.user,
            )
        except ValidationError as error:
            if "family" in getattr(error, "error_dict", {}):
                error.error_dict["family_reference"] = error.error_dict.pop("family")
            add_service_errors(form, error)
        else:
            return redirect("complaint_detail", complaint.pk)
    return render_form(
        request,
        form,
        title="Record a complaint",
        submit="Record the complaint",
        intro="Stage 1 opens on the day it was received, due in 10 working days.",
    )


@login_required
@require_GET
def complaint_detail(request, complaint_id: int):
    complaint = _complaint(request, complaint_id)
    today = timezone.localdate()
    stages = list(complaint.stages.all())
    context = {
        "complaint": complaint,
        "stages": [selectors.stage_clock(stage, today) for stage in stages],
        "current": stages[-1],
        "actions": list(complaint.actions.all()),
        "can_manage": permissions.can_user_manage_complaints(request.user),
        "can_read_words": permissions.can_user_read_complaint_words(request.user, complaint),
        "can_see_contact": permissions.can_user_see_complainant_contact(request.user),
        "sent_form": forms.LetterSentForm(),
    }
    return render(request, "feedback/complaints/detail.html", context)


def _step(request, complaint, form, *, title, submit, intro="", call):
    """A step's form page: call the service with the form's data on a valid POST, put its
    errors on the form, redirect to the complaint after success."""
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("complaint_detail", complaint.pk)
    return render_form(
        request,
        form,
        title=title,
        submit=submit,
        intro=intro,
        template="feedback/complaints/step.html",
        complaint=complaint,
    )


@login_required
def complaint_extend(request, complaint_id: int):
    complaint = _complaint_to_manage(request, complaint_id)
    stage = selectors.current_stage(complaint)
    return _step(
        request,
        complaint,
        forms.ExtendForm(request.POST or None),
        title=f"Extend {stage.get_number_display().lower()}",
        submit="Extend",
        intro=f"It is due on {stage.deadline:%-d %B %Y}. A stage can be extended once.",
        call=lambda data: services.complaint_stage_extend(
            stage=stage, to=data["to"], reason=data["reason"], by=request.user
        ),
    )


@login_required
def complaint_respond(request, complaint_id: int):
    complaint = _complaint_to_manage(request, complaint_id)
    stage = selectors.current_stage(complaint)
    return _step(
        request,
        complaint,
        forms.RespondForm(request.POST or None, initial={"responded": timezone.localdate()}),
        title=f"Respond to {stage.get_number_display().lower()}",
        submit="Respond and make the letter",
        intro=(
            f"The letter goes to {complaint.from_name}. It says the outcome, your response, and "
            "by when they can ask to take it further."
        ),
        call=lambda data: services.complaint_stage_respond(stage=stage, by=request.user, **data),
    )


@login_required
def complaint_escalate(request, complaint_id: int):
    complaint = _complaint_to_manage(request, complaint_id)
    return _step(
        request,
        complaint,
        forms.EscalateForm(request.POST or None, initial={"requested": timezone.localdate()}),
        title="Escalate to the next stage",
        submit="Open the next stage",
        call=lambda data: services.complaint_escalate(
            complaint=complaint, requested=data["requested"], by=request.user
        ),
    )


@login_required
def complaint_action_add(request, complaint_id: int):
    complaint = _complaint_to_manage(request, complaint_id)
    return _step(
        request,
        complaint,
        forms.ActionForm(request.POST or None),
        title="Add an action",
        submit="Add the action",
        call=lambda data: services.complaint_action_add(
            complaint=complaint,
            text=data["text"],
            owner=data["owner"].user,
            due=data["due"],
            by=request.user,
        ),
    )


@login_required
@require_POST
def complaint_action_done(request, complaint_id: int, action_id: int):
    complaint = _complaint_to_manage(request, complaint_id)
    action = get_object_or_404(ComplaintAction, pk=action_id, complaint=complaint)
    with contextlib.suppress(ValidationError):  # done already: the page shows when
        services.complaint_action_done(action=action, by=request.user)
    return redirect("complaint_detail", complaint.pk)


@login_required
def complaint_close(request, complaint_id: int):
    complaint = _complaint_to_manage(request, complaint_id)
    return _step(
        request,
        complaint,
        forms.CloseForm(request.POST or None),
        title="Close the complaint",
        submit="Close it",
        call=lambda data: services.complaint_close(
            complaint=complaint, closed=data["closed"], learning=data["learning"], by=request.user
        ),
    )


def _stage_letter(complaint: Complaint, number: int) -> Letter:
    stage = next((s for s in complaint.stages.all() if s.number == number), None)
    if stage is None or stage.letter is None:
        raise Http404("No letter")
    return stage.letter


@login_required
@require_GET
def complaint_letter_pdf(request, complaint_id: int, number: int):
    complaint = _complaint_to_manage(request, complaint_id)
    letter = _stage_letter(complaint, number)
    if not letter.pdf:
        raise Http404("The letter is still being made")
    return FileResponse(
        letter.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{complaint.reference}-stage-{number}.pdf",
    )


@login_required
@require_POST
def complaint_letter_send(request, complaint_id: int, number: int):
    complaint = _complaint_to_manage(request, complaint_id)
    letter = _stage_letter(complaint, number)
    form = forms.LetterSentForm(request.POST)
    if form.is_valid():
        try:
            letters.letter_send(
                letter=letter, sent_by=form.cleaned_data["sent_by"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("complaint_detail", complaint.pk)
    return render_form(
        request,
        form,
        title="Mark the response letter sent",
        submit="Mark it sent",
        template="feedback/complaints/step.html",
        complaint=complaint,
    )


@login_required
def family_complaints(request, family_id: int):
    """A family's complaints, for anyone who can see the family: a complaint about a family
    is case data, so the family's door decides."""
    family = get_family_for_user(request, family_id)
    if request.method not in ("GET", "HEAD"):  # after the door: outside it, a 404
        return HttpResponseNotAllowed(["GET", "HEAD"])
    today = timezone.localdate()
    complaints = selectors.complaints_of_family(family)
    context = {
        "family": family,
        "rows": [_row(complaint, today) for complaint in complaints],
        "can_manage": permissions.can_user_manage_complaints(request.user),
    }
    return render(request, "feedback/complaints/family_list.html", context)
