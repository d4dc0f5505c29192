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
