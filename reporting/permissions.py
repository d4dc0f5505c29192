"""Who sees which figures. Senior leaders see the authority's reports and every pod's; a pod
manager their own pods'; everyone their own figures. Figures never name a child: the list
behind a number shows only the children the viewer may see (families.visible_to)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from pods.models import Team
from pods.permissions import is_senior_leader, managed_pods, manages
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
