"""Surveys: an instrument (statements on a 1-5 scale, for one audience), its waves (dates, who
is asked), the single-use links that ask people, and the responses.

**Staff answers are anonymous by design.** For an anonymous instrument, who has been asked and
who has answered is kept on ``SurveyLink``; what was answered is kept on ``Response`` and
``Answer``, which hold no person, no time, no link and a random id, and have no history table.
No result is shown for a group of fewer than five (``feedback/surveys/results.py``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from feedback.models.base import text_field

SCALE = range(1, 6)  # 1 strongly disagree .. 3 neither .. 5 strongly agree
POSITIVE_OVER = 3  # a score over 3 is positive, under 3 negative (Appendix 1)
SMALLEST_GROUP = 5  # no figure for fewer respondents than this


class Instrument(models.Model):
    """A questionnaire: its statements, the scale they are answered on, and who answers."""

    class Audience(models.TextChoices):
        PARENTS = "parents", "Parents and carers of children we work with"
        CHILDREN = "children", "Children and young people"
        FOSTER_CARERS = "foster_carers", "Foster carers"
        STAFF = "staff", "Staff"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    anonymous = models.BooleanField(
        default=False, help_text="Who answered is kept apart from what they answered"
    )
    introduction = text_field("What the people asked are told first")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Statement(models.Model):
    """One thing the instrument asks: a statement to agree with on the scale, a share of time
    (a percentage; the shares of one question add up to 100), or a free-text comment."""

    class Kind(models.TextChoices):
        SCALE = "scale", "Agree or disagree, 1 to 5"
        TIME_SHARE = "time_share", "Percentage of time"
        COMMENT = "comment", "Comment in their own words"

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="statements")
    order = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=60, help_text="A stable name for the statement")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SCALE)
    theme = models.CharField(
        max_length=60, blank=True, help_text="For Your Voice: the principle it tests"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "order"], name="statement_order_once"),
            models.UniqueConstraint(fields=["instrument", "code"], name="statement_code_once"),
        ]

    def __str__(self):
        return self.text


class Wave(models.Model):
    """One round of an instrument: the days it is open and who is asked. Its links expire at
    the end of the day it closes."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="waves")
    name = models.CharField(max_length=120, help_text="e.g. July 2016")
    opens = models.DateField()
    closes = models.DateField()
    who_is_asked = models.CharField(max_length=300)
    team = models.ForeignKey(
        "pods.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Only this team's people are asked (blank: the whole service)",
    )  # fmt: skip
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_waves",
        help_text="Sees comments before they are moderated",
    )  # fmt: skip
    created = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "-opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gte=models.F("opens")), name="wave_closes_after_opening"
            )
        ]

    def __str__(self):
        return f"{self.instrument}: {self.name}"


class SurveyLink(models.Model):
    """A single-use link that asks one person to answer one wave: only a hash of its token is
    kept. For an anonymous instrument this is the only record of who was asked and whether
    they answered; nothing joins it to their ``Response``."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    worker = models.ForeignKey(
        "pods.Worker", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sent = models.DateTimeField(null=True, blank=True)
    used = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["wave", "used"])]

    def __str__(self):
        return f"Link for {self.email} to {self.wave}"


class Response(models.Model):
    """One person's answers to one wave. For an anonymous instrument ``family``,
    ``interviewer`` and ``given_on`` stay empty and the id is random, so nothing in the row
    says who gave it or when; ``team`` is kept so that results can be shown per pod, never
    for fewer than five."""

    class Mode(models.TextChoices):
        ONLINE = "online", "Online, through a link"
        TELEPHONE = "telephone", "Telephone interview"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="responses")
    mode = models.CharField(max_length=20, choices=Mode.choices)
    team = models.ForeignKey(
        "pods.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    given_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["wave", "team"])]

    def __str__(self):
        return f"A response to {self.wave}"


class Answer(models.Model):
    """The answer to one statement: a score on the scale, a percentage, or words. Words are
    held for moderation before anyone but the wave's owner reads them."""

    class Moderation(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        PUBLISHED = "published", "Published"
        WITHHELD = "withheld", "Withheld"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=5000)
    moderation = models.CharField(max_length=20, choices=Moderation.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "statement"], name="answer_once"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lte=100), name="answer_in_range"
            ),
        ]
        indexes = [models.Index(fields=["statement", "value"])]

    def __str__(self):
        return f"Answer to {self.statement.code}"
