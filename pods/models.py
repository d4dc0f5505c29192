"""The organisation: teams (pods and others), workers, memberships over time, absence, duty.

Anything a report counts is effective-dated (DESIGN §4): a membership or an absence is an
interval with a start and an inclusive end (null while it goes on), never a flag.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from simple_history.models import HistoricalRecords


class DateRangeInclusive(Func):
    """``daterange(start, end, '[]')``: a null end makes the range run on for ever."""

    function = "daterange"
    output_field = DateRangeField()

    def __init__(self, start, end):
        super().__init__(start, end, Value("[]"))


def overlapping(start_field: str, end_field: str, start: datetime.date, end: datetime.date | None):
    """Q for rows whose [start, end] interval (end inclusive, null = open) meets [start, end]."""
    q = Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start})
    if end is not None:
        q &= Q(**{f"{start_field}__lte": end})
    return q


def current_on(as_of: datetime.date, start_field: str = "start", end_field: str = "end"):
    """Q for rows whose interval includes the day ``as_of``."""
    return overlapping(start_field, end_field, as_of, as_of)


class TeamQuerySet(models.QuerySet):
    def active_on(self, as_of: datetime.date):
        return self.filter(current_on(as_of, "active_from", "active_to"))

    def pods(self):
        return self.filter(kind=Team.Kind.POD)


class Team(models.Model):
    """A pod or another team of the service. Each team owns one Django group, which holds
    exactly its current members (see services.sync_worker_groups)."""

    class Kind(models.TextChoices):
        POD = "pod", "Pod"
        SPECIALIST = "specialist", "Specialist team"
        FRONT_DOOR = "front_door", "Front door"
        LEADERSHIP = "leadership", "Leadership"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    specialism = models.CharField(
        max_length=100,
        blank=True,
        help_text="For specialist teams and pods, for example adolescents or fostering.",
    )
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="team")
    active_from = models.DateField()
    active_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="team_active_to_after_from",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_pod(self) -> bool:
        return self.kind == self.Kind.POD


class WorkerQuerySet(models.QuerySet):
    def employed_on(self, as_of: datetime.date):
        return self.filter(current_on(as_of, "start_date", "leave_date"))


class Worker(models.Model):
    """A member of staff: one per sign-in. Role, FTE and employment are as they are now; the
    dates say when the worker joined and left, so turnover can be counted for any period.
    The named line manager is as it is now too; its changes are in the history."""

    class Role(models.TextChoices):
        POD_MANAGER = "pod_manager", "Pod manager"
        SENIOR_SOCIAL_WORKER = "senior_social_worker", "Senior social worker"
        SOCIAL_WORKER = "social_worker", "Social worker"
        STUDENT_SOCIAL_WORKER = "student_social_worker", "Student social worker"
        BUSINESS_SUPPORT_OFFICER = "business_support_officer", "Business support officer"
        LEAD_PRACTITIONER = "lead_practitioner", "Lead practitioner"
        PRINCIPAL_SOCIAL_WORKER = "principal_social_worker", "Principal social worker"
        PROFESSIONAL_EDUCATOR = "professional_educator", "Professional educator"
        SENIOR_LEADER = "senior_leader", "Senior leader"
        REVIEWING_OFFICER = "reviewing_officer", "Reviewing officer"
        COMPLAINTS_OFFICER = "complaints_officer", "Complaints officer"
        PERFORMANCE_OFFICER = "performance_officer", "Performance officer"
        DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"

    class Employment(models.TextChoices):
        PERMANENT = "permanent", "Permanent"
        AGENCY = "agency", "Agency"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="worker"
    )
    role = models.CharField(max_length=40, choices=Role.choices)
    specialism = models.CharField(
        max_length=100, blank=True, help_text="For lead practitioners, e.g. domestic abuse."
    )
    newly_qualified = models.BooleanField(
        "newly qualified (ASYE)",
        default=False,
        help_text="In the assessed and supported year in employment.",
    )
    fte = models.DecimalField(
        "FTE",
        max_digits=3,
        decimal_places=2,
        help_text="Full-time equivalent, above 0 and at most 1.",
    )
    employment = models.CharField(
        max_length=20, choices=Employment.choices, default=Employment.PERMANENT
    )
    start_date = models.DateField()
    leave_date = models.DateField(
        null=True, blank=True, help_text="The last working day, when the worker has left."
    )
    line_manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="line_reports",
        help_text="Reads the wellbeing notes of the 1:1s this worker holds as supervisor.",
    )
    history = HistoricalRecords()

    objects = WorkerQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1), name="worker_fte_in_range"
            ),
            models.CheckConstraint(
                condition=Q(leave_date__isnull=True) | Q(leave_date__gte=F("start_date")),
                name="worker_leave_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(line_manager=F("pk")), name="worker_not_own_line_manager"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def clean(self):
        errors = {}
        if self.fte is not None and not (Decimal("0") < self.fte <= Decimal("1")):
            errors["fte"] = "Enter an FTE above 0 and no more than 1, for example 0.8"
        if self.leave_date and self.start_date and self.leave_date < self.start_date:
            errors["leave_date"] = "The leave date must be the same as or after the start date"
        if self.pk is not None and self.line_manager_id == self.pk:
            errors["line_manager"] = "A worker cannot be their own line manager"
        if errors:
            raise ValidationError(errors)


class TeamMembershipQuerySet(models.QuerySet):
    def current_on(self, as_of: datetime.date):
        return self.filter(current_on(as_of))


class TeamMembership(models.Model):
    """A worker's membership of a team from ``start`` to ``end`` (inclusive; null while it
    goes on). A worker is in at most one pod at a time, and never twice in one team at once."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="membership_end_after_start",
            ),
            ExclusionConstraint(
                name="membership_no_overlap_in_team",
                expressions=[
                    ("worker", RangeOperators.EQUAL),
                    ("team", RangeOperators.EQUAL),
                    (DateRangeInclusive("start", "end"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.worker} in {self.team} from {self.start:%d %b %Y}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                {"end": "The end date must be the same as or after the start date"}
            )
        if not (self.start and self.worker_id and self.team_id):
            return
        others = TeamMembership.objects.filter(
            overlapping("start", "end", self.start, self.end), worker_id=self.worker_id
        ).exclude(pk=self.pk)
        same_team = others.filter(team_id=self.team_id).first()
        if same_team:
            raise ValidationError(
                {"start": f"{self.worker} is already in {self.team} from {_when(same_team)}"}
            )
        if self.team.is_pod:
            other_pod = others.filter(team__kind=Team.Kind.POD).select_related("team").first()
            if other_pod:
                raise ValidationError(
                    {
                        "team": f"{self.worker} is already in {other_pod.team} from "
                        f"{_when(other_pod)}. End that membership first: a worker is in "
                        "one pod at a time"
                    }
                )


def _when(membership: TeamMembership) -> str:
    start = f"{membership.start:%-d %B %Y}"
    return (
        f"{start} to {membership.end:%-d %B %Y}" if membership.end else f"{start} with no end date"
    )


class Absence(models.Model):
    """Leave, sickness or training, so the pod can see who is away and cover their families."""

    class Kind(models.TextChoices):
        ANNUAL_LEAVE = "annual_leave", "Annual leave"
        SICKNESS = "sickness", "Sickness"
        TRAINING = "training", "Training"
        PARENTAL = "parental", "Parental leave"
        OTHER = "other", "Other"

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="absences")
    start = models.DateField()
    end = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="absence_end_after_start")
        ]

    def __str__(self):
        return f"{self.worker}: {self.get_kind_display()} {self.start:%d %b} to {self.end:%d %b %Y}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                {"end": "The end date must be the same as or after the start date"}
            )


class DutyRota(models.Model):
    """Who is on duty for a team on a day: the worker who picks up calls for families whose
    own worker is away."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="duty_days")
    date = models.DateField()
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="duty_days")
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = "duty rota day"
        constraints = [
            models.UniqueConstraint(fields=["team", "date"], name="one_duty_worker_per_team_day")
        ]

    def __str__(self):
        return f"{self.team} on {self.date:%d %b %Y}: {self.worker}"

    def clean(self):
        if not (self.team_id and self.worker_id and self.date):
            return
        in_team = TeamMembership.objects.filter(
            current_on(self.date), worker_id=self.worker_id, team_id=self.team_id
        )
        if not in_team.exists():
            raise ValidationError(
                {"worker": f"{self.worker} is not a member of {self.team} on {self.date:%-d %B %Y}"}
            )
        away = Absence.objects.filter(
            worker_id=self.worker_id, start__lte=self.date, end__gte=self.date
        )
        if away.exists():
            raise ValidationError(
                {
                    "worker": f"{self.worker} is away on {self.date:%-d %B %Y}: "
                    "choose someone who is at work"
                }
            )
