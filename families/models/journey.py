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

from families.models.codes import (
    CARE_NEEDS,
    CareEnded,
    CareLegalStatus,
    PreviousPermanence,
    PrimaryNeed,
    WorkerChangeReason,
)
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
        """Who referred: each choice is one of the DfE's referral sources (SOURCE_CODES)."""

        FAMILY = "family", "A family member, relative or carer"
        ACQUAINTANCE = "acquaintance", "An acquaintance, such as a neighbour or childminder"
        SELF = "self", "The young person"
        INDIVIDUAL_OTHER = "individual_other", "Another individual, such as a stranger or an MP"
        SCHOOL = "school", "A school"
        EDUCATION_SERVICES = "education_services", "Education services"
        GP = "gp", "Health: a GP"
        HEALTH_VISITOR = "health_visitor", "Health: a health visitor"
        SCHOOL_NURSE = "school_nurse", "Health: a school nurse"
        PRIMARY_HEALTH = "primary_health", "Health: other primary health services"
        EMERGENCY = "emergency", "Health: A&E"
        HEALTH = "health", "Health: another health service"
        HOUSING = "housing", "Housing"
        SOCIAL_CARE = "social_care", "The council's social care, such as adult services"
        LOCAL_AUTHORITY = "local_authority", "Another of the council's services"
        OTHER_AUTHORITY = "other_authority", "Another council"
        EARLY_HELP = "early_help", "Early help"
        POLICE = "police", "Police"
        LEGAL_AGENCY = "legal_agency", "Another legal agency, such as the courts or probation"
        OTHER = "other", "Other"
        ANONYMOUS = "anonymous", "Anonymous"
        UNKNOWN = "unknown", "Not known"

    SOURCE_CODES = {
        "family": "1A", "acquaintance": "1B", "self": "1C", "individual_other": "1D",
        "school": "2A", "education_services": "2B", "gp": "3A", "health_visitor": "3B",
        "school_nurse": "3C", "primary_health": "3D", "emergency": "3E", "health": "3F",
        "housing": "4", "social_care": "5A", "local_authority": "5B", "other_authority": "5C",
        "early_help": "5D", "police": "6", "legal_agency": "7", "other": "8", "anonymous": "9",
        "unknown": "10",
    }  # fmt: skip

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="referrals")
    received = models.DateField()
    source = models.CharField(max_length=30, choices=Source.choices)
    reason = models.TextField(help_text="What the referrer is worried about, in their words")
    no_further_action = models.BooleanField(
        "led to no further action",
        null=True,
        blank=True,
        help_text="Decided at the front door: yes when the referral closed without an assessment",
    )
    primary_need = models.CharField(
        "the child's primary need",
        max_length=2,
        choices=PrimaryNeed.choices,
        blank=True,
        help_text="Decided at assessment",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received"]

    def __str__(self):
        return f"Referral of {self.family} on {self.received:%d %b %Y}"

    @property
    def source_code(self) -> str:
        return self.SOURCE_CODES[self.source]


class Episode(models.Model):
    """The time a family is open to social work, from a referral to closure."""

    class ClosureReason(models.TextChoices):
        """Why the family's episode closed: each is one of the DfE's reasons (CLOSURE_CODES)."""

        NEEDS_MET = "needs_met", "Needs met: the plan achieved its goals"
        NO_FURTHER_ACTION = "no_further_action", "No further action after assessment"
        STEP_DOWN = "step_down", "Stepped down to early help after assessment"
        MOVED_AWAY = "moved_away", "Moved to another council's area"
        ADULT_SERVICES = "adult_services", "Transferred to adult social care"
        TURNED_EIGHTEEN = "turned_eighteen", "The child turned 18"
        ADOPTED = "adopted", "Adopted"
        PERMANENCE = "permanence", "Special guardianship order"
        CHILD_ARRANGEMENTS = "child_arrangements", "Child arrangements order"
        DIED = "died", "The child died"
        OTHER = "other", "Services ended for another reason"

    CLOSURE_CODES = {
        "adopted": "RC1", "died": "RC2", "child_arrangements": "RC3", "permanence": "RC4",
        "moved_away": "RC5", "adult_services": "RC6", "needs_met": "RC7",
        "turned_eighteen": "RC7", "other": "RC7", "no_further_action": "RC8",
        "step_down": "RC9",
    }  # fmt: skip

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
    def closure_code(self) -> str:
        return self.CLOSURE_CODES.get(self.closure_reason, "")

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
    change_reason = models.CharField(
        "why the social worker changed",
        max_length=6,
        choices=WorkerChangeReason.choices,
        blank=True,
        help_text="Empty for the first worker of an episode, which is a first contact",
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

    LegalStatus = CareLegalStatus

    CP_CATEGORY_CODES = {
        "neglect": "NEG", "physical": "PHY", "emotional": "EMO", "sexual": "SAB", "multiple": "MUL",
    }  # fmt: skip

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="child_statuses")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="statuses")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    cp_category = models.CharField(
        "child protection category",
        max_length=20,
        choices=CPCategory.choices,
        blank=True,
        help_text="The latest category, after any change at a review conference",
    )
    initial_cp_category = models.CharField(
        "category at the initial conference", max_length=20, choices=CPCategory.choices, blank=True
    )
    previous_cp_plans = models.PositiveSmallIntegerField(
        "previous child protection plans",
        null=True,
        blank=True,
        help_text="How many child protection plans the child had before this one, anywhere",
    )
    legal_status = models.CharField(max_length=4, choices=CareLegalStatus.choices, blank=True)
    care_need = models.CharField("category of need", max_length=2, choices=CARE_NEEDS, blank=True)
    care_ended = models.CharField(
        "why care ended",
        max_length=3,
        choices=CareEnded.choices,
        blank=True,
        help_text="On the last status of a period of care, when the child stops being looked after",
    )
    uasc_ceased = models.DateField(
        "no longer an unaccompanied asylum-seeking child from", null=True, blank=True
    )
    previous_permanence = models.CharField(
        "a permanence order before this care",
        max_length=2,
        choices=PreviousPermanence.choices,
        blank=True,
    )
    previous_permanence_council = models.CharField(
        "council that made it",
        max_length=3,
        blank=True,
        help_text="The DfE's three-digit council number, or WAL, SCO, NIR or NUK outside England",
    )
    previous_permanence_date = models.DateField("date of that order", null=True, blank=True)
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
    def cp_category_code(self) -> str:
        return self.CP_CATEGORY_CODES.get(self.cp_category, "")

    @property
    def initial_cp_category_code(self) -> str:
        return self.CP_CATEGORY_CODES.get(self.initial_cp_category or self.cp_category, "")

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
