"""Complaints under the children's statutory complaints procedure (the Children Act 1989
Representations Procedure (England) Regulations 2006): received, about whom, themed, and taken
through up to three stages, each with its own clock in working days (feedback/clocks.py).

A stage is a dated event with a deadline stamped when it opens (``due``), so a figure about
responses in time does not move when the settings do."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from feedback.models.base import ActionBase, From, ReceivedBy, text_field


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class Theme(models.Model):
    """What complaints or compliments are about, as a list administrators keep (seeded with
    the themes the seeds name)."""

    class For(models.TextChoices):
        COMPLAINTS = "complaints", "Complaints"
        COMPLIMENTS = "compliments", "Compliments"

    name = models.CharField(max_length=120)
    used_for = models.CharField(max_length=20, choices=For.choices)
    active = models.BooleanField(default=True, help_text="Offered on the forms")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["used_for", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["used_for", "name"], name="theme_name_once")]

    def __str__(self):
        return self.name


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed__isnull=True)


class Complaint(models.Model):
    """One complaint: when and how it came, from whom, about which family, worker or team."""

    reference = models.CharField(max_length=20, unique=True)
    received = models.DateField()
    received_by = models.CharField("How it came", max_length=20, choices=ReceivedBy.choices)
    from_kind = models.CharField("Who made it", max_length=20, choices=From.choices)
    from_name = models.CharField("Their name", max_length=200)
    from_address = models.TextField("Their address", blank=True, max_length=500)
    from_email = models.EmailField("Their email address", blank=True)
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, null=True, blank=True,
        related_name="complaints",
    )  # fmt: skip
    worker = models.ForeignKey(
        "pods.Worker", on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    team = models.ForeignKey(
        "pods.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    summary = models.TextField("What the complaint is about", max_length=5000)
    themes = models.ManyToManyField(Theme, related_name="complaints", blank=True)
    # A child who complains is offered an advocate; the offer and the answer are recorded.
    advocate_offered = models.DateField(null=True, blank=True)
    advocate_accepted = models.BooleanField(null=True, blank=True)
    learning = text_field("What the service has learnt")
    closed = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(family__isnull=False) | Q(worker__isnull=False) | Q(team__isnull=False),
                name="complaint_is_about_someone",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(from_kind=From.CHILD) | Q(advocate_offered__isnull=False),
                name="child_complainant_offered_advocate",
            ),
        ]
        indexes = [models.Index(fields=["received"]), models.Index(fields=["team", "received"])]

    def __str__(self):
        return f"Complaint {self.reference}"


class ComplaintStage(models.Model):
    """One stage of a complaint: opened on a day, due by the day its clock gave, perhaps
    extended once with a reason, answered with an outcome and a response letter.

    Stage 1 is the local resolution, stage 2 the investigation, stage 3 the review panel."""

    class Number(models.IntegerChoices):
        LOCAL_RESOLUTION = 1, "Stage 1: local resolution"
        INVESTIGATION = 2, "Stage 2: investigation"
        REVIEW_PANEL = 3, "Stage 3: review panel"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField(choices=Number.choices)
    opened = models.DateField(help_text="Received, or the day escalation was asked for")
    due = models.DateField(help_text="The deadline the clock gave when the stage opened")
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = text_field("Why it was extended")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="Who responds (stage 1), investigates (2) or chairs (3)",
    )  # fmt: skip
    responded = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    response = text_field("What the response says")
    letter = models.OneToOneField(
        "scheduling.Letter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["complaint", "number"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "number"], name="complaint_stage_once"),
            models.CheckConstraint(condition=Q(due__gte=F("opened")), name="stage_due_after_open"),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | Q(extended_to__gt=F("due")),
                name="stage_extension_later",
            ),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | ~Q(extension_reason=""),
                name="stage_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(responded__isnull=True) | ~Q(outcome=""),
                name="stage_response_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["number", "responded"])]

    def __str__(self):
        return f"{self.complaint}: {self.get_number_display()}"

    @property
    def deadline(self):
        """The day the response is due, after any extension."""
        return self.extended_to or self.due


class ComplaintAction(ActionBase):
    """Learning turned into something someone will do, by a date."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="actions")
    history = HistoricalRecords()

    class Meta(ActionBase.Meta):
        pass
