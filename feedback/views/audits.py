"""The quality-assurance audit screens.

For those who run the programme (not family-scoped): the quarters' programmes and drawing a
sample, a programme's audits (a family named only to those who can see it), assigning an
auditor, and the results (aggregates). Family-scoped, behind the family's door: a family's
audits, one audit, the auditor's form, moderation and marking an action done. Outside
visibility every family-scoped request is the same 404; a refusal inside it is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from config.govuk_forms import add_service_errors, render_form
from families.access import get_family_for_user
from feedback import permissions
from feedback.audits import results, selectors, services
from feedback.audits.forms import AssignForm, AuditForm, DrawForm, ModerateForm
from feedback.audits.sampling import quarter_of
from feedback.models.audits import Audit, AuditAction, AuditProgramme
from pods.models import Team


def _check(allowed: bool, why: str) -> None:
    if not allowed:
        raise PermissionDenied(why)


@login_required
def audit_list(request):
    """The programmes, newest first, and (for the principal social worker) drawing one."""
    _check(
        permissions.can_user_see_audit_programme(request.user),
        "The audit programme is for the principal social worker and pod managers",
    )
    year, quarter = quarter_of(timezone.localdate())
    form = DrawForm(initial={"year": year, "quarter": quarter, "per_pod": 4})
    return render(
        request,
        "feedback/audits/list.html",
        {
            "programmes": AuditProgramme.objects.all(),
            "form": form if permissions.can_user_run_audit_programme(request.user) else None,
            "can_see_results": permissions.can_user_see_audit_results(request.user),
        },
    )


@login_required
@require_POST
def audit_programme_draw(request):
    _check(
        permissions.can_user_run_audit_programme(request.user),
        "Only the principal social worker draws the quarter's sample",
    )
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            programme = services.programme_draw(
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                per_pod=form.cleaned_data["per_pod"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{programme}: {programme.audits.count()} families drawn for audit"
            )
            return redirect("audit_programme", programme_id=programme.pk)
    return render_form(request, form, title="Draw a quarter's sample", submit="Draw the sample")


@login_required
def audit_programme(request, programme_id: int):
    _check(
        permissions.can_user_see_audit_programme(request.user),
        "The audit programme is for the principal social worker and pod managers",
    )
    programme = get_object_or_404(AuditProgramme, pk=programme_id)
    teams = permissions.audit_teams_for(request.user)
    audits, visible = selectors.programme_audits(programme, request.user, teams)
    for audit in audits:
        audit.shown = audit.family_id in visible
        audit.assignable = audit.status == Audit.Status.SAMPLED and (
            permissions.can_user_assign_auditor(request.user, audit)
        )
    return render(
        request,
        "feedback/audits/programme.html",
        {"programme": programme, "audits": audits, "can_draw": _can_redraw(request, programme)},
    )


def _can_redraw(request, programme: AuditProgramme) -> bool:
    return permissions.can_user_run_audit_programme(request.user) and not (
        programme.audits.exclude(status=Audit.Status.SAMPLED).exists()
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_assign(request, audit_id: int):
    audit = get_object_or_404(
        Audit.objects.select_related("programme", "team", "worker__user"), pk=audit_id
    )
    _check(
        permissions.can_user_assign_auditor(request.user, audit),
        "Auditors are assigned by the principal social worker or the pod's manager",
    )
    form = AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_assign(
                audit=audit,
                auditor=form.cleaned_data["auditor"],
                self_audit=form.cleaned_data["self_audit"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['auditor'].name} will audit the record")
            return redirect("audit_programme", programme_id=audit.programme_id)
    return render_form(
        request,
        form,
        title="Assign an auditor",
        submit="Assign the auditor",
        template="feedback/audits/assign.html",
        audit=audit,
    )


@login_required
def audit_results(request):
    _check(
        permissions.can_user_see_audit_results(request.user),
        "Audit results are for senior leaders, the principal social worker and pod managers",
    )
    teams = permissions.audit_teams_for(request.user)
    quarters = results.audit_results(teams)
    shown_teams = list(
        Team.objects.filter(pk__in={pk for q in quarters for pk in q.by_team}).order_by("name")
    )
    return render(
        request,
        "feedback/audits/results.html",
        {
            "quarters": quarters,
            "teams": shown_teams,
            "team_rows": [(q, [q.by_team.get(team.pk) for team in shown_teams]) for q in quarters],
            "plan_totals": results.plan_type_totals(quarters),
            "all_pods": teams is None,
        },
    )


# --- behind the family's door -------------------------------------------------------------


@login_required
def audit_family_list(request, family_id: int):
    family = get_family_for_user(request, family_id)
    return render(
        request,
        "feedback/audits/family_list.html",
        {
            "family": family,
            "audits": selectors.family_audits(family),
            "can_self_audit": permissions.can_user_start_self_audit(request.user, family),
        },
    )


@login_required
def audit_self_start(request, family_id: int):
    # The family first, then the method: outside visibility every request is the same 404.
    family = get_family_for_user(request, family_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        audit = services.audit_self_start(family=family, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("audit_family_list", family_id=family.pk)
    messages.success(request, "The self-audit is started: grade the record with your manager")
    return redirect("audit_grade", family_id=family.pk, audit_id=audit.pk)


@login_required
def audit_detail(request, family_id: int, audit_id: int):
    family = get_family_for_user(request, family_id)
    audit = selectors.audit_of_family(family, audit_id)
    can_grade = permissions.can_user_grade_audit(request.user, audit)
    return render(
        request,
        "feedback/audits/detail.html",
        {
            "family": family,
            "audit": audit,
            "grades": audit.grades.all(),
            "actions": audit.actions.select_related("owner"),
            "can_grade": can_grade,
            "can_moderate": permissions.can_user_moderate_audit(request.user, audit, family),
            # Grades in progress are the auditor's until they submit them.
            "show_grades": can_grade or audit.status != Audit.Status.ASSIGNED,
            "user_id": request.user.pk,
        },
    )


def _initial(audit: Audit) -> dict:
    initial = {"overall": audit.overall, "findings": audit.findings, "learning": audit.learning}
    for grade in audit.grades.all():
        initial[f"grade_{grade.area}"] = grade.grade
        initial[f"comment_{grade.area}"] = grade.comment
    for n, action in enumerate(audit.actions.all(), start=1):
        initial[f"action_{n}_text"] = action.text
        initial[f"action_{n}_due"] = action.due
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def audit_grade(request, family_id: int, audit_id: int):
    family = get_family_for_user(request, family_id)
    audit = selectors.audit_of_family(family, audit_id)
    _check(
        permissions.can_user_grade_audit(request.user, audit),
        "Only the auditor fills in the audit, until it is submitted",
    )
    form = AuditForm(request.POST or None, initial=_initial(audit))
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.audit_record(
                audit=audit,
                grades=form.area_grades(),
                overall=form.cleaned_data["overall"],
                findings=form.cleaned_data["findings"],
                learning=form.cleaned_data["learning"],
                actions=form.action_drafts(),
                submit=submit,
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Audit submitted: the pod manager will moderate it"
                if submit
                else "Audit saved: you can come back to it",
            )
            return redirect("audit_detail", family_id=family.pk, audit_id=audit.pk)
    return render_form(
        request,
        form,
        title="Audit the record",
        family=family,
        template="feedback/audits/grade.html",
        audit=audit,
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_moderate(request, family_id: int, audit_id: int):
    family = get_family_for_user(request, family_id)
    audit = selectors.audit_of_family(family, audit_id)
    _check(
        permissions.can_user_moderate_audit(request.user, audit, family),
        "A submitted audit is moderated by the family's pod manager, who did not audit it",
    )
    form = ModerateForm(request.POST or None, initial={"grade": audit.overall})
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_moderate(
                audit=audit,
                grade=form.cleaned_data["grade"],
                note=form.cleaned_data["note"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Audit moderated")
            return redirect("audit_detail", family_id=family.pk, audit_id=audit.pk)
    return render_form(
        request,
        form,
        title="Moderate the audit",
        family=family,
        submit="Moderate",
        template="feedback/audits/moderate.html",
        audit=audit,
        grades=audit.grades.all(),
    )


@login_required
def audit_action_done(request, family_id: int, audit_action_id: int):
    # The family first, then the method: outside visibility every request is the same 404.
    family = get_family_for_user(request, family_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = get_object_or_404(
        AuditAction.objects.select_related("audit"), pk=audit_action_id, audit__family=family
    )
    _check(
        permissions.can_user_complete_audit_action(request.user, action, family),
        "Only the worker the action is for, or the pod manager, marks it done",
    )
    services.audit_action_done(action=action)
    messages.success(request, f"Done: {action.text}")
    return redirect("audit_detail", family_id=family.pk, audit_id=action.audit_id)
