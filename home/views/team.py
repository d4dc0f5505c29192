"""My pod (or team) and any team's page: its roster, who is away and on duty, its
establishment against the model, and the visits due on its families."""

from __future__ import annotations

import dataclasses

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from families.selectors import held_by_team
from onestory.timeliness import visits_due
from pods import permissions as pod_permissions
from pods import selectors
from pods.establishment import establishment_lines
from pods.models import Team


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
    if not pod_permissions.can_user_view_team(request.user, team, today):
        raise PermissionDenied
    return _team_page(request, team, today)


def _team_page(request, team: Team, today):
    team = selectors.team_with_establishment(team.pk, today)
    roster = roster_seen_by(request.user, team, today)
    context = {
        "team": team,
        "today": today,
        "roster": roster,
        "on_duty": next((row for row in roster if row.on_duty), None),
        "away": [row for row in roster if row.absence],
        "establishment": establishment_lines(team) if team.is_pod else None,
        "can_keep_rota": pod_permissions.can_user_keep_rota(request.user, team, today),
        "visits_due": visits_due(held_by_team(request.user, team), today),
    }
    return render(request, "home/team.html", context)


def roster_seen_by(user, team: Team, today) -> list[selectors.RosterRow]:
    """The team's roster, with why each absent worker is away only where ``user`` may see it
    (pods.pod_permissions.can_user_see_absence_kind); otherwise "Away"."""
    return [
        dataclasses.replace(row, absence_kind_shown=True)
        if row.absence and pod_permissions.can_user_see_absence_kind(user, row.worker)
        else row
        for row in selectors.team_roster(team, today)
    ]
