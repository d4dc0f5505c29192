"""People in a family: adding them, and their details and identifiers as the statutory
returns need them (the unique pupil number checked as the DfE checks it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from families.models import (
    Family,
    FamilyMember,
    Person,
    Professional,
)
from families.models.codes import Disability

DOB_IN_FUTURE = "Date of birth must be today or in the past"


@dataclass(frozen=True)
class PersonDetails:
    first_name: str
    last_name: str
    relationship: str
    date_of_birth: datetime.date | None = None
    gender: str = Person.Gender.NOT_KNOWN
    lives_in_household: bool = True
    # What the statutory returns need to know of a child (families/models/people.py).
    expected_date_of_birth: datetime.date | None = None
    date_of_death: datetime.date | None = None
    ethnicity: str = ""
    first_language: str = ""
    upn: str = ""
    former_upn: str = ""
    upn_unknown: str = ""
    disabilities: tuple[str, ...] = ()
    own_child_born: datetime.date | None = None


# The first character of a unique pupil number is a check letter over the other twelve
# (CIN rule 1510); characters 2-4 are a council's number (1530), 5-12 digits (1540) and 13 a
# digit or, for a temporary number, a letter other than I, O and S (1550).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_COUNCILS = frozenset(
    [f"{n:03d}" for n in (*range(1, 6), *range(201, 214), *range(301, 321), *range(330, 337),
                          *range(340, 345), *range(350, 360), *range(370, 374), *range(380, 385),
                          *range(390, 395), *range(660, 682), *range(701, 709), *range(800, 804),
                          *range(805, 809), *range(810, 814), *range(820, 824), *range(835, 840),
                          *range(850, 853), *range(855, 858), *range(865, 897), *range(935, 939),
                          940, 941, 420, 815, 816, 825, 826, 830, 831, 840, 841, 845, 846, 860,
                          861, 908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933)]
)  # fmt: skip
UPN_WRONG_LENGTH = (
    "The {name} must be 13 characters: a letter, then 12 numbers (the last may be a letter)"
)
UPN_WRONG_SHAPE = "The {name} must be a letter, 11 numbers, then a number or a letter"
UPN_WRONG_COUNCIL = "The {name} is not right: characters 2 to 4 must be a council's number"
UPN_WRONG_CHECK_LETTER = (
    "The {name} is not right: its first letter does not match the rest of the number. "
    "Check it with the school"
)
UPN_AND_REASON = "Leave why there is no unique pupil number empty: the number is known"
NO_DISABILITY_ALONE = "Choose No disability on its own, or the child's disabilities"
BORN_AND_EXPECTED = (
    "Enter the date of birth or, for an unborn child, the expected date of birth, not both"
)
DEATH_BEFORE_BIRTH = "The date of death cannot be before the date of birth"
DEATH_IN_FUTURE = "The date of death must be today or in the past"
OWN_CHILD_NOT_FEMALE = "Her own child's date of birth is asked only for a girl or young woman"
OWN_CHILD_NOT_A_CHILD = "Her own child's date of birth is asked only for a child in the family"
OWN_CHILD_BEFORE_BIRTH = "Her own child's date of birth must be after her own date of birth"
OWN_CHILD_IN_FUTURE = "Her own child's date of birth must be today or in the past"


def upn_problem(upn: str, *, name: str = "unique pupil number") -> str | None:
    """What is wrong with a unique pupil number, in words for the form, or None when it is a
    well-formed number with the right check letter."""
    if len(upn) != 13:
        return UPN_WRONG_LENGTH.format(name=name)
    check, middle, last = upn[0], upn[1:12], upn[12]
    if (
        check not in UPN_LETTERS
        or not middle.isdigit()
        or not (last.isdigit() or last in UPN_LETTERS)
    ):
        return UPN_WRONG_SHAPE.format(name=name)
    if middle[:3] not in UPN_COUNCILS:
        return UPN_WRONG_COUNCIL.format(name=name)
    # A temporary number's last letter counts as its place in the check letters (DfE UPN guide).
    values = [int(c) for c in middle] + [int(last) if last.isdigit() else UPN_LETTERS.index(last)]
    total = sum(value * weight for value, weight in zip(values, range(2, 14), strict=True))
    if UPN_LETTERS[total % 23] != check:
        return UPN_WRONG_CHECK_LETTER.format(name=name)
    return None


def _clean_upn(value: str) -> str:
    return "".join(value.split()).upper()


def _person_identifiers_check(person: Person, *, relationship: str, today: datetime.date) -> None:
    """The rules between a person's own facts, each error on the field it is about. A fact
    left out is never an error here: the family page shows what the returns still need."""
    errors: dict[str, str] = {}
    if person.date_of_birth and person.date_of_birth > today:
        errors["date_of_birth"] = DOB_IN_FUTURE
    if person.date_of_birth and person.expected_date_of_birth:
        errors["expected_date_of_birth"] = BORN_AND_EXPECTED
    for field, name in (
        ("upn", "unique pupil number"),
        ("former_upn", "former unique pupil number"),
    ):
        value = getattr(person, field)
        problem = upn_problem(value, name=name) if value else None
        if problem:
            errors[field] = problem
    if person.upn and person.upn_unknown:
        errors["upn_unknown"] = UPN_AND_REASON
    if Disability.NONE in person.disabilities and len(person.disabilities) > 1:
        errors["disabilities"] = NO_DISABILITY_ALONE
    if person.date_of_death:
        if person.date_of_death > today:
            errors["date_of_death"] = DEATH_IN_FUTURE
        elif person.date_of_birth and person.date_of_death < person.date_of_birth:
            errors["date_of_death"] = DEATH_BEFORE_BIRTH
    if person.own_child_born:
        if relationship != FamilyMember.Relationship.CHILD:
            errors["own_child_born"] = OWN_CHILD_NOT_A_CHILD
        elif person.gender != Person.Gender.FEMALE:
            errors["own_child_born"] = OWN_CHILD_NOT_FEMALE
        elif person.own_child_born > today:
            errors["own_child_born"] = OWN_CHILD_IN_FUTURE
        elif person.date_of_birth and person.own_child_born <= person.date_of_birth:
            errors["own_child_born"] = OWN_CHILD_BEFORE_BIRTH
    if errors:
        raise ValidationError(errors)


PERSON_FIELDS = (
    "first_name", "last_name", "date_of_birth", "gender", "expected_date_of_birth",
    "date_of_death", "ethnicity", "first_language", "upn", "former_upn", "upn_unknown",
    "disabilities", "own_child_born",
)  # fmt: skip


def _person_fill(person: Person, fields: dict) -> None:
    for name, value in fields.items():
        if name not in PERSON_FIELDS:
            raise TypeError(f"person has no field {name} to change here")
        if name in ("first_name", "last_name", "first_language"):
            value = value.strip()
        elif name in ("upn", "former_upn"):
            value = _clean_upn(value)
        elif name == "disabilities":
            value = sorted(dict.fromkeys(value))
        setattr(person, name, value)


def _person_create(details: PersonDetails, today: datetime.date) -> Person:
    person = Person()
    _person_fill(person, {name: getattr(details, name) for name in PERSON_FIELDS})
    _person_identifiers_check(person, relationship=details.relationship, today=today)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_add(*, family: Family, details: PersonDetails) -> FamilyMember:
    person = _person_create(details, timezone.localdate())
    return FamilyMember.objects.create(
        family=family,
        person=person,
        relationship=details.relationship,
        lives_in_household=details.lives_in_household,
    )


@transaction.atomic
def person_update(*, family: Family, person: Person, by=None, **fields) -> Person:
    """Change a person's details and identifiers (any of PERSON_FIELDS), kept in the person's
    history with who changed them. The person must be in ``family``."""
    membership = (
        FamilyMember.objects.select_related("person")
        .select_for_update(of=("person",))
        .filter(family=family, person=person)
        .first()
    )
    if membership is None:
        raise ValidationError("This person is not in the family")
    person = membership.person
    _person_fill(person, fields)
    _person_identifiers_check(
        person, relationship=membership.relationship, today=timezone.localdate()
    )
    person.full_clean()
    person._history_user = by
    person.save()
    return person


@transaction.atomic
def professional_add(*, family: Family, added_by, **fields) -> Professional:
    professional = Professional(family=family, added_by=added_by, **fields)
    professional.full_clean()
    professional.save()
    return professional
