"""A family's journey: referrals, episodes, who holds the family, and each child's status.

Everything a monthly report counts is an effective-dated interval (start, inclusive end,
null while it goes on) or a dated event, so any past month can be counted today."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from families.models.people import Family, Person
from pods.models import DateRangeInclusive, Team, Worker, current_on


def _end_after_start(name: str, start: str = "start", end: str = "end"):
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}), name=name
    )


def _no_overlap(name: str, *same: str, start: str = "start", end: str = "end"):
    return ExclusionConstraint(
        name=name,
        expressions=[*((field, RangeOperators.EQUAL) for field in same),
                     (DateRangeInclusive(start, end), RangeOperators.OVERLAPS)],
    )  # fmt: skip


class IntervalQuerySet(models.QuerySet):
    def current_on(self, day: datetime.date):
        return self.filter(current_on(day))


class Referral(models.Model):
    """A request for help about a family, as it arrived at the Front Door for Families."""

    class Source(models.TextChoices):
        POLICE = "police", "Police"
        SCHOOL = "school", "School or education"
        HEALTH = "health", "Health"
        FAMILY = "family", "The family or a relative"
        SELF = "self", "The young person"
        LOCAL_AUTHORITY = "local_authority", "Local authority service"
        HOUSING = "housing", "Housing"
        ANONYMOUS = "anonymous", "Anonymous"
        OTHER = "other", "Other"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="referrals")
    received = models.DateField()
    source = models.CharField(max_length=30, choices=Source.choices)
    reason = models.TextField(help_text="What the referrer is worried about, in their words")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received"]

    def __str__(self):
        return f"Referral of {self.family} on {self.received:%d %b %Y}"


class Episode(models.Model):
    """The time a family is open to social work, from a referral to closure."""

    class ClosureReason(models.TextChoices):
        NEEDS_MET = "needs_met", "Needs met: the plan achieved its goals"
        STEP_DOWN = "step_down", "Stepped down to early help"
        MOVED_AWAY = "moved_away", "Moved out of the area"
        NO_FURTHER_ACTION = "no_further_action", "No further action after assessment"
        TURNED_EIGHTEEN = "turned_eighteen", "Child turned 18"
        PERMANENCE = "permanence", "Adoption or special guardianship order"
        OTHER = "other", "Other"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="episodes")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="episode")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    history = HistoricalRecords()

    objects = IntervalQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            _end_after_start("episode_end_after_start"),
            _no_overlap("episode_no_overlap", "family"),
        ]

    def __str__(self):
        return f"{self.family} open from {self.start:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.end is None


class Allocation(models.Model):
    """The social worker who holds a family, from ``start`` to ``end``. A new allocation in the
    same episode is a *change of social worker*, kept with its reason."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="allocations")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="allocations")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the worker changed, when it did")
    is_change_of_worker = models.BooleanField(
        default=False, help_text="Replaced another worker in the same episode"
    )
    history = HistoricalRecords()

    objects = IntervalQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            _end_after_start("allocation_end_after_start"),
            _no_overlap("allocation_no_overlap", "family"),
        ]
        indexes = [models.Index(fields=["worker", "end"]), models.Index(fields=["start"])]

    def __str__(self):
        return f"{self.family} with {self.worker} from {self.start:%d %b %Y}"


class PodAllocation(models.Model):
    """The team that holds a family (a pod, or the front door before allocation). The current
    one decides who sees the family: its group holds the family's one group grant."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="pod_allocations")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="pod_allocations")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = IntervalQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            _end_after_start("pod_allocation_end_after_start"),
            _no_overlap("pod_allocation_no_overlap", "family"),
        ]
        indexes = [models.Index(fields=["team", "end"])]

    def __str__(self):
        return f"{self.family} in {self.team} from {self.start:%d %b %Y}"


class ChildStatus(models.Model):
    """A child's legal or plan status over time: child in need plan, child protection plan,
    looked after, care proceedings. A child has at most one of each kind at a time."""

    class Kind(models.TextChoices):
        CIN_PLAN = "cin_plan", "Child in need plan"
        CP_PLAN = "cp_plan", "Child protection plan"
        LOOKED_AFTER = "looked_after", "Looked after (child in care)"
        CARE_PROCEEDINGS = "care_proceedings", "Care proceedings"

    class CPCategory(models.TextChoices):
        NEGLECT = "neglect", "Neglect"
        PHYSICAL = "physical", "Physical abuse"
        EMOTIONAL = "emotional", "Emotional abuse"
        SEXUAL = "sexual", "Sexual abuse"
        MULTIPLE = "multiple", "Multiple"

    class LegalStatus(models.TextChoices):
        S20 = "V2", "Accommodated by agreement (section 20)"
        INTERIM_CARE_ORDER = "C1", "Interim care order"
        CARE_ORDER = "C2", "Full care order"
        PLACEMENT_ORDER = "E1", "Placement order"
        REMAND = "J2", "Remanded to local authority accommodation"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="child_statuses")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="statuses")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    cp_category = models.CharField(
        "child protection category", max_length=20, choices=CPCategory.choices, blank=True
    )
    legal_status = models.CharField(max_length=4, choices=LegalStatus.choices, blank=True)
    uasc = models.BooleanField(
        "unaccompanied asylum-seeking child",
        default=False,
        help_text="Counted separately: some figures exclude UASC",
    )
    history = HistoricalRecords()

    objects = IntervalQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name_plural = "child statuses"
        constraints = [
            _end_after_start("child_status_end_after_start"),
            _no_overlap("child_status_no_overlap", "person", "kind"),
        ]
        indexes = [models.Index(fields=["kind", "start"]), models.Index(fields=["kind", "end"])]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()} from {self.start:%d %b %Y}"

    @property
    def detail(self) -> str:
        if self.kind == self.Kind.CP_PLAN and self.cp_category:
            return self.get_cp_category_display()
        if self.kind == self.Kind.LOOKED_AFTER:
            parts = [self.get_legal_status_display()] if self.legal_status else []
            if self.uasc:
                parts.append("UASC")
            return ", ".join(parts)
        return ""


class NeedAssessment(models.Model):
    """The level of need (1 to 4) on the city's continuum of need, with the indicators the
    worker ticked (ids from families/data/continuum_of_need.json, see families/continuum.py)."""

    class Level(models.IntegerChoices):
        UNIVERSAL = 1, "Level 1: Universal"
        EARLY_HELP = 2, "Level 2: Early Help"
        PARTNERSHIP_PLUS = 3, "Level 3: Early Help Partnership Plus"
        SPECIALIST = 4, "Level 4: Specialist services"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="need_assessments")
    child = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="need_assessments",
        help_text="Leave empty when the level is for the whole family",
    )
    date = models.DateField()
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    indicators = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="need_level_1_to_4"
            )
        ]

    def __str__(self):
        return f"{self.family}: {self.get_level_display()} on {self.date:%d %b %Y}"
