"""Organisation screens: each audience's home page, my pod, all teams, the duty rota."""

from __future__ import annotations

import dataclasses
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from families.models import Family, FamilyGrant, PodAllocation
from families.selectors import held_by, held_by_team
from onestory.timeliness import visits_due
from pods import permissions, selectors, services
from pods.establishment import deviations, establishment_lines
from pods.forms import DutyAssignForm
from pods.models import Team, Worker
from pods.working_days import working_days_from
from supervision import selectors as supervision_selectors

ROTA_DAYS_SHOWN = 10
BREAK_GLASS_SHOWN_DAYS = 30
PRACTITIONER_ROLES = {
    Worker.Role.SOCIAL_WORKER,
    Worker.Role.SENIOR_SOCIAL_WORKER,
    Worker.Role.STUDENT_SOCIAL_WORKER,
    Worker.Role.REVIEWING_OFFICER,
}


def home(request):
    """Each audience's home page: what they need first when they sign in."""
    today = timezone.localdate()
    worker = selectors.worker_for(request.user)
    if worker is None or worker.role == Worker.Role.SENIOR_LEADER:
        return _service_home(request, worker, today)
    team = selectors.home_team(worker, today)
    context = {
        "worker": worker,
        "team": team,
        "today": today,
        "my_actions": supervision_selectors.my_actions(request.user, worker)[:20],
    }
    if team is not None:
        roster = _roster_seen_by(request.user, team, today)
        context["on_duty"] = next((row for row in roster if row.on_duty), None)
        context["away"] = [row for row in roster if row.absence]
    if worker.role == Worker.Role.POD_MANAGER and team is not None:
        context["team_deviations"] = deviations(selectors.team_with_establishment(team.pk, today))
        context["visits_due"] = visits_due(held_by_team(request.user, team), today)
        context["one_to_ones_due"] = [
            row
            for row in supervision_selectors.one_to_ones_due(worker, today)
            if row.is_overdue(today)
        ]
        context["break_glass"] = _break_glass_on_pod_families(request.user, team)
        template = "pods/home_pod_manager.html"
    elif worker.role == Worker.Role.BUSINESS_SUPPORT_OFFICER and team is not None:
        dates = working_days_from(today, 5)
        context["rota"] = [(day, selectors.duty_rota(team, dates).get(day)) for day in dates]
        template = "pods/home_business_support.html"
    elif worker.role in PRACTITIONER_ROLES:
        context["my_absences"] = worker.absences.filter(end__gte=today).order_by("start")[:3]
        context["visits_due"] = visits_due(held_by(request.user, worker), today)
        template = "pods/home_practitioner.html"
    else:
        template = "pods/home_specialist.html"
    return render(request, template, context)


def _break_glass_on_pod_families(user, team: Team):
    """Senior leaders' break-glass grants, in the last ``BREAK_GLASS_SHOWN_DAYS``, on the
    families the pod holds now, newest first: so the pod manager knows who opened which record
    and why. Only families the pod manager can see (a restricted one they are not named on
    stays hidden)."""
    in_pod = PodAllocation.objects.filter(family=OuterRef("pk"), team=team, end__isnull=True)
    families = Family.objects.visible_to(user).filter(Exists(in_pod))
    since = timezone.now() - datetime.timedelta(days=BREAK_GLASS_SHOWN_DAYS)
    return list(
        FamilyGrant.objects.filter(
            kind=FamilyGrant.Kind.BREAK_GLASS, starts__gte=since, family__in=families
        )
        .select_related("family", "user")
        .order_by("-starts")
    )


def _service_home(request, worker, today):
    teams = list(selectors.teams_overview(today))
    social_workers = Worker.objects.employed_on(today).filter(
        role__in=[Worker.Role.SOCIAL_WORKER, Worker.Role.SENIOR_SOCIAL_WORKER]
    )
    workforce = social_workers.aggregate(
        total=Count("pk"), agency=Count("pk", filter=Q(employment=Worker.Employment.AGENCY))
    )
    pods = [team for team in teams if team.is_pod]
    context = {
        "worker": worker,
        "today": today,
        "team_count": len(teams),
        "pod_count": len(pods),
        "headcount": Worker.objects.employed_on(today).count(),
        "total_fte": Worker.objects.employed_on(today).aggregate(fte=Sum("fte"))["fte"] or 0,
        "social_workers": workforce["total"],
        "agency_rate": (100 * workforce["agency"] / workforce["total"])
        if workforce["total"]
        else 0,
        "pods_with_deviations": [
            (team, team_deviations) for team in pods if (team_deviations := deviations(team))
        ],
    }
    return render(request, "pods/home_service.html", context)


