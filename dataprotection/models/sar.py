"""Subject access requests: a person's right to see what the council holds about them (UK GDPR
article 15), answered within one calendar month of receipt, extendable by two more months when
the requester is told why within the first."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class SubjectAccessRequestQuerySet(models.QuerySet):
    def open(self):
        """Not yet answered, nor withdrawn: such a request holds its subject's records."""
        return self.filter(closed__isnull=True)


class BundleStatus(models.TextChoices):
    NONE = "none", "Not made"
    QUEUED = "queued", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


class SubjectAccessRequest(models.Model):
    class Requester(models.TextChoices):
        SUBJECT = "subject", "The person themself"
        PARENT = "parent", "A parent or someone with parental responsibility"
        REPRESENTATIVE = "representative", "A solicitor or other representative"
        OTHER = "other", "Someone else with the person's authority"

    class How(models.TextChoices):
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        PHONE = "phone", "Telephone"
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online form"

    class Outcome(models.TextChoices):
        SENT = "sent", "Answered: the records were sent"
        NOTHING_HELD = "nothing_held", "Answered: nothing is held"
        WITHDRAWN = "withdrawn", "Withdrawn by the requester"
        REFUSED = "refused", "Refused as manifestly unfounded or excessive"

    reference = models.CharField(max_length=20, unique=True)
    received = models.DateField()
    how = models.CharField("how it came", max_length=20, choices=How.choices)
    requester_name = models.CharField("who asked", max_length=200)
    requester = models.CharField("who they are", max_length=20, choices=Requester.choices)
    subject = models.ForeignKey(
        "families.Person",
        on_delete=models.SET_NULL,
        null=True,
        related_name="access_requests",
        help_text="The person the records are about (cleared if their record is destroyed: "
        "the request and its disclosure log stay)",
    )
    identity_checked = models.DateField(null=True, blank=True)
    identity_how = models.CharField("how identity was checked", max_length=300, blank=True)
    due = models.DateField(help_text="One calendar month from receipt, or the extended date")
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    requester_told = models.DateField("requester told of the extension", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    gathered = models.DateTimeField(null=True, blank=True)
    gathered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bundle = models.FileField(upload_to="sar-bundles/", blank=True)
    bundle_status = models.CharField(
        max_length=20, choices=BundleStatus.choices, default=BundleStatus.NONE
    )
    bundle_error = models.TextField(blank=True)
    closed = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    created = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = SubjectAccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | Q(extended_to__gt=models.F("due")),
                name="sar_extension_after_due",
            ),
            models.CheckConstraint(
                condition=Q(closed__isnull=True) | ~Q(outcome=""), name="sar_closed_with_outcome"
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def deadline(self):
        return self.extended_to or self.due


class SarItem(models.Model):
    """One record gathered for a request: a copy of its text as it stood when gathered, so the
    redactions marked on it and the bundle made from it say the same thing even if the record
    is later corrected. Each is a family's case data: destroying the family destroys it."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral"
        SUMMARY = "summary", "One Story summary"
        ENTRY = "entry", "Chronology entry"
        ASSESSMENT = "assessment", "Assessment"
        PLAN = "plan", "Plan"
        LETTER = "letter", "Letter"
        MEETING = "meeting", "Meeting"
        COMPLAINT = "complaint", "Complaint"

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="items"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    family_reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_id = models.PositiveBigIntegerField(
        help_text="The gathered record's id in its own table"
    )
    date = models.DateField()
    title = models.CharField(max_length=300)
    text = models.TextField()
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["request", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "source_id", "family"], name="sar_item_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class Redaction(models.Model):
    """A passage of a gathered record withheld from the bundle, and why. The bundle is made
    from the text with every marked passage cut out, so nothing of it reaches the PDF."""

    class Reason(models.TextChoices):
        THIRD_PARTY = "third_party", "Information about a third party"
        SERIOUS_HARM = "serious_harm", "Likely to cause serious harm"
        LEGAL_PRIVILEGE = "legal_privilege", "Legal professional privilege"

    item = models.ForeignKey(SarItem, on_delete=models.CASCADE, related_name="redactions")
    passage = models.TextField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "marked", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(passage=""), name="redaction_has_passage"),
            models.CheckConstraint(condition=~Q(reason=""), name="redaction_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on {self.item}"


class Disclosure(models.Model):
    """The disclosure log: what was sent, when, to whom and how, with the bundle's checksum so
    the copy sent can be told from any other."""

    class How(models.TextChoices):
        SECURE_EMAIL = "secure_email", "Secure email"
        POST = "post", "Recorded delivery"
        IN_PERSON = "in_person", "Collected in person"

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.PROTECT, related_name="disclosures"
    )
    sent = models.DateField()
    sent_to = models.CharField("sent to", max_length=300)
    how = models.CharField(max_length=20, choices=How.choices)
    what = models.CharField(max_length=300)
    sha256 = models.CharField("SHA-256 of the bundle", max_length=64)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent", "-pk"]

    def __str__(self):
        return f"{self.request} sent to {self.sent_to} on {self.sent:%d %b %Y}"
