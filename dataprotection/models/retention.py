"""How long each kind of record is kept, what stops its destruction, the monthly review of what
has passed its date, and the stub a destruction leaves.

The record categories are those of a children's social care retention schedule. A family's
case record is kept for the longest of its children's categories (a looked-after child's
record, say, until the 75th anniversary of the child's birth), and destroyed as one, after a
data protection officer confirms it. Logs, complaints and survey responses are kept by their
own rules, record by record."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Category(models.TextChoices):
    """What a record is, for how long it is kept. The first five are a family's case record,
    most protective first: a family takes the category of its most protective child."""

    ADOPTION = "adoption", "Adoption record"
    LOOKED_AFTER = "looked_after", "Looked-after child's case record"
    CHILD_PROTECTION = "child_protection", "Child protection record"
    CHILD_IN_NEED = "child_in_need", "Child in need record"
    EARLY_HELP = "early_help", "Early help or no further action"
    FOSTER_CARER = "foster_carer", "Foster carer record"
    COMPLAINT = "complaint", "Complaint"
    SURVEY_RESPONSE = "survey_response", "Survey response"
    SECURITY_LOG = "security_log", "Security log"
    ACCESS_LOG = "access_log", "Access log"


FAMILY_CATEGORIES = [
    Category.ADOPTION,
    Category.LOOKED_AFTER,
    Category.CHILD_PROTECTION,
    Category.CHILD_IN_NEED,
    Category.EARLY_HELP,
]


class Trigger(models.TextChoices):
    """The date a retention period runs from."""

    BIRTH = "birth", "The child's date of birth"
    CLOSURE = "closure", "When the record was closed"
    DEATH = "death", "The person's death"
    ADOPTION_ORDER = "adoption_order", "The adoption order"
    APPROVAL_ENDED = "approval_ended", "The end of the carer's approval"
    RECORDED = "recorded", "When it was recorded"


# The triggers each category's records carry a date for.
TRIGGERS = {
    Category.ADOPTION: {Trigger.ADOPTION_ORDER, Trigger.BIRTH, Trigger.CLOSURE},
    Category.LOOKED_AFTER: {Trigger.BIRTH, Trigger.CLOSURE, Trigger.DEATH},
    Category.CHILD_PROTECTION: {Trigger.BIRTH, Trigger.CLOSURE, Trigger.DEATH},
    Category.CHILD_IN_NEED: {Trigger.BIRTH, Trigger.CLOSURE, Trigger.DEATH},
    Category.EARLY_HELP: {Trigger.BIRTH, Trigger.CLOSURE, Trigger.DEATH},
    Category.FOSTER_CARER: {Trigger.APPROVAL_ENDED},
    Category.COMPLAINT: {Trigger.CLOSURE, Trigger.RECORDED},
    Category.SURVEY_RESPONSE: {Trigger.CLOSURE, Trigger.RECORDED},
    Category.SECURITY_LOG: {Trigger.RECORDED},
    Category.ACCESS_LOG: {Trigger.RECORDED},
}

NEGATIVE_PERIOD = "The retention period cannot be negative: enter 0 years or more"
NEGATIVE_AGE = "The age to keep a record until cannot be negative"
NEGATIVE_DEATH_PERIOD = "The period after a death cannot be negative: enter 0 years or more"
WRONG_TRIGGER = "{category} records have no date for “{trigger}”: choose one of {choices}"


class RetentionRule(models.Model):
    """How long one category of record is kept: ``years`` after its ``trigger``, and at least
    until the child is ``keep_until_age`` when that is given. When a child dies before 18 and
    ``years_after_death_under_18`` is given, the record is kept that long after the death
    instead (a looked-after child's: 15 years). Kept by administrators; every change is in the
    history, and each destruction's stub says which rule, as it then read, it followed."""

    category = models.CharField(max_length=30, choices=Category.choices, unique=True)
    trigger = models.CharField("counted from", max_length=20, choices=Trigger.choices)
    years = models.IntegerField("years kept")
    keep_until_age = models.IntegerField(
        "and at least until the child is", null=True, blank=True, help_text="An age in years"
    )
    years_after_death_under_18 = models.IntegerField(
        "years kept after a death before 18",
        null=True,
        blank=True,
        help_text="Instead of the period above, when the child died before 18",
    )
    second_person = models.BooleanField(
        "a second person confirms destruction",
        default=True,
        help_text="The officer who proposes a destruction cannot also confirm it",
    )
    basis = models.TextField(
        "why this long", help_text="The law, regulation or local policy the period comes from"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["category"]
        constraints = [
            models.CheckConstraint(condition=Q(years__gte=0), name="retention_years_not_negative"),
            models.CheckConstraint(
                condition=Q(keep_until_age__isnull=True) | Q(keep_until_age__gte=0),
                name="retention_age_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(years_after_death_under_18__isnull=True)
                | Q(years_after_death_under_18__gte=0),
                name="retention_death_years_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.describe()}"

    def clean(self):
        errors = {}
        if self.years is not None and self.years < 0:
            errors["years"] = NEGATIVE_PERIOD
        if self.keep_until_age is not None and self.keep_until_age < 0:
            errors["keep_until_age"] = NEGATIVE_AGE
        if self.years_after_death_under_18 is not None and self.years_after_death_under_18 < 0:
            errors["years_after_death_under_18"] = NEGATIVE_DEATH_PERIOD
        allowed = TRIGGERS.get(self.category, set())
        if self.category and self.trigger and self.trigger not in allowed:
            errors["trigger"] = WRONG_TRIGGER.format(
                category=self.get_category_display(),
                trigger=Trigger(self.trigger).label.lower(),
                choices=", ".join(sorted(Trigger(t).label.lower() for t in allowed)),
            )
        if errors:
            raise ValidationError(errors)

    def describe(self) -> str:
        """The rule in words, as a destruction's stub keeps it."""
        years = f"{self.years} year{'' if self.years == 1 else 's'}"
        trigger = Trigger(self.trigger).label
        words = f"{years} from {trigger[0].lower()}{trigger[1:]}"
        if self.keep_until_age is not None:
            words += f", and at least until the child is {self.keep_until_age}"
        if self.years_after_death_under_18 is not None:
            words += (
                f"; {self.years_after_death_under_18} years from the death of a child who died"
                " before 18"
            )
        return words


class LegalHold(models.Model):
    """Something that stops destruction while it lasts: an inquiry's moratorium, open
    proceedings, a claim. It holds one family, every record of a category, or (neither given)
    everything. Open complaints and open subject access requests hold their family without a
    row here (``dataprotection.holds``)."""

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", "An inquiry's moratorium"
        PROCEEDINGS = "proceedings", "Open proceedings"
        CLAIM = "claim", "A claim or its likelihood"
        OTHER = "other", "Another reason"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200, help_text="For example, the inquiry's name")
    reason = models.TextField(blank=True)
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        help_text="Only this family; leave empty to hold a category or everything",
    )
    category = models.CharField(
        max_length=30,
        choices=Category.choices,
        blank=True,
        help_text="Every record of this category; leave empty to hold everything",
    )
    placed = models.DateField(default=timezone.localdate)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released = models.DateField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(family__isnull=True) | Q(category=""),
                name="legal_hold_family_or_category",
            ),
            models.CheckConstraint(
                condition=Q(released__isnull=True) | Q(released__gte=models.F("placed")),
                name="legal_hold_released_after_placed",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def scope(self) -> str:
        if self.family_id:
            return f"family {self.family.reference}"
        if self.category:
            return f"every {self.get_category_display().lower()}"
        return "every record"


class RetentionReview(models.Model):
    """One month's list of what has passed its retention date, made by the monthly task."""

    month = models.DateField(unique=True, help_text="The first day of the month reviewed")
    built = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]

    def __str__(self):
        return f"Retention review {self.month:%B %Y}"


class ReviewItem(models.Model):
    """One family, or one batch of log rows, complaints or survey responses, that has passed
    its date: what the reviewer decided, and who destroyed it.

    ``due`` → ``deferred`` (with a reason and a date to look again) or ``proposed`` (a first
    officer's confirmation) → ``destroyed`` (by a second officer where the rule asks for one).
    ``held`` when a legal hold stopped it; ``unknown`` when its date cannot be worked out
    (a fact the rule needs is missing: the record is kept and the fact asked for)."""

    class Status(models.TextChoices):
        DUE = "due", "Due for review"
        DEFERRED = "deferred", "Kept for now"
        PROPOSED = "proposed", "Destruction proposed"
        DESTROYED = "destroyed", "Destroyed"
        HELD = "held", "Held"
        UNKNOWN = "unknown", "Date cannot be worked out"

    review = models.ForeignKey(RetentionReview, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(max_length=30, choices=Category.choices)
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(
        "families.Family", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(
        max_length=40, help_text="The family's reference, or what the batch is; kept after it goes"
    )
    records = models.PositiveIntegerField(default=1, help_text="How many records (a batch's rows)")
    destroy_after = models.DateField(null=True, blank=True, help_text="Its retention date")
    cutoff = models.DateField(null=True, blank=True, help_text="A batch: records before this day")
    why_unknown = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DUE)
    reason = models.TextField(blank=True, help_text="Why it is kept, or held")
    look_again = models.DateField(null=True, blank=True, help_text="A deferral's date")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["destroy_after", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "family"],
                condition=Q(family__isnull=False),
                name="review_item_one_per_family",
            ),
            models.UniqueConstraint(
                fields=["review", "category"],
                condition=Q(family__isnull=True),
                name="review_item_one_batch_per_category",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.get_category_display()})"


class DestructionStub(models.Model):
    """What is left when records are destroyed: what they were (a reference and counts, never
    a name), under which rule, when and by whom. Never changed, never destroyed."""

    category = models.CharField(max_length=30, choices=Category.choices)
    reference = models.CharField(max_length=40)
    family_id_destroyed = models.PositiveIntegerField(
        null=True, blank=True, help_text="The id the family had, so old links say what happened"
    )
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    rule_as_it_read = models.CharField(max_length=300)
    destroy_after = models.DateField(null=True, blank=True)
    counts = models.JSONField(help_text="Rows destroyed per kind of record, history and files")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    destroyed = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-destroyed"]
        indexes = [models.Index(fields=["family_id_destroyed"])]

    def __str__(self):
        return f"{self.reference} destroyed {self.destroyed:%-d %B %Y}"
