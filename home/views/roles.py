"""Each audience's home page: what they need first when they sign in. A home page gathers
several apps (the pod's rota, visits due, supervision actions), so it lives here."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.shortcuts import render
from django.utils import timezone

from families.access import log_families_shown
from families.models import Family, FamilyGrant, PodAllocation
from families.permissions import can_user_hold_families
from families.selectors import held_by, held_by_team
from feedback.audits import selectors as audit_selectors
from feedback.complaints import selectors as complaint_selectors
from feedback.compliments import selectors as compliment_selectors
from home.bso_day import bso_day
from home.views.team import roster_seen_by
from onestory.timeliness import visits_due
from pods import permissions as pod_permissions
from pods import selectors
from pods.establishment import deviations
from pods.models import Team, Worker
from pods.working_days import working_days_from
from scheduling import calls
from scheduling import permissions as scheduling_permissions
from scheduling import selectors as meeting_selectors
from scheduling.clocks import meetings_due
from supervision import selectors as supervision_selectors

BREAK_GLASS_SHOWN_DAYS = 30
MEETINGS_SHOWN = 20


def home(request):
    """Each audience's home page: what they need first when they sign in."""
    today = timezone.localdate()
    worker = selectors.worker_for(request.user)
    if worker is None or pod_permissions.is_senior_leader(worker):
        return _service_home(request, worker, today)
    team = selectors.home_team(worker, today)
    context = {
        "worker": worker,
        "team": team,
        "today": today,
        "my_actions": supervision_selectors.my_actions(request.user, worker)[:20],
    }
    context.update(audit_selectors.for_home(request.user, worker))
    log_families_shown(request, context["audit_families"])
    if team is not None:
        roster = roster_seen_by(request.user, team, today)
        context["on_duty"] = next((row for row in roster if row.on_duty), None)
        context["away"] = [row for row in roster if row.absence]
        context.update(_calls_for(request.user, worker, team, today, context["on_duty"]))
    if pod_permissions.is_pod_manager(worker) and team is not None:
        context["team_deviations"] = deviations(selectors.team_with_establishment(team.pk, today))
        context["visits_due"] = visits_due(held_by_team(request.user, team), today)
        context["one_to_ones_due"] = [
            row
            for row in supervision_selectors.one_to_ones_due(worker, today)
            if row.is_overdue(today)
        ]
        context["break_glass"] = _break_glass_on_pod_families(request.user, team)
        context["meetings"] = meeting_selectors.with_families(
            meeting_selectors.meetings_for_team(request.user, team, today)[:MEETINGS_SHOWN]
        )
        context["compliments"] = compliment_selectors.for_worker_home(request.user, worker, today)
        template = "home/pod_manager.html"
    elif pod_permissions.is_business_support(worker) and team is not None:
        dates = working_days_from(today, 5)
        rota = selectors.duty_rota(team, dates)
        context["rota"] = [(day, rota.get(day)) for day in dates]
        context["day"] = bso_day(request.user, team, today)
        context["can_arrange_cover"] = scheduling_permissions.can_user_arrange_cover(
            request.user, team, today
        )
        log_families_shown(request, context["day"].families_shown)
        template = "home/business_support.html"
    elif pod_permissions.is_practitioner(worker):
        context["is_student"] = pod_permissions.is_student(worker)
        context["my_absences"] = worker.absences.filter(end__gte=today).order_by("start")[:3]
        # The families they hold, read once (the visibility rules run once) for both lists.
        held = list(held_by(request.user, worker).values_list("pk", flat=True))
        context["visits_due"] = visits_due(Family.objects.filter(pk__in=held), today)
        context["meetings"] = meeting_selectors.with_families(
            meetings_due(held, today)[:MEETINGS_SHOWN]
        )
        context["compliments"] = compliment_selectors.for_worker_home(request.user, worker, today)
        context.update(complaint_selectors.about_worker(worker))
        template = "home/practitioner.html"
    elif pod_permissions.is_complaints_officer(worker):
        context.update(complaint_selectors.for_officer_home(request.user, today))
        template = "home/specialist.html"
    else:
        template = "home/specialist.html"
    return render(request, template, context)


def _calls_for(user, worker, team, today, on_duty) -> dict:
    """Calls taken for this worker top their home page; the duty worker also sees the pod's
    urgent calls waiting."""
    # Calls are taken for the family's worker: business support hold no families.
    holds_families = can_user_hold_families(user)
    context = {"my_calls": list(calls.calls_waiting_for(worker)) if holds_families else []}
    if on_duty is not None and on_duty.worker.pk == worker.pk:
        context["urgent_calls"] = [
            call
            for call in calls.urgent_calls_for_duty(user, team, today)
            if call.for_worker_id != worker.pk
        ]
    return context


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
    return render(request, "home/service.html", context)
