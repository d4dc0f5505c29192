"""What the feedback models share: who said it, and an action with an owner and a due date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onestory.models import TEXT_LIMIT


def text_field(verbose_name: str, **kwargs) -> models.TextField:
    return models.TextField(verbose_name, blank=True, max_length=TEXT_LIMIT, **kwargs)


class From(models.TextChoices):
    """Who a complaint or compliment came from."""

    PARENT = "parent", "A parent"
    CHILD = "child", "A child or young person"
    CARER = "carer", "A carer"
    ADVOCATE = "advocate", "An advocate"
    PROFESSIONAL = "professional", "A professional"
    OTHER = "other", "Someone else"


class ReceivedBy(models.TextChoices):
    """How it reached the council."""

    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    ONLINE = "online", "Online form"
    IN_PERSON = "in_person", "In person"


class ActionBase(models.Model):
    """Something someone is to do by a date, and when it was done."""

    text = models.TextField("What is to be done", max_length=TEXT_LIMIT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    done = models.DateField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["due", "pk"]

    def __str__(self):
        return f"{self.text[:60]} ({self.owner}, by {self.due:%d %b %Y})"
