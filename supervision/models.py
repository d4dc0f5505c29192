"""Supervision: weekly group supervision of a pod's families, 1:1 supervision, the decisions
both make (with an owner and a due date, written to the family's chronology), and reflective
practice groups across teams.

Group supervision is where the pod shares responsibility for its families ("someone's got my
back"); RPGs are where staff think about the felt side of the work, so their notes are about
practice, never about people, and never link to a family."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from onestory.models import TEXT_LIMIT, story_text


class GroupSupervision(models.Model):
    """One weekly session of a pod, facilitated by its pod manager."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    pod = models.ForeignKey(
        "pods.Team", on_delete=models.PROTECT, related_name="group_supervisions"
    )
    date = models.DateField()
    facilitator = models.ForeignKey(
        "pods.Worker", on_delete=models.PROTECT, related_name="group_supervisions_facilitated"
    )
    attendees = models.ManyToManyField(
        "pods.Worker", blank=True, related_name="group_supervisions_attended"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["pod", "date"], name="one_group_supervision_a_day")
        ]

    def __str__(self):
        return f"Group supervision, {self.pod.name}, {self.date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class OneToOneSupervision(models.Model):
    """A 1:1 between a worker and their supervisor. The wellbeing and containment notes are
    for the two of them and the supervisor's own supervisor only (supervision.permissions)."""

    supervisor = models.ForeignKey(
        "pods.Worker", on_delete=models.PROTECT, related_name="supervisions_given"
    )
    supervisee = models.ForeignKey(
        "pods.Worker", on_delete=models.PROTECT, related_name="supervisions_received"
    )
    date = models.DateField()
    practice_notes = story_text(
        "Practice and development", help_text="Learning, training, workload, practice"
    )
    wellbeing = story_text(
        "Wellbeing and containment",
        help_text="Seen only by the two of you and the supervisor's own supervisor",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["wellbeing"])

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("supervisee")), name="no_supervising_oneself"
            )
        ]

    def __str__(self):
        return f"1:1 supervision of {self.supervisee} on {self.date:%d %b %Y}"


class CaseDiscussion(models.Model):
    """A family on the agenda of a group session (proposed, then discussed) or discussed in a
    1:1. Saving the discussion writes a management-oversight entry to the family's chronology
    (``entry``)."""

    group_session = models.ForeignKey(
        GroupSupervision,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discussions",
    )
    one_to_one = models.ForeignKey(
        OneToOneSupervision,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discussions",
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="case_discussions"
    )
    position = models.PositiveIntegerField(default=0)
    reasons = models.CharField(
        max_length=300, blank=True, help_text="Why the family is on the agenda"
    )
    presenting_worker = models.ForeignKey(
        "pods.Worker", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    question = story_text("The question for the group")
    scaling_score = models.PositiveSmallIntegerField(
        "scaling score",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    working_well = story_text("What is working well")
    worries = story_text("What we are worried about")
    needs_to_happen = story_text("What needs to happen")
    hypotheses = story_text("Hypotheses")
    discussed = models.DateTimeField(null=True, blank=True)
    entry = models.OneToOneField(
        "onestory.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group_session__isnull=False) & Q(one_to_one__isnull=True))
                | (Q(group_session__isnull=True) & Q(one_to_one__isnull=False)),
                name="discussion_in_one_supervision",
            ),
            models.CheckConstraint(
                condition=Q(scaling_score__isnull=True) | Q(scaling_score__lte=10),
                name="scaling_score_0_to_10",
            ),
            models.UniqueConstraint(
                fields=["group_session", "family"],
                condition=Q(group_session__isnull=False),
                name="a_family_once_on_an_agenda",
            ),
        ]
        indexes = [models.Index(fields=["family", "-discussed"])]

    def __str__(self):
        return f"Discussion of {self.family}"


class DiscussionRequest(models.Model):
    """A worker asks for a family to be discussed at the pod's next group supervision."""

    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="discussion_requests"
    )
    requested_by = models.ForeignKey("pods.Worker", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    requested = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        CaseDiscussion, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )

    class Meta:
        ordering = ["requested"]

    def __str__(self):
        return f"{self.family} to be discussed"


class Decision(models.Model):
    """What a discussion decided: one action, one owner in the pod, one due date."""

    discussion = models.ForeignKey(
        CaseDiscussion, on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(max_length=2000)
    owner = models.ForeignKey("pods.Worker", on_delete=models.PROTECT, related_name="actions")
    due = models.DateField()
    done = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]
        indexes = [
            models.Index(
                fields=["owner", "due"], condition=Q(done__isnull=True), name="open_actions"
            )
        ]

    def __str__(self):
        return self.text[:60]


class ReflectivePracticeGroup(models.Model):
    """A group drawn across teams, facilitated by lead practitioners, the professional educator
    or the principal social worker, meeting monthly."""

    name = models.CharField(max_length=100, unique=True)
    facilitators = models.ManyToManyField("pods.Worker", related_name="rpgs_facilitated")
    members = models.ManyToManyField("pods.Worker", blank=True, related_name="rpgs")
    minutes = models.PositiveSmallIntegerField(
        "usual length in minutes", default=75, validators=[MinValueValidator(15)]
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[facilitators, members])

    class Meta:
        ordering = ["name"]
        verbose_name = "reflective practice group"

    def __str__(self):
        return self.name


class RPGSession(models.Model):
    """One meeting of a reflective practice group. Its notes are about practice, not people:
    there is no link to a family, and the form warns about text that looks like a name."""

    group = models.ForeignKey(
        ReflectivePracticeGroup, on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    attendees = models.ManyToManyField("pods.Worker", blank=True, related_name="rpg_sessions")
    themes = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True, max_length=TEXT_LIMIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["-date"]
        verbose_name = "RPG session"
        constraints = [
            models.UniqueConstraint(fields=["group", "date"], name="one_rpg_session_a_day")
        ]

    def __str__(self):
        return f"{self.group} on {self.date:%d %b %Y}"
