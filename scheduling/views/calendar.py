"""The pod's week and a worker's week."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from families.access import log_families_shown
from pods.models import Worker
from pods.selectors import home_team, worker_for
from scheduling import calendar, permissions


def pod_calendar(request):
    today = timezone.localdate()
    worker = worker_for(request.user)
    team = home_team(worker, today) if worker else None
    if team is None:
        raise Http404("You are not in a team")
    if not permissions.can_user_see_calendar(request.user, team, today):
        raise PermissionDenied
    week = calendar.team_week(
        request.user, team, calendar.parse_week(request.GET.get("week"), today)
    )
    log_families_shown(request, week.families_shown)
    return render(
        request,
        "scheduling/calendar.html",
        {
            "week": week,
            "team": team,
            "today": today,
            "title": f"{team.name}: week of {week.monday:%-d %B %Y}",
            "can_schedule": permissions.can_user_schedule(request.user),
        },
    )


def worker_calendar(request, worker_id: int):
    today = timezone.localdate()
    viewer = worker_for(request.user)
    team = home_team(viewer, today) if viewer else None
    worker = get_object_or_404(Worker.objects.select_related("user"), pk=worker_id)
    if team is None or not permissions.can_user_see_worker_calendar(
        request.user, worker, team, today
    ):
        raise Http404("No such colleague in your team")
    week = calendar.worker_week(
        request.user, worker, calendar.parse_week(request.GET.get("week"), today)
    )
    log_families_shown(request, week.families_shown)
    return render(
        request,
        "scheduling/calendar.html",
        {
            "week": week,
            "team": team,
            "today": today,
            "worker": worker,
            "title": f"{worker.user.get_full_name()}: week of {week.monday:%-d %B %Y}",
            "can_schedule": permissions.can_user_schedule(request.user),
        },
    )
