"""Families, the people in them, and the professionals around them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from families.models.codes import Disability, Ethnicity, UPNUnknown
from families.models.visibility import FamilyQuerySet


def eighteenth_birthday(born: datetime.date | None) -> datetime.date | None:
    """The day a child born on ``born`` turns 18; for 29 February, 28 February (as the DfE's
    validators count, with pandas' year offset)."""
    if born is None:
        return None
    try:
        return born.replace(year=born.year + 18)
    except ValueError:
        return born.replace(year=born.year + 18, day=28)


class Family(models.Model):
    """The unit of work: the whole family, not only the child (DESIGN §4).

    Who may see a family is decided by ``Family.objects.visible_to(user)`` and nothing else.
    A *restricted* family (adoption, a member of staff's own family, high profile) is seen only
    by the workers named in its restricted-access list, whatever its pod."""

    reference = models.CharField(max_length=20, unique=True)
    display_name = models.CharField("family name", max_length=200)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    created = models.DateTimeField(default=timezone.now)
    restricted = models.BooleanField(default=False)
    restriction_reason = models.TextField(blank=True)
    restriction_review_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "families"
        ordering = ["display_name"]
        permissions = [("break_glass_family", "Can open a family outside visibility with a reason")]
        indexes = [
            # Search tolerates misspellings with PostgreSQL trigram similarity.
            GinIndex(fields=["display_name"], opclasses=["gin_trgm_ops"], name="family_name_trgm"),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.reference})"

    @property
    def security_label(self) -> str:
        """How the security log names the family: its reference, never the children's name."""
        return self.reference


class Person(models.Model):
    """A child or an adult. Identifiers are recorded as the statutory returns need them: the
    DfE's codes are the values behind the choices (families/models/codes.py)."""

    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        NOT_KNOWN = "not_known", "Not known"

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    nhs_number = models.CharField("NHS number", max_length=12, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child: the date the baby is due"
    )
    date_of_death = models.DateField(null=True, blank=True)
    upn = models.CharField(
        "unique pupil number", max_length=13, blank=True, help_text="13 characters, from the school"
    )
    former_upn = models.CharField("former unique pupil number", max_length=13, blank=True)
    upn_unknown = models.CharField(
        "why there is no unique pupil number",
        max_length=3,
        choices=UPNUnknown.choices,
        blank=True,
    )
    disabilities = ArrayField(
        models.CharField(max_length=4, choices=Disability.choices), default=list, blank=True
    )
    own_child_born = models.DateField(
        "her own child's date of birth",
        null=True,
        blank=True,
        help_text="For a young woman in care who is a mother: her first child's date of birth",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        indexes = [
            GinIndex(
                fields=["last_name"], opclasses=["gin_trgm_ops"], name="person_last_name_trgm"
            ),
            GinIndex(
                fields=["first_name"], opclasses=["gin_trgm_ops"], name="person_first_name_trgm"
            ),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def child_id(self) -> str:
        """The child's identifier in the statutory returns (CIN LAchildID, SSDA903 CHILD):
        stable, at most 20 letters and digits, and saying nothing about the child."""
        return self.child_id_of(self.pk)

    @staticmethod
    def child_id_of(pk: int) -> str:
        return f"P{pk:07d}"

    @staticmethod
    def pk_of_child_id(child_id: str | None) -> int | None:
        """The way back from a validator's finding to the person: None for anything else."""
        if child_id and child_id[:1] == "P" and child_id[1:].isdigit():
            return int(child_id[1:])
        return None

    @property
    def sex_code(self) -> str:
        """The returns' sex: M, F, or U (not known, or unborn)."""
        return {self.Gender.MALE: "M", self.Gender.FEMALE: "F"}.get(self.gender, "U")

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday


class FamilyMember(models.Model):
    class Relationship(models.TextChoices):
        CHILD = "child", "Child"
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        CARER = "carer", "Carer"
        GRANDPARENT = "grandparent", "Grandparent"
        SIBLING_ADULT = "sibling_adult", "Adult sibling"
        OTHER = "other", "Other relative or adult"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    lives_in_household = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["relationship", "person__date_of_birth"]
        constraints = [
            models.UniqueConstraint(fields=["family", "person"], name="one_membership_per_person")
        ]

    def __str__(self):
        return f"{self.person} ({self.get_relationship_display()}) in {self.family}"

    @property
    def is_child(self) -> bool:
        return self.relationship == self.Relationship.CHILD


class Professional(models.Model):
    """Someone in the network around the family: the team around the relationship."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="professionals")
    name = models.CharField(max_length=200)
    agency = models.CharField(
        max_length=200, help_text="For example, a school, GP surgery or the police"
    )
    role = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency", "name"]

    def __str__(self):
        return f"{self.name}, {self.agency}"
