"""Assessment and plan screens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.govuk_forms import add_service_errors, render_form
from families.access import get_family_for_user, get_family_for_user_to_change
from families.models import Person
from families.models.codes import AssessmentFactor
from onestory import assessments, permissions, plans
from onestory.forms import (
    AssessmentCompleteForm,
    AssessmentForm,
    AssessmentSignOffForm,
    AssessmentStartForm,
    GoalProgressForm,
    PlanActionForm,
    PlanForm,
)
from onestory.models import Assessment, Plan


@require_http_methods(["GET", "POST"])
def assessment_start(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    form = AssessmentStartForm(request.POST or None, initial={"started": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessments.assessment_start(
                family=family, started=form.cleaned_data["started"], author=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Started: what the One Story already says has been copied in")
            return redirect("assessment", family_id=family.pk, assessment_id=assessment.pk)
    return render_form(
        request,
        form,
        family=family,
        title="Start an assessment",
        submit="Start",
        intro="The assessment starts from the family's summary and the last three months of the "
        "chronology, so nothing is typed twice. It is due 45 working days from the start.",
    )


@require_http_methods(["GET", "POST"])
def assessment(request, family_id: int, assessment_id: int):
    family = get_family_for_user(request, family_id)
    item = get_object_or_404(Assessment, pk=assessment_id, family=family)
    initial = {name: getattr(item, name) for name in Assessment.SECTIONS}
    form = AssessmentForm(request.POST if "save" in request.POST else None, initial=initial)
    complete = AssessmentCompleteForm(
        request.POST if "complete" in request.POST else None,
        initial={
            "completed": timezone.localdate(),
            "outcome": item.outcome,
            "primary_need": assessments.primary_need_of(item),
        },
    )
    sign_off = AssessmentSignOffForm(
        request.POST if "sign_off" in request.POST else None, initial={"factors": item.factors}
    )
    if request.method == "POST":
        family = get_family_for_user_to_change(request, family_id)
        try:
            if "save" in request.POST and form.is_valid():
                assessments.assessment_save(assessment=item, sections=form.cleaned_data)
                messages.success(request, "The assessment is saved")
                return redirect("assessment", family_id=family.pk, assessment_id=item.pk)
            if "complete" in request.POST and complete.is_valid():
                assessments.assessment_complete(assessment=item, **complete.cleaned_data)
                messages.success(request, "The assessment is complete and waiting for sign-off")
                return redirect("assessment", family_id=family.pk, assessment_id=item.pk)
            if "sign_off" in request.POST and sign_off.is_valid():
                assessments.assessment_sign_off(
                    assessment=item, by=request.user, factors=sign_off.cleaned_data["factors"]
                )
                messages.success(request, "The assessment is signed off")
                return redirect("assessment", family_id=family.pk, assessment_id=item.pk)
        except ValidationError as error:
            failed = {"complete": complete, "sign_off": sign_off}
            add_service_errors(
                next((f for name, f in failed.items() if name in request.POST), form), error
            )
    bound = any(f.is_bound and f.errors for f in (form, complete, sign_off))
    return render(
        request,
        "onestory/assessment.html",
        {
            "family": family,
            "assessment": item,
            "form": form,
            "complete": complete,
            "sign_off": sign_off,
            "factor_labels": [AssessmentFactor(code).label for code in item.factors],
            "can_sign_off": permissions.can_user_sign_off(request.user, family),
        },
        status=400 if bound else 200,
    )


@require_http_methods(["GET", "POST"])
def plan_add(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    children = Person.objects.filter(memberships__family=family, memberships__relationship="child")
    form = PlanForm(
        request.POST or None, children=children, initial={"start": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plans.plan_create(
                family=family,
                child=data["child"],
                kind=data["kind"],
                start=data["start"],
                review_date=data["review_date"],
                goals=data["goals"].splitlines(),
                created_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{plan.get_kind_display()} for {plan.child.first_name} created"
            )
            return redirect("plan", family_id=family.pk, plan_id=plan.pk)
    return render_form(request, form, family=family, title="Start a plan", submit="Create the plan")


@require_http_methods(["GET", "POST"])
def plan(request, family_id: int, plan_id: int):
    family = get_family_for_user(request, family_id)
    item = get_object_or_404(Plan.objects.select_related("child"), pk=plan_id, family=family)
    goals = list(item.goals.prefetch_related("actions", "progress"))
    action_form = PlanActionForm(
        request.POST if "add_action" in request.POST else None, goals=goals
    )
    progress_form = GoalProgressForm(
        request.POST if "add_progress" in request.POST else None,
        goals=goals,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST":
        family = get_family_for_user_to_change(request, family_id)
        by_pk = {goal.pk: goal for goal in goals}
        try:
            if "add_action" in request.POST and action_form.is_valid():
                data = action_form.cleaned_data
                plans.plan_action_add(
                    goal=by_pk[data["goal"]],
                    text=data["text"],
                    owner=data["owner"],
                    due=data["due"],
                )
                messages.success(request, "Action added")
                return redirect("plan", family_id=family.pk, plan_id=item.pk)
            if "add_progress" in request.POST and progress_form.is_valid():
                data = progress_form.cleaned_data
                plans.goal_progress_record(
                    goal=by_pk[data["goal"]],
                    date=data["date"],
                    rating=data["rating"],
                    note=data["note"],
                    recorded_by=request.user,
                )
                messages.success(request, "Progress recorded")
                return redirect("plan", family_id=family.pk, plan_id=item.pk)
        except ValidationError as error:
            add_service_errors(
                action_form if "add_action" in request.POST else progress_form, error
            )
    bound = (action_form.is_bound and action_form.errors) or (
        progress_form.is_bound and progress_form.errors
    )
    return render(
        request,
        "onestory/plan.html",
        {
            "family": family,
            "plan": item,
            "goals": goals,
            "action_form": action_form,
            "progress_form": progress_form,
        },
        status=400 if bound else 200,
    )