def my_pod(request):
    today = timezone.localdate()
    worker = selectors.worker_for(request.user)
    team = selectors.home_team(worker, today) if worker else None
    if team is None:
        return render(request, "pods/no_team.html", status=404)
    return _team_page(request, team, today)


def team_detail(request, team_id: int):
    today = timezone.localdate()
    team = get_object_or_404(Team, pk=team_id)
    if not permissions.can_user_view_team(request.user, team, today):
        raise PermissionDenied
    return _team_page(request, team, today)


def _team_page(request, team: Team, today):
    team = selectors.team_with_establishment(team.pk, today)
    roster = _roster_seen_by(request.user, team, today)
    context = {
        "team": team,
        "today": today,
        "roster": roster,
        "on_duty": next((row for row in roster if row.on_duty), None),
        "away": [row for row in roster if row.absence],
        "establishment": establishment_lines(team) if team.is_pod else None,
        "can_keep_rota": permissions.can_user_keep_rota(request.user, team, today),
        "visits_due": visits_due(held_by_team(request.user, team), today),
    }
    return render(request, "pods/team.html", context)


def _roster_seen_by(user, team: Team, today) -> list[selectors.RosterRow]:
    """The team's roster, with why each absent worker is away only where ``user`` may see it
    (pods.permissions.can_user_see_absence_kind); otherwise "Away"."""
    return [
        dataclasses.replace(row, absence_kind_shown=True)
        if row.absence and permissions.can_user_see_absence_kind(user, row.worker)
        else row
        for row in selectors.team_roster(team, today)
    ]


def all_teams(request):
    if not permissions.can_user_see_all_teams(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    teams = [
        (team, deviations(team) if team.is_pod else []) for team in selectors.teams_overview(today)
    ]
    return render(request, "pods/all_teams.html", {"teams": teams, "today": today})


@require_http_methods(["GET", "POST"])
def duty_rota(request):
    """The business support officer (or pod manager) keeps the pod's duty rota for the
    coming working days. One form per day, so it works without JavaScript."""
    today = timezone.localdate()
    worker = selectors.worker_for(request.user)
    team = selectors.home_team(worker, today) if worker else None
    if team is None or not permissions.can_user_keep_rota(request.user, team, today):
        raise PermissionDenied
    dates = working_days_from(today, ROTA_DAYS_SHOWN)
    members = Worker.objects.filter(
        memberships__in=team.memberships.current_on(today)
    ).select_related("user")
    failed_form = None
    if request.method == "POST":
        form = DutyAssignForm(
            request.POST, members=members, dates=dates, auto_id=_rota_id(request.POST.get("date"))
        )
        if form.is_valid():
            try:
                services.duty_assign(
                    team=team, date=form.cleaned_data["date"], worker=form.cleaned_data["worker"]
                )
            except ValidationError as error:
                form.add_error("worker", error.message_dict.get("worker", error.messages))
            else:
                day = form.cleaned_data["date"]
                messages.success(request, f"Duty rota for {day:%A %-d %B} saved")
                return redirect("duty_rota")
        failed_form = form
    rota = selectors.duty_rota(team, dates)
    rows = []
    for day in dates:
        if failed_form is not None and failed_form.data.get("date") == day.isoformat():
            form = failed_form
        else:
            current = rota.get(day)
            form = DutyAssignForm(
                initial={"date": day, "worker": current.worker_id if current else None},
                members=members,
                dates=dates,
                auto_id=_rota_id(day.isoformat()),
            )
        rows.append((day, rota.get(day), form))
    status = 400 if failed_form is not None else 200
    return render(
        request,
        "pods/duty_rota.html",
        {"team": team, "rows": rows, "failed_form": failed_form},
        status=status,
    )


def _rota_id(day: str | None) -> str:
    """Field ids unique to each day's form, e.g. worker-2026-11-23."""
    safe_day = "".join(c for c in (day or "") if c.isdigit() or c == "-")
    return f"%s-{safe_day}"
