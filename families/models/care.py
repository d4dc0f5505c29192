"""What the record holds about a looked-after child and a care leaver beyond their statuses:
placements, times missing or away, the year's health and offending outcomes, contact after
leaving care, and adoption. Each is what the SSDA903 return reports, entered on the form that
records the event; the returns read them and never ask again (reporting/returns/).

A period of care is one looked-after ``ChildStatus`` or several back to back (a change of legal
status is a new row starting the day after the last one ends); placements run across it on
their own dates."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from families.models.codes import (
    AdoptersLegalStatus,
    AdoptersSex,
    AdoptionReversed,
    InTouch,
    LeaverAccommodation,
    LeaverActivity,
    MissingKind,
    PlacementChangeReason,
    PlacementProvider,
    PlacementType,
    SDQReason,
)
from families.models.journey import IntervalQuerySet, _end_after_start, _no_overlap
from families.models.people import Family, Person


class Placement(models.Model):
    """Where a looked-after child lives, from ``start`` to ``end`` (the last night there)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="placements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="placements")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    place = models.CharField("type of placement", max_length=3, choices=PlacementType.choices)
    provider = models.CharField(
        "who provides it", max_length=3, choices=PlacementProvider.choices, blank=True
    )
    postcode = models.CharField(
        "placement postcode", max_length=8, blank=True, help_text="For example, BN2 9QA"
    )
    urn = models.CharField(
        "Ofsted unique reference number",
        max_length=8,
        blank=True,
        help_text="The carer's or home's URN with Ofsted",
    )
    change_reason = models.CharField(
        "why the placement ended",
        max_length=6,
        choices=PlacementChangeReason.choices,
        blank=True,
    )
    history = HistoricalRecords()

    objects = IntervalQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            _end_after_start("placement_end_after_start"),
            _no_overlap("placement_no_overlap", "person"),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_place_display()} from {self.start:%d %b %Y}"


class MissingEpisode(models.Model):
    """A time a looked-after child went missing, or was away from their placement without
    permission (SSDA903 missing)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="missing_episodes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=MissingKind.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Empty while the child is missing")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        constraints = [_end_after_start("missing_end_after_start")]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()} from {self.start:%d %b %Y}"


class HealthOutcomes(models.Model):
    """A looked-after child's health and offending over a collection year (SSDA903 OC2), for
    children looked after for the whole 12 months to 31 March. ``year`` is the year the
    collection ends: 2026 for April 2025 to March 2026."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="health_outcomes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="health_outcomes")
    year = models.PositiveSmallIntegerField("year ending 31 March")
    sdq_score = models.PositiveSmallIntegerField(
        "strengths and difficulties score", null=True, blank=True, help_text="From 0 to 40"
    )
    sdq_reason = models.CharField(
        "why there is no score", max_length=4, choices=SDQReason.choices, blank=True
    )
    convicted = models.BooleanField("convicted or given a caution", null=True, blank=True)
    health_check = models.BooleanField(
        "development checks up to date (under 5)", null=True, blank=True
    )
    immunisations = models.BooleanField("immunisations up to date", null=True, blank=True)
    teeth_check = models.BooleanField("teeth checked by a dentist", null=True, blank=True)
    health_assessment = models.BooleanField("annual health assessment", null=True, blank=True)
    substance_misuse = models.BooleanField(
        "a substance misuse problem identified", null=True, blank=True
    )
    intervention_received = models.BooleanField(
        "received help for substance misuse", null=True, blank=True
    )
    intervention_offered = models.BooleanField(
        "offered help for substance misuse", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "health outcomes"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="one_health_outcomes_a_year"),
            models.CheckConstraint(
                condition=Q(sdq_score__isnull=True) | Q(sdq_score__lte=40), name="sdq_0_to_40"
            ),
        ]

    def __str__(self):
        return f"{self.person}: health and offending, year to March {self.year}"


class CareLeaverContact(models.Model):
    """A care leaver's contact, activity and accommodation around their birthday in a
    collection year (SSDA903 OC3)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="leaver_contacts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="leaver_contacts")
    year = models.PositiveSmallIntegerField("year ending 31 March")
    in_touch = models.CharField("in touch", max_length=4, choices=InTouch.choices)
    activity = models.CharField(
        "main activity", max_length=2, choices=LeaverActivity.choices, blank=True
    )
    accommodation = models.CharField(max_length=2, choices=LeaverAccommodation.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="one_leaver_contact_a_year")
        ]

    def __str__(self):
        return f"{self.person}: care leaver contact, year to March {self.year}"


class Adoption(models.Model):
    """A looked-after child's adoption, from the decision that they should be placed to the
    order (SSDA903 placed_for_adoption and AD1). The order itself ends the period of care,
    with the reason E11 or E12 on the last looked-after status."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="adoptions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="adoptions")
    decided = models.DateField("decision that the child should be placed for adoption")
    matched = models.DateField("matched with adopters", null=True, blank=True)
    reversed = models.DateField("decision reversed", null=True, blank=True)
    reversed_reason = models.CharField(
        "why it was reversed", max_length=3, choices=AdoptionReversed.choices, blank=True
    )
    by_foster_carers = models.BooleanField("adopted by their foster carers", null=True, blank=True)
    adopters = models.PositiveSmallIntegerField("number of adopters", null=True, blank=True)
    adopters_sex = models.CharField(max_length=2, choices=AdoptersSex.choices, blank=True)
    adopters_legal_status = models.CharField(
        max_length=3, choices=AdoptersLegalStatus.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided"]
        constraints = [
            models.CheckConstraint(
                condition=Q(adopters__isnull=True) | Q(adopters__in=[1, 2]),
                name="one_or_two_adopters",
            ),
            models.CheckConstraint(
                condition=Q(matched__isnull=True) | Q(matched__gte=models.F("decided")),
                name="matched_after_decision",
            ),
        ]

    def __str__(self):
        return f"{self.person}: adoption decided {self.decided:%d %b %Y}"
