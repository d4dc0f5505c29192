"""The family lists (mine, my pod's, search) and the family page: pages that gather what
every app knows of a family, so they live here above all of them (DESIGN §3)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from families import continuum
from families import permissions as family_permissions
from families import selectors as family_selectors
from families.access import get_family_for_user
from families.models import Family
from feedback import permissions as feedback_permissions
from feedback.surveys import selectors as survey_selectors
from home.selectors import with_list_details
from onestory import selectors as story_selectors
from onestory.timeliness import visits_due
from pods.selectors import home_team, worker_for
from scheduling import permissions as scheduling_permissions
from scheduling import selectors as meeting_selectors

FAMILY_PAGE_APPOINTMENTS = 5


def my_families(request):
    today = timezone.localdate()
    worker = worker_for(request.user)
    families = (
        with_list_details(family_selectors.held_by(request.user, worker), today)
        if worker
        else Family.objects.none()
    )
    return render(
        request,
        "families/list.html",
        {"title": "My families", "families": families, "today": today, "show_worker": False},
    )


def pod_families(request):
    today = timezone.localdate()
    worker = worker_for(request.user)
    team = home_team(worker, today) if worker else None
    families = (
        with_list_details(family_selectors.held_by_team(request.user, team), today)
        if team
        else Family.objects.none()
    )
    title = f"{team.name}'s families" if team else "My pod's families"
    return render(
        request,
        "families/list.html",
        {"title": title, "families": families, "today": today, "show_worker": True},
    )


@require_http_methods(["GET", "POST"])
def search(request):
    """Search posts its terms: children's names and dates of birth are kept out of URLs, and so
    out of server logs, proxies and browser history (DESIGN §5). A GET shows the empty form."""
    query = request.POST.get("q", "").strip() if request.method == "POST" else ""
    results = family_selectors.search_families(request.user, query)
    families = with_list_details(
        Family.objects.filter(pk__in=[family.pk for family in results]), timezone.localdate()
    )
    order = {family.pk: position for position, family in enumerate(results)}
    return render(
        request,
        "families/search.html",
        {
            "query": query,
            "families": sorted(families, key=lambda f: order[f.pk]),
            "today": timezone.localdate(),
            "searched": bool(query),
            "can_refer": family_permissions.can_user_refer(request.user),
        },
    )


def detail(request, family_id: int):
    family = get_family_for_user(request, family_id)
    page = family_selectors.family_page(family)
    user = request.user
    today = timezone.localdate()
    context = {
        "page": page,
        "family": family,
        "return_gaps": family_selectors.return_gaps(family, today=today, page=page),
        "today": today,
        "can_write": family_permissions.can_user_write_case(user, family),
        "can_allocate": family_permissions.can_user_allocate(user, family),
        "can_give_access": family_permissions.can_user_give_access(user, family),
        "can_restrict": family_permissions.can_user_restrict(user, family),
        "indicators": continuum.indicators_by_id(),
        "summary": story_selectors.summary_of(family),
        "latest_entries": story_selectors.latest_entries(family, user),
        "visits_due": visits_due(Family.objects.filter(pk=family.pk)),
        "assessments": list(family.assessments.all()[:5]),
        "plans": list(family.plans.filter(end__isnull=True).select_related("child")),
        "appointments": list(
            family.appointments.active()
            .filter(start__gte=timezone.now())
            .select_related("worker__user", "chair__user")[:FAMILY_PAGE_APPOINTMENTS]
        ),
        "meetings": [(m, family) for m in meeting_selectors.meetings_for_family(family, today)],
        "can_schedule": scheduling_permissions.can_user_schedule_for(user, family),
        "can_take_calls": scheduling_permissions.can_user_take_calls(user),
        "interview_waves": [
            wave
            for wave in survey_selectors.interview_waves(today).select_related("instrument")
            if feedback_permissions.can_user_enter_interview(user, wave)
        ],
    }
    return render(request, "families/detail.html", context)
