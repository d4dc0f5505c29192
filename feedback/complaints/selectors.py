"""Reads of complaints, each already limited to what the user may see
(feedback/permissions.py says who sees what and why) and with what the page shows fetched
in a fixed number of queries.

- The complaints officer: every complaint.
- A pod manager: the complaints about their pod, about a worker in it, or about a family
  they can see (through ``Family.objects.visible_to``).
- The worker a complaint is about: that one (its outcome; not the complainant's words if it
  is about a family they cannot see).
- Anyone else: none, and no count."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from families.models import Family
from feedback.complaints import clocks
from feedback.models import Complaint, ComplaintAction, ComplaintStage, Theme
from pods import permissions as pod_permissions
from pods.models import TeamMembership
from pods.selectors import worker_for


def complaints_visible_to(user, *, today: datetime.date | None = None) -> QuerySet[Complaint]:
    worker = worker_for(user)
    if worker is None:
        return Complaint.objects.none()
    if pod_permissions.is_complaints_officer(worker):
        return Complaint.objects.all()
    today = today or timezone.localdate()
    seen = Q(worker=worker)
    if pod_permissions.is_pod_manager(worker):
        pods = pod_permissions.managed_pods(worker, today)
        members = TeamMembership.objects.current_on(today).filter(team__in=pods)
        seen |= (
            Q(team__in=pods)
            | Q(worker__in=members.values("worker"))
            | Q(family__in=Family.objects.visible_to(user))
        )
    return Complaint.objects.filter(seen)


def complaints_of_family(family: Family) -> QuerySet[Complaint]:
    """A family's complaints, for those who can see the family (the view's door checked)."""
    return with_list_details(family.complaints.all())


def with_list_details(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """What a list row shows: the family, worker and team, the themes and the stages, in four
    queries whatever the number of rows (the complaints, themes, stages; no more)."""
    return complaints.select_related("family", "worker__user", "team").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("order", "name")),
        Prefetch("stages", queryset=ComplaintStage.objects.order_by("number")),
    )


def complaint_for_page(complaint_id: int, user) -> Complaint | None:
    """One complaint the user may see, with its stages, themes and actions, or None."""
    return (
        with_list_details(complaints_visible_to(user))
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=ComplaintAction.objects.select_related("owner").order_by("due", "pk"),
            ),
            "stages__letter",
        )
        .filter(pk=complaint_id)
        .first()
    )


def current_stage(complaint: Complaint) -> ComplaintStage:
    """The latest stage, from the prefetched stages."""
    return list(complaint.stages.all())[-1]


def _open_stage_ids(deadline_q: Q) -> QuerySet:
    """Ids of complaints whose open (unanswered) stage's deadline matches ``deadline_q``."""
    return (
        ComplaintStage.objects.filter(responded__isnull=True, complaint__closed__isnull=True)
        .filter(deadline_q)
        .values("complaint_id")
    )


def _deadline_before(day: datetime.date) -> Q:
    return Q(extended_to__lt=day) | Q(extended_to__isnull=True, due__lt=day)


def _deadline_between(start: datetime.date, end: datetime.date) -> Q:
    return Q(extended_to__range=(start, end)) | Q(extended_to__isnull=True, due__range=(start, end))


def overdue(complaints: QuerySet[Complaint], today: datetime.date) -> QuerySet[Complaint]:
    """Open complaints whose stage is unanswered after its deadline (extended or not)."""
    return complaints.filter(pk__in=_open_stage_ids(_deadline_before(today)))


def due_between(
    complaints: QuerySet[Complaint], start: datetime.date, end: datetime.date
) -> QuerySet[Complaint]:
    return complaints.filter(pk__in=_open_stage_ids(_deadline_between(start, end)))


def due_this_week(complaints: QuerySet[Complaint], today: datetime.date) -> QuerySet[Complaint]:
    """Unanswered stages due from today to the Sunday of this week."""
    return due_between(complaints, today, today + datetime.timedelta(days=6 - today.weekday()))


def filtered(
    complaints: QuerySet[Complaint],
    *,
    today: datetime.date,
    state: str = "",
    stage: int | None = None,
    team=None,
    theme=None,
) -> QuerySet[Complaint]:
    """The list's filters: open or overdue, at a stage, about a team, with a theme."""
    if state == "open":
        complaints = complaints.open()
    elif state == "overdue":
        complaints = overdue(complaints, today)
    elif state == "closed":
        complaints = complaints.filter(closed__isnull=False)
    if stage:
        later = ComplaintStage.objects.filter(number__gt=stage).values("complaint_id")
        complaints = complaints.filter(stages__number=stage).exclude(pk__in=later)
    if team is not None:
        complaints = complaints.filter(team=team)
    if theme is not None:
        complaints = complaints.filter(themes=theme)
    return complaints


def stage_days_left(stage: ComplaintStage, today: datetime.date) -> int | None:
    """Working days left before an unanswered stage is due (negative when late), or None."""
    if stage.responded:
        return None
    return clocks.working_days_left(today, stage.deadline)


def for_officer_home(user, today: datetime.date) -> dict:
    """The complaints officer's home: open stages overdue, and those due by Sunday, as the
    tables of ``home_officer.html``."""
    visible = complaints_visible_to(user, today=today)

    def rows(complaints):
        return [
            {"complaint": complaint, **stage_clock(current_stage(complaint), today)}
            for complaint in with_list_details(complaints)
        ]

    return {
        "complaint_home_tables": [
            ("Overdue", rows(overdue(visible, today)), "complaints-overdue"),
            ("Due this week", rows(due_this_week(visible, today)), "complaints-due-this-week"),
        ]
    }


def about_worker(worker) -> dict:
    """A worker's home: how many complaints are about them, and how many are still open (they
    see that a complaint exists and its outcome on the complaints list)."""
    counts = Complaint.objects.filter(worker=worker).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(closed__isnull=True))
    )
    return {"complaints_about_me": counts["total"], "complaints_about_me_open": counts["open"]}


def stage_clock(stage: ComplaintStage, today: datetime.date) -> dict:
    """A stage with its working days left, or late, as ``_stage_status.html`` shows it."""
    days_left = stage_days_left(stage, today)
    late = days_left is not None and days_left < 0
    return {"stage": stage, "days_left": days_left, "days_late": -days_left if late else 0}
