"""The One Story record: the family's living case summary and its chronology of entries.

"Families tell their story once": the summary is one document per family that anyone in the
pod can keep up to date, and every entry (a visit, direct work, a call, a meeting) is written
once and read by assessment, planning and whoever covers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

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
