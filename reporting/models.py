"""The monthly monitoring report: one per (month, scope), with the KPI values as data (the
figures, the record of what a month's numbers were) and, apart from them, its PDF.

The figures of a month are computed for every scope together and saved in one transaction
(reporting.figures); ``status`` is theirs. The PDF is rendered from the stored figures in a
worker when someone first asks for it, or overnight (reporting.reports.pdf_request);
``pdf_status`` is its own. Neither is ever left half-written."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

# A build takes seconds, and a queued report waits at most for a night's backlog. A report
# queued or building for longer than these has lost its task (its message or its worker is
# gone), so asking for it again queues it afresh instead of showing it as running.
QUEUED_AT_MOST = datetime.timedelta(days=1)
BUILDING_AT_MOST = datetime.timedelta(hours=1)


def stalled(now: datetime.datetime) -> models.Q:
    return models.Q(status=MonthlyReport.Status.QUEUED, requested__lt=now - QUEUED_AT_MOST) | (
        models.Q(status=MonthlyReport.Status.BUILDING, started__lt=now - BUILDING_AT_MOST)
    )


def pdf_stalled(now: datetime.datetime) -> models.Q:
    return models.Q(
        pdf_status=MonthlyReport.PdfStatus.QUEUED, pdf_requested__lt=now - QUEUED_AT_MOST
    ) | models.Q(
        pdf_status=MonthlyReport.PdfStatus.RENDERING, pdf_started__lt=now - BUILDING_AT_MOST
    )


class MonthlyReport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be built"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    class PdfStatus(models.TextChoices):
        NONE = "", "Not asked for yet"
        QUEUED = "queued", "Waiting to be rendered"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    period = models.DateField(help_text="The first day of the month reported on")
    team = models.ForeignKey(
        "pods.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monthly_reports",
        help_text="Empty for the authority's report",
    )
    # "authority" or "team:<id>": the unique key, as a null team would not be unique.
    scope_key = models.CharField(max_length=40, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    values = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(upload_to="monthly-reports/", blank=True)
    pdf_status = models.CharField(
        max_length=20, choices=PdfStatus.choices, default=PdfStatus.NONE, blank=True
    )
    pdf_requested = models.DateTimeField(null=True, blank=True)
    pdf_started = models.DateTimeField(null=True, blank=True)
    pdf_rendered = models.DateTimeField(null=True, blank=True)
    pdf_attempts = models.PositiveIntegerField(default=0)
    pdf_error = models.TextField(blank=True)
    requested = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started = models.DateTimeField(null=True, blank=True)
    built = models.DateTimeField(null=True, blank=True)
    built_by = models.CharField(max_length=100, blank=True, help_text="Worker host and process")
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["values"])

    class Meta:
        ordering = ["-period", "scope_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "scope_key"], name="one_report_a_month_a_scope"
            )
        ]

    def __str__(self):
        return f"Monthly report, {self.period:%B %Y}, {self.scope_label}"

    def save(self, *args, **kwargs):
        self.scope_key = "authority" if self.team_id is None else f"team:{self.team_id}"
        super().save(*args, **kwargs)

    @property
    def scope_label(self) -> str:
        return self.team.name if self.team_id else settings.PODS_COUNCIL_NAME

    @property
    def is_building(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)

    @property
    def is_running(self) -> bool:
        """Queued or building, with its task still alive: asking again shows this one."""
        return self.is_building and not self.is_stalled

    @property
    def pdf_is_running(self) -> bool:
        """Queued or rendering, with its task still alive: asking again shows this one."""
        now = timezone.now()
        if self.pdf_status == self.PdfStatus.QUEUED:
            return self.pdf_requested is not None and self.pdf_requested >= now - QUEUED_AT_MOST
        if self.pdf_status == self.PdfStatus.RENDERING:
            return self.pdf_started is not None and self.pdf_started >= now - BUILDING_AT_MOST
        return False

    @property
    def is_stalled(self) -> bool:
        now = timezone.now()
        if self.status == self.Status.QUEUED:
            return self.requested < now - QUEUED_AT_MOST
        if self.status == self.Status.BUILDING:
            return self.started is not None and self.started < now - BUILDING_AT_MOST
        return False


class StatutoryReturn(models.Model):
    """One collection year's statutory returns to the DfE, built from the record by a Celery
    task (reporting.returns.services): the CIN census (XML) and the SSDA903 return (eleven CSV
    files), kept together as one zip, and what the DfE's validators said of them. One per year:
    building again replaces the files and the findings, so the list shrinks as the record is
    put right. Last year's, when it is here, is given to this year's year-on-year rules."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be built"
        BUILDING = "building", "Being built"
        VALIDATING = "validating", "Being checked with the DfE's rules"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be built"

    year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year the collection ends: 2026 for April 2025 to March 2026"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started = models.DateTimeField(null=True, blank=True)
    built = models.DateTimeField(null=True, blank=True)
    files = models.FileField(upload_to="statutory-returns/", blank=True)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.PositiveIntegerField(default=0)
    queries = models.PositiveIntegerField(default=0)
    validation = models.JSONField(
        default=dict, blank=True, help_text="Rulesets, versions, rules skipped or failed"
    )
    previous_year_from = models.CharField(
        max_length=200, blank=True, help_text="Where last year's SSDA903 files came from"
    )
    build_seconds = models.FloatField(null=True, blank=True)
    validate_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["counts", "validation"])

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"Statutory returns {self.label}"

    @property
    def label(self) -> str:
        return f"{self.year - 1}/{str(self.year)[2:]}"

    @property
    def is_running(self) -> bool:
        """Waiting or under way with its task still alive (as for monthly reports)."""
        now = timezone.now()
        if self.status == self.Status.QUEUED:
            return self.requested >= now - QUEUED_AT_MOST
        if self.status in (self.Status.BUILDING, self.Status.VALIDATING):
            return self.started is not None and self.started >= now - BUILDING_AT_MOST
        return False


class ReturnIssue(models.Model):
    """One finding of the DfE's validators on a built return: an error or a query, against a
    child where the rule is about one. ``person`` and ``family`` are where the fact is put
    right (the family the row came from); ``team`` the pod that held that family when the
    return was built, whose data-quality page lists it."""

    class Return(models.TextChoices):
        CIN = "cin", "CIN census"
        SSDA903 = "ssda903", "SSDA903"

    class Kind(models.TextChoices):
        ERROR = "error", "Error"
        QUERY = "query", "Query"

    statutory_return = models.ForeignKey(
        StatutoryReturn, on_delete=models.CASCADE, related_name="issues"
    )
    of_return = models.CharField("return", max_length=10, choices=Return.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    rule = models.CharField(max_length=20)
    message = models.TextField()
    child_ref = models.CharField("child's reference", max_length=20, blank=True)
    person = models.ForeignKey(
        "families.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "pods.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    table = models.CharField(max_length=40, blank=True)
    columns = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["kind", "rule", "child_ref"]
        indexes = [
            models.Index(fields=["statutory_return", "team", "kind"]),
            models.Index(fields=["statutory_return", "kind", "rule"]),
        ]

    def __str__(self):
        return f"{self.get_of_return_display()} {self.rule} ({self.kind}) {self.child_ref}"
