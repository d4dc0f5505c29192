"""Compliments: the words of a family, a carer or a professional about a worker, a team or the
work with a family. The worker they are about sees "a compliment for you" on their home page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from feedback.models.base import From, ReceivedBy
from feedback.models.complaints import Theme


class Compliment(models.Model):
    received = models.DateField()
    received_by = models.CharField("How it came", max_length=20, choices=ReceivedBy.choices)
    from_kind = models.CharField("Who gave it", max_length=20, choices=From.choices)
    from_name = models.CharField("Their name", max_length=200, blank=True)
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, null=True, blank=True,
        related_name="compliments",
    )  # fmt: skip
    worker = models.ForeignKey(
        "pods.Worker", on_delete=models.PROTECT, null=True, blank=True, related_name="compliments"
    )
    team = models.ForeignKey(
        "pods.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="compliments"
    )
    words = models.TextField("What they said", max_length=5000)
    themes = models.ManyToManyField(Theme, related_name="compliments", blank=True)
    seen_by_worker = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(family__isnull=False) | Q(worker__isnull=False) | Q(team__isnull=False),
                name="compliment_is_about_someone",
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["received"]), models.Index(fields=["worker", "received"])]

    def __str__(self):
        about = self.worker or self.team or self.family
        return f"Compliment for {about} ({self.received:%d %b %Y})"
