"""Who sees which figures. Senior leaders see the authority's reports and every pod's; a pod
manager their own pods'; everyone their own figures. Figures never name a child: the list
behind a number shows only the children the viewer may see (families.visible_to)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from pods.models import Team, TeamMembership
from pods.permissions import (
    is_performance_officer,
    is_senior_leader,
    managed_pods,
    manages,
    works_in_a_pod,
)
from pods.selectors import worker_for
from reporting.models import MonthlyReport


def can_user_see_every_report(user) -> bool:
    """The authority's figures and every pod's: senior leaders (and administrators)."""
    return user.is_superuser or is_senior_leader(worker_for(user))


def can_user_see_team_figures(user, team: Team | None) -> bool:
    """A team's report and dashboard (``team`` None is the authority's)."""
    if can_user_see_every_report(user):
        return True
    if team is None:
        return False
    return manages(worker_for(user), team, timezone.localdate())


def can_user_see_reports(user) -> bool:
    """The list of reports: leaders, and pod managers with a pod."""
    return can_user_see_every_report(user) or managed_pods_of(user).exists()


def managed_pods_of(user) -> QuerySet[Team]:
    return managed_pods(worker_for(user), timezone.localdate())


def reports_visible_to(user) -> QuerySet[MonthlyReport]:
    reports = MonthlyReport.objects.select_related("team")
    if can_user_see_every_report(user):
        return reports
    return reports.filter(team__in=managed_pods_of(user))


# --- statutory returns ------------------------------------------------------------------------


def can_user_build_returns(user) -> bool:
    """Build, read and download the DfE's statutory returns: the performance officer. They see
    each finding by the child's reference and the family's, never a family's record: the pod
    that holds the family puts it right."""
    return is_performance_officer(worker_for(user))


def data_quality_pods_of(user) -> QuerySet[Team]:
    """The pods whose findings a worker's data-quality page lists: the pods they work in
    (a pod manager's, and each practitioner's own, so colleagues can put things right)."""
    worker = worker_for(user)
    if worker is None or not works_in_a_pod(worker):
        return Team.objects.none()
    current = TeamMembership.objects.current_on(timezone.localdate()).filter(worker=worker)
    return Team.objects.pods().filter(pk__in=current.values("team"))
