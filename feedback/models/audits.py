"""Practitioner-led quality-assurance audits: each quarter a sample of each pod's families is
drawn (random, stratified by plan type, skipping families audited in the last 12 months); an
auditor who is not the family's worker, or the worker with their manager auditing their own
case to learn, grades six areas and the whole on the four-point scale; a manager moderates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from feedback.models.base import ActionBase, text_field


class Grade(models.IntegerChoices):
    """Ofsted's four-point scale; lower is better, so "good or better" is ``<= GOOD``."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement"
    INADEQUATE = 4, "Inadequate"


class AuditArea(models.TextChoices):
    CHILDS_VOICE = "childs_voice", "The child's voice"
    ASSESSMENT = "assessment", "Assessment"
    PLANNING = "planning", "Planning"
    MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight"
    ONE_STORY = "one_story", "The One Story record"
    RELATIONSHIP = "relationship", "The relationship with the family"


AREAS = list(AuditArea)


class PlanType(models.TextChoices):
    """The stratum a family was sampled from: the plan its children were on when drawn."""

    CHILD_PROTECTION = "cp", "Child protection"
    LOOKED_AFTER = "cla", "Child looked after"
    CHILD_IN_NEED = "cin", "Child in need"
    OTHER = "other", "Assessment or other work"


class AuditProgramme(models.Model):
    """One quarter's audits: how many families per pod, when the sample was drawn and by whom."""

    year = models.PositiveSmallIntegerField(help_text="The financial year it starts, e.g. 2016")
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    per_pod = models.PositiveSmallIntegerField(default=4)
    drawn = models.DateTimeField(null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="one_programme_a_quarter")
        ]

    def __str__(self):
        return f"Q{self.quarter} {self.year}-{(self.year + 1) % 100:02d}"


class Audit(models.Model):
    """The audit of one family's record: who audits it (through a time-limited grant when
    they are outside its pod), the grades, what was found and learnt, and the moderation."""

    class Status(models.TextChoices):
        SAMPLED = "sampled", "Waiting for an auditor"
        ASSIGNED = "assigned", "With the auditor"
        SUBMITTED = "submitted", "Waiting for moderation"
        MODERATED = "moderated", "Moderated"

    programme = models.ForeignKey(
        AuditProgramme, on_delete=models.PROTECT, null=True, blank=True, related_name="audits"
    )
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="audits")
    team = models.ForeignKey(
        "pods.Team", on_delete=models.PROTECT, related_name="+", help_text="The pod when drawn"
    )
    plan_type = models.CharField(max_length=10, choices=PlanType.choices)
    worker = models.ForeignKey(
        "pods.Worker", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The family's worker when drawn",
    )  # fmt: skip
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="audits_done",
    )  # fmt: skip
    self_audit = models.BooleanField(
        default=False, help_text="The worker audits their own case with their manager"
    )
    grant = models.ForeignKey(
        "families.FamilyGrant", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SAMPLED)
    overall = models.PositiveSmallIntegerField(
        choices=Grade.choices, null=True, blank=True,
        help_text="The overall grade: the auditor's, then the moderator's once moderated",
    )  # fmt: skip
    auditor_overall = models.PositiveSmallIntegerField(
        "the auditor's overall grade", choices=Grade.choices, null=True, blank=True,
        help_text="Kept as the auditor gave it when the moderator changes the grade",
    )  # fmt: skip
    findings = text_field("What the audit found")
    learning = text_field("What the worker and the pod can learn")
    submitted = models.DateTimeField(null=True, blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    moderated = models.DateTimeField(null=True, blank=True)
    moderation_note = text_field("What the moderator said")
    created = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="submitted") & ~Q(status="moderated")
                | Q(overall__isnull=False),
                name="audit_submitted_with_grade",
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["family", "created"]), models.Index(fields=["moderated"])]

    def __str__(self):
        return f"Audit of {self.family}"

    @property
    def good_or_better(self) -> bool | None:
        return None if self.overall is None else self.overall <= Grade.GOOD


class AuditGrade(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="grades")
    area = models.CharField(max_length=30, choices=AuditArea.choices)
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    comment = text_field("Why")
    history = HistoricalRecords()

    class Meta:
        ordering = ["audit", "area"]
        constraints = [models.UniqueConstraint(fields=["audit", "area"], name="one_grade_an_area")]

    def __str__(self):
        return f"{self.get_area_display()}: {self.get_grade_display()}"


class AuditAction(ActionBase):
    """Something the worker is to do after the audit, by a date: shown on their home page."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    history = HistoricalRecords()

    class Meta(ActionBase.Meta):
        pass
