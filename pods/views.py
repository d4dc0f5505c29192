"""Organisation screens: all teams and the duty rota. Each audience's home page and the team
page gather several apps, so they are in home/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pods import permissions, selectors, services
from pods.establishment import deviations
from pods.forms import DutyAssignForm
from pods.models import Worker
from pods.working_days import working_days_from

ROTA_DAYS_SHOWN = 10
BREAK_GLASS_SHOWN_DAYS = 30


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
