"""The One Story record: the family's living case summary and its chronology of entries.

"Families tell their story once": the summary is one document per family that anyone in the
pod can keep up to date, and every entry (a visit, direct work, a call, a meeting) is written
once and read by assessment, planning and whoever covers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from families.models.codes import AssessmentFactor

# A generous cap on every free-text field: far more than any note needs, small enough that a
# stray paste of a whole document is refused with a message rather than stored.
TEXT_LIMIT = 20_000


def story_text(verbose_name: str, **kwargs) -> models.TextField:
    return models.TextField(verbose_name, blank=True, max_length=TEXT_LIMIT, **kwargs)


class CaseSummary(models.Model):
    """One living summary per family. ``version`` goes up by one with every save; a save that
    started from an older version is refused, so two people editing at once never silently
    overwrite each other (onestory.services.summary_save)."""

    family = models.OneToOneField(
        "families.Family", on_delete=models.CASCADE, related_name="summary"
    )
    who_is_in_the_family = story_text("Who is in the family")
    what_is_happening = story_text("What is happening")
    working_well = story_text("What is working well")
    worries = story_text("What we are worried about")
    needs_to_change = story_text("What needs to change")
    wishes_and_feelings = story_text("Each child's wishes and feelings")
    plan = story_text("The plan, in a paragraph")
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    SECTIONS = [
        "who_is_in_the_family",
        "what_is_happening",
        "working_well",
        "worries",
        "needs_to_change",
        "wishes_and_feelings",
        "plan",
    ]

    class Meta:
        verbose_name_plural = "case summaries"

    def __str__(self):
        return f"One Story summary of {self.family} (version {self.version})"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, section) for section in self.SECTIONS)


class EntryQuerySet(models.QuerySet):
    def visits(self):
        return self.filter(kind=Entry.Kind.HOME_VISIT)

    def counted(self):
        """Entries that count as done: final ones (a student's once countersigned)."""
        return self.filter(status=Entry.Status.FINAL)


class Entry(models.Model):
    """One piece of recording in the family's chronology. Final entries are never deleted; a
    correction saves a new version, and simple-history keeps and shows the ones before."""

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        DIRECT_WORK = "direct_work", "Direct work"
        CONTACT = "contact", "Phone call or message"
        MEETING = "meeting", "Meeting"
        STRATEGY = "strategy", "Strategy discussion"
        CONFERENCE = "conference", "Conference"
        SUPERVISION_DECISION = "supervision_decision", "Supervision decision"
        SIGNIFICANT_EVENT = "significant_event", "Significant event"
        LETTER = "letter", "Letter sent"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_COUNTERSIGNATURE = "awaiting_countersignature", "Waiting for countersignature"
        FINAL = "final", "Final"

    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.HOME_VISIT)
    occurred = models.DateTimeField("when it happened")
    what_happened = story_text("What happened")
    childs_voice = story_text(
        "The child's voice", help_text="What the children said, in their words"
    )
    analysis = story_text("Analysis and reflection")
    next_steps = story_text("Next steps")
    significant = models.BooleanField(
        "significant event", default=False, help_text="Shown first to anyone reading the chronology"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="story_entries"
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    countersigned = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = EntryQuerySet.as_manager()

    TEXTS = ("what_happened", "childs_voice", "analysis", "next_steps")

    class Meta:
        ordering = ["-occurred", "-pk"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["family", "-occurred"]),
            models.Index(fields=["family", "kind", "-occurred"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="final") | Q(countersigned__isnull=True),
                name="only_final_entries_are_countersigned",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {timezone.localtime(self.occurred):%d %b %Y}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class ChildSeen(models.Model):
    """A child seen during an entry: what the statutory returns and inspections ask."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="children_seen")
    person = models.ForeignKey("families.Person", on_delete=models.PROTECT, related_name="+")
    seen_alone = models.BooleanField(default=False)
    bedroom_seen = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "person"], name="child_seen_once_per_entry")
        ]
        indexes = [models.Index(fields=["person", "entry"])]

    def __str__(self):
        return f"{self.person} seen{' alone' if self.seen_alone else ''}"


class Challenge(models.Model):
    """The right to rectification (UK GDPR article 16): a person says a fact in an entry is
    wrong. The challenge is logged against the entry and answered; the entry itself is never
    rewritten, because the record of what was believed at the time is part of the story. A
    correction, when there is one, is shown beside the original, with the challenge."""

    class Outcome(models.TextChoices):
        CORRECTED = "corrected", "The record was wrong: the correction is shown beside it"
        NOT_CORRECTED = "not_corrected", "The record stands: their view is shown beside it"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="challenges")
    raised_by = models.CharField(
        "who raised it", max_length=200, help_text="Their name, and who they are to the family"
    )
    received = models.DateField()
    what_is_wrong = models.TextField(
        "what they say is wrong", max_length=TEXT_LIMIT, help_text="In their words"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    correction = models.TextField(
        "the correction", blank=True, max_length=TEXT_LIMIT,
        help_text="What the record should say, when it was wrong",
    )  # fmt: skip
    answer = models.TextField(
        "the answer given", blank=True, max_length=TEXT_LIMIT,
        help_text="What was decided and why, as told to them",
    )  # fmt: skip
    answered = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "received", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered__isnull=True) | ~Q(outcome=""),
                name="answered_challenge_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="corrected") | ~Q(correction=""),
                name="corrected_challenge_has_correction",
            ),
        ]

    def __str__(self):
        return f"Challenge to {self.entry} by {self.raised_by}"


class Assessment(models.Model):
    """A Strengthening Families (single) assessment. Starting one copies in what the summary
    and the recent chronology already say, so nothing is typed twice; the family's own words
    have their own section. Due 45 working days from the start; the pod manager signs it off."""

    class Outcome(models.TextChoices):
        NO_FURTHER_ACTION = "no_further_action", "No further action"
        STEP_DOWN = "step_down", "Step down to early help"
        CIN_PLAN = "cin_plan", "Child in need plan"
        ICPC = "icpc", "Initial child protection conference"
        LEGAL_PLANNING = "legal_planning", "Legal planning meeting"

    WORKING_DAYS_TO_COMPLETE = 45
    SECTIONS = [
        "family_and_history",
        "recent_events",
        "working_well",
        "worries",
        "families_own_words",
        "childs_voice",
        "analysis",
        "what_needs_to_happen",
    ]

    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="assessments"
    )
    started = models.DateField()
    due = models.DateField()
    completed = models.DateField(null=True, blank=True)
    family_and_history = story_text("The family and its history")
    recent_events = story_text("What has happened recently")
    working_well = story_text("What is working well")
    worries = story_text("What we are worried about")
    families_own_words = story_text("The family's own words")
    childs_voice = story_text("The child's voice")
    analysis = story_text("Analysis")
    what_needs_to_happen = story_text("What needs to happen")
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    factors = ArrayField(
        models.CharField(max_length=3, choices=AssessmentFactor.choices),
        default=list,
        blank=True,
        verbose_name="factors identified",
        help_text="Recorded when the assessment is authorised",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due__gte=models.F("started")), name="assessment_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(completed__isnull=True) | Q(completed__gte=models.F("started")),
                name="assessment_completed_after_start",
            ),
        ]

    def __str__(self):
        return f"Assessment of {self.family} started {self.started:%d %b %Y}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off is not None


class Plan(models.Model):
    """A child's plan (child in need, child protection, child in care): goals, actions with
    owners, and the date it is next reviewed."""

    class Kind(models.TextChoices):
        CIN = "cin", "Child in need plan"
        CP = "cp", "Child protection plan"
        CHILD_IN_CARE = "child_in_care", "Child in care plan"

    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="plans")
    child = models.ForeignKey("families.Person", on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start = models.DateField()
    review_date = models.DateField()
    end = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_date__gte=models.F("start")), name="plan_review_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="plan_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.child}: {self.get_kind_display()} from {self.start:%d %b %Y}"


class PlanGoal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(max_length=TEXT_LIMIT)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text[:60]


class PlanAction(models.Model):
    """Something someone will do towards a goal: a worker, a parent or a professional."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(max_length=TEXT_LIMIT)
    owner = models.CharField(max_length=200, help_text="Who will do it: a name and their role")
    due = models.DateField(null=True, blank=True)
    done = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return f"{self.owner}: {self.text[:60]}"


class GoalProgress(models.Model):
    """Progress recorded against a goal, with a 0 to 10 rating the family can understand."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="progress")
    date = models.DateField()
    rating = models.PositiveSmallIntegerField(help_text="0: no progress, 10: goal met")
    note = story_text("What has changed")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__lte=10), name="progress_rating_0_to_10"),
        ]
        verbose_name_plural = "goal progress"

    def __str__(self):
        return f"{self.goal}: {self.rating}/10 on {self.date:%d %b %Y}"


class StoryExport(models.Model):
    """One request for the family's story as a PDF: the entries the worker chose, and what
    became of it (queued, being built, ready with its file, or failed with the reason)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be made"
        BUILDING = "building", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested = models.DateTimeField(default=timezone.now)
    # Ids, not a many-to-many: the choice is a snapshot of one request, read once by the task.
    entry_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="story-pdfs/", blank=True)
    error = models.TextField(blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested", "-pk"]
        indexes = [models.Index(fields=["family", "-requested"])]

    def __str__(self):
        return f"One Story PDF of {self.family} ({self.get_status_display().lower()})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
