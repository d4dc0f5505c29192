"""Writes about a looked-after child and a care leaver: where they live (placements), times
missing or away, the year's health and offending (OC2), contact after leaving care (OC3) and
adoption. Each is one business action in one transaction, called alike by views, the demo and
tests, so nothing is half-saved.

The rules are the ones the SSDA903 return checks (domain/statutory_returns.md), asked when the
worker records the event: a wrong code or dates out of order raise ``ValidationError`` keyed
by the form field, in plain words. A fact the worker does not know yet (a URN, a postcode) is
not refused: the care page shows it as not recorded."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from families.models import (
    Adoption,
    CareLeaverContact,
    ChildStatus,
    Family,
    FamilyMember,
    HealthOutcomes,
    MissingEpisode,
    Person,
    Placement,
)
from families.models.codes import (
    NO_PROVIDER_PLACEMENTS,
    NO_URN_PLACEMENTS,
    AdoptersLegalStatus,
    AdoptersSex,
    MissingKind,
)
from pods.models import overlapping

NOT_A_CHILD = "Choose a child in this family"
NOT_LOOKED_AFTER = "{name} is not looked after on {day:%-d %B %Y}"
NOT_LOOKED_AFTER_IN_YEAR = "{name} was not looked after in the year to 31 March {year}"
NOT_A_CARE_LEAVER = "{name} had not left care by 31 March {year}"
YEAR_NOT_STARTED = "The year to 31 March {year} has not started yet"
ENDS_BEFORE_START = "The end date cannot be before the start, {start:%-d %B %Y}"
ALREADY_ENDED = "This placement has already ended"
NEW_BEFORE_CURRENT = (
    "{name}'s current placement began on {start:%-d %B %Y}: the new one must start after that"
)
PLACEMENT_OVERLAPS = (
    "{name} already has a placement from {start:%-d %B %Y}{until}: placements cannot overlap"
)
PLACEMENTS_OVERLAP = (
    "{name} already has a placement on some of these dates: placements cannot overlap"
)
NO_PROVIDER = "Leave who provides it empty: there is no provider for “{place}”"
PARENTS_ONLY_AT_HOME = (
    "Parents provide the placement only when the child is placed with their parents"
)
NOT_COUNCIL_PROVISION = "A council does not provide “{place}”: choose who provides it"
NO_URN = "Leave the Ofsted URN empty: there is none for “{place}”"
URN_FORMAT = "Enter the Ofsted URN as it is on Ofsted's register, like SC123456 or 1234567"
URN_NOT_KNOWN_ONLY = "XXXXXXX is only for a placement for adoption or with foster carers"
POSTCODE_FORMAT = "Enter a real postcode, like BN2 9QA"
MISSING_OVERLAPS = "{name} is already recorded as missing or away from {start:%-d %B %Y}{until}"
SDQ_RANGE = "The strengths and difficulties score must be a whole number from 0 to 40"
SDQ_AND_REASON = "Give the score or why there is none, not both"
HEALTH_CHECK_UNDER_FIVE = (
    "Leave the development checks empty: {name} is 5 or over on 31 March {year}, and they are "
    "asked only for children under 5"
)
LEAVER_ALL_OR_NONE = "Give whether they are in touch, their activity and accommodation together"
LEAVER_IN_TOUCH = "Choose whether {name} is in touch"
MATCHED_BEFORE_DECISION = "The match cannot be before the decision, {decided:%-d %B %Y}"
REVERSED_BEFORE_DECISION = "The decision cannot be reversed before it was made, {decided:%-d %B %Y}"
REVERSED_NEEDS_REASON = "Choose why the decision was reversed"
REASON_NEEDS_REVERSED = "Enter the date the decision was reversed, or leave the reason empty"
ONE_ADOPTER_SEX = "One adopter is a single man or a single woman"
TWO_ADOPTERS_SEX = "Two adopters are two men, two women, or a man and a woman"
ONE_ADOPTER_SINGLE = "One adopter is single: choose Single"
TWO_ADOPTERS_NOT_SINGLE = "Two adopters are a couple: choose how they are together"
LEGAL_STATUS_SEX = "{status} do not match the adopters: {sexes}"

# The adopters' legal status and the sexes it goes with (903 rules 517, 518, 520, 524).
ADOPTERS_SEXES = {
    AdoptersLegalStatus.SINGLE: {AdoptersSex.SINGLE_MAN, AdoptersSex.SINGLE_WOMAN},
    AdoptersLegalStatus.MARRIED: {AdoptersSex.MAN_AND_WOMAN},
    AdoptersLegalStatus.CIVIL_PARTNERS: {AdoptersSex.TWO_MEN, AdoptersSex.TWO_WOMEN},
    AdoptersLegalStatus.UNMARRIED_COUPLE: {
        AdoptersSex.TWO_MEN,
        AdoptersSex.TWO_WOMEN,
        AdoptersSex.MAN_AND_WOMAN,
    },
    AdoptersLegalStatus.L3: {AdoptersSex.MAN_AND_WOMAN},
    AdoptersLegalStatus.L4: {AdoptersSex.TWO_MEN, AdoptersSex.TWO_WOMEN},
}
SINGLE_SEXES = {AdoptersSex.SINGLE_MAN, AdoptersSex.SINGLE_WOMAN}
# A council's own or another council's provision is never with parents, in a health setting
# or in custody (903 rules 527, 528).
NO_COUNCIL_PROVISION = {"P1", "R2", "R5"}
# XXXXXXX stands for a carer with no URN of their own: adoption and foster placements (242).
URN_NOT_KNOWN = "XXXXXXX"
URN_NOT_KNOWN_PLACEMENTS = {"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"}
URN_PATTERN = re.compile(r"^(SC\d{6}|\d{6,7})$")
# The outward code (area, district) and the inward code (sector, unit) of a UK postcode.
POSTCODE_PATTERN = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?|GIR) ?(\d[A-Z]{2})$")


def collection_year(day: datetime.date) -> int:
    """The statutory returns' year that ``day`` falls in, named by the year it ends: 2026 is
    1 April 2025 to 31 March 2026."""
    return day.year + 1 if day.month >= 4 else day.year


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)


def normalise_postcode(text: str) -> str:
    """A UK postcode in capitals with one space before the inward code ("BN2 9QA"), or "" for
    none; anything else is refused."""
    squashed = re.sub(r"\s+", "", text or "").upper()
    if not squashed:
        return ""
    match = POSTCODE_PATTERN.match(squashed)
    if match is None:
        raise ValidationError({"postcode": POSTCODE_FORMAT})
    return f"{match.group(1)} {match.group(2)}"


def _child_of(family: Family, person: Person) -> None:
    if not family.members.filter(
        person=person, relationship=FamilyMember.Relationship.CHILD
    ).exists():
        raise ValidationError({"person": NOT_A_CHILD})
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one writer per child


def _care(family: Family, person: Person):
    return ChildStatus.objects.filter(
        family=family, person=person, kind=ChildStatus.Kind.LOOKED_AFTER
    )


def _looked_after_on(family: Family, person: Person, day: datetime.date, field: str) -> None:
    if not _care(family, person).current_on(day).exists():
        raise ValidationError({field: NOT_LOOKED_AFTER.format(name=person.first_name, day=day)})


def _in_order(start: datetime.date, end: datetime.date | None, field: str = "end") -> None:
    if end is not None and end < start:
        raise ValidationError({field: ENDS_BEFORE_START.format(start=start)})


def _until(end: datetime.date | None) -> str:
    return f" to {end:%-d %B %Y}" if end else ""


# --- placements ------------------------------------------------------------------------------


def _placement_details(*, place: str, provider: str, urn: str, postcode: str) -> dict:
    """The placement's coded facts, checked against each other and normalised."""
    place_words = dict(Placement._meta.get_field("place").choices).get(place, place)
    errors = {}
    if provider and place in NO_PROVIDER_PLACEMENTS:
        errors["provider"] = NO_PROVIDER.format(place=place_words)
    elif provider == "PR0" and place != "P1":
        errors["provider"] = PARENTS_ONLY_AT_HOME
    elif provider in ("PR1", "PR2") and place in NO_COUNCIL_PROVISION:
        errors["provider"] = NOT_COUNCIL_PROVISION.format(place=place_words)
    urn = re.sub(r"\s+", "", urn or "").upper()
    if urn and place in NO_URN_PLACEMENTS:
        errors["urn"] = NO_URN.format(place=place_words)
    elif urn == URN_NOT_KNOWN and place not in URN_NOT_KNOWN_PLACEMENTS:
        errors["urn"] = URN_NOT_KNOWN_ONLY
    elif urn and urn != URN_NOT_KNOWN and not URN_PATTERN.match(urn):
        errors["urn"] = URN_FORMAT
    try:
        postcode = normalise_postcode(postcode)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return {"place": place, "provider": provider, "urn": urn, "postcode": postcode}


def _placement_save(placement: Placement) -> Placement:
    """Save, turning the database's no-overlap constraint into an error that names the
    placement in the way (it holds for two requests at once, which no query first would)."""
    placement.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as error:
        if "placement_no_overlap" not in str(error):
            raise
        clash = (
            Placement.objects.filter(person=placement.person)
            .exclude(pk=placement.pk)
            .filter(overlapping("start", "end", placement.start, placement.end))
            .order_by("start")
            .first()
        )
        name = placement.person.first_name
        message = (
            PLACEMENT_OVERLAPS.format(name=name, start=clash.start, until=_until(clash.end))
            if clash
            else PLACEMENTS_OVERLAP.format(name=name)
        )
        raise ValidationError({"start": message}) from None
    return placement


@transaction.atomic
def placement_start(
    *,
    family: Family,
    person: Person,
    start: datetime.date,
    place: str,
    provider: str = "",
    postcode: str = "",
    urn: str = "",
    previous_change_reason: str = "",
) -> Placement:
    """The child starts living somewhere, inside a period of care. The placement in force
    (open, begun before) ends the day before, with why it ended."""
    _child_of(family, person)
    _looked_after_on(family, person, start, "start")
    details = _placement_details(place=place, provider=provider, urn=urn, postcode=postcode)
    current = (
        Placement.objects.select_for_update()
        .filter(person=person, end__isnull=True)
        .order_by("-start")
        .first()
    )
    if current is not None and current.start <= start:
        if current.start == start:
            raise ValidationError(
                {"start": NEW_BEFORE_CURRENT.format(name=person.first_name, start=current.start)}
            )
        current.end = start - datetime.timedelta(days=1)
        current.change_reason = previous_change_reason
        current.full_clean(validate_constraints=False)
        current.save()
    return _placement_save(Placement(family=family, person=person, start=start, **details))


@transaction.atomic
def placement_update(
    *,
    placement: Placement,
    start: datetime.date,
    end: datetime.date | None,
    place: str,
    provider: str = "",
    postcode: str = "",
    urn: str = "",
    change_reason: str = "",
) -> Placement:
    """Put a placement's facts right: its dates (still inside care, overlapping no other) and
    its codes."""
    placement = Placement.objects.select_for_update().select_related("person").get(pk=placement.pk)
    _looked_after_on(placement.family, placement.person, start, "start")
    _in_order(start, end)
    details = _placement_details(place=place, provider=provider, urn=urn, postcode=postcode)
    for name, value in details.items():
        setattr(placement, name, value)
    placement.start, placement.end = start, end
    placement.change_reason = change_reason if end else ""
    return _placement_save(placement)


@transaction.atomic
def placement_end(*, placement: Placement, end: datetime.date, change_reason: str) -> Placement:
    """The child leaves the placement: ``end`` is the last night there."""
    placement = Placement.objects.select_for_update().select_related("person").get(pk=placement.pk)
    if placement.end is not None:
        raise ValidationError(ALREADY_ENDED)
    _in_order(placement.start, end)
    placement.end = end
    placement.change_reason = change_reason
    placement.full_clean(validate_constraints=False)
    placement.save()
    return placement


# --- missing or away -------------------------------------------------------------------------


def _missing_save(episode: MissingEpisode) -> MissingEpisode:
    if episode.kind not in MissingKind.values:
        raise ValidationError({"kind": "Choose whether they were missing or away"})
    _looked_after_on(episode.family, episode.person, episode.start, "start")
    _in_order(episode.start, episode.end)
    clash = (
        MissingEpisode.objects.filter(person=episode.person)
        .exclude(pk=episode.pk)
        .filter(overlapping("start", "end", episode.start, episode.end))
        .first()
    )
    if clash:
        raise ValidationError(
            {
                "start": MISSING_OVERLAPS.format(
                    name=episode.person.first_name, start=clash.start, until=_until(clash.end)
                )
            }
        )
    episode.full_clean()
    episode.save()
    return episode


@transaction.atomic
def missing_record(
    *,
    family: Family,
    person: Person,
    kind: str,
    start: datetime.date,
    end: datetime.date | None = None,
    episode: MissingEpisode | None = None,
) -> MissingEpisode:
    """A looked-after child went missing or was away from their placement without permission
    (``end`` empty while they still are). With ``episode``, put that one right."""
    _child_of(family, person)
    if episode is not None:
        episode = MissingEpisode.objects.select_for_update().get(pk=episode.pk, person=person)
    else:
        episode = MissingEpisode(family=family, person=person)
    episode.kind, episode.start, episode.end = kind, start, end
    return _missing_save(episode)


@transaction.atomic
def missing_end(*, episode: MissingEpisode, end: datetime.date) -> MissingEpisode:
    """The child is back: ``end`` is the day they came back."""
    episode = MissingEpisode.objects.select_for_update().select_related("person").get(pk=episode.pk)
    episode.end = end
    return _missing_save(episode)


# --- the year's health and offending (OC2) ---------------------------------------------------


def _check_year(year: int, today: datetime.date | None = None) -> None:
    if year > collection_year(today or timezone.localdate()):
        raise ValidationError({"year": YEAR_NOT_STARTED.format(year=year)})


@transaction.atomic
def health_outcomes_save(
    *,
    family: Family,
    person: Person,
    year: int,
    sdq_score: int | None = None,
    sdq_reason: str = "",
    **answers: bool | None,
) -> HealthOutcomes:
    """The year's health and offending for a child looked after in it, one record a child and
    year (saving again puts it right). ``answers`` are the yes-or-no questions, by the
    model's field names; None is not known."""
    _child_of(family, person)
    _check_year(year)
    first, last = year_bounds(year)
    if not _care(family, person).filter(overlapping("start", "end", first, last)).exists():
        raise ValidationError(
            {"year": NOT_LOOKED_AFTER_IN_YEAR.format(name=person.first_name, year=year)}
        )
    if sdq_score is not None and not 0 <= sdq_score <= 40:
        raise ValidationError({"sdq_score": SDQ_RANGE})
    if sdq_score is not None and sdq_reason:
        raise ValidationError({"sdq_reason": SDQ_AND_REASON})
    age = person.age_on(last)
    if answers.get("health_check") is not None and age is not None and age >= 5:
        raise ValidationError(
            {"health_check": HEALTH_CHECK_UNDER_FIVE.format(name=person.first_name, year=year)}
        )
    outcomes = HealthOutcomes.objects.select_for_update().filter(
        person=person, year=year
    ).first() or HealthOutcomes(person=person, year=year)
    outcomes.family = family
    outcomes.sdq_score, outcomes.sdq_reason = sdq_score, sdq_reason
    for name, value in answers.items():
        HealthOutcomes._meta.get_field(name)  # a wrong name is a programming error: raise
        setattr(outcomes, name, value)
    outcomes.full_clean(validate_constraints=False)
    outcomes.save()
    return outcomes


# --- care leavers (OC3) ----------------------------------------------------------------------


@transaction.atomic
def leaver_contact_save(
    *,
    family: Family,
    person: Person,
    year: int,
    in_touch: str,
    activity: str = "",
    accommodation: str = "",
) -> CareLeaverContact:
    """A care leaver's contact, main activity and accommodation around their birthday in the
    year: all three together (903 rule 153). Saving again for the year puts it right."""
    _child_of(family, person)
    _check_year(year)
    if not _care(family, person).filter(end__lte=year_bounds(year)[1]).exists():
        raise ValidationError(
            {"person": NOT_A_CARE_LEAVER.format(name=person.first_name, year=year)}
        )
    given = {"in_touch": in_touch, "activity": activity, "accommodation": accommodation}
    if not any(given.values()):
        raise ValidationError({"in_touch": LEAVER_IN_TOUCH.format(name=person.first_name)})
    missing = [name for name, value in given.items() if not value]
    if missing:
        raise ValidationError(dict.fromkeys(missing, LEAVER_ALL_OR_NONE))
    contact = CareLeaverContact.objects.select_for_update().filter(
        person=person, year=year
    ).first() or CareLeaverContact(person=person, year=year)
    contact.family = family
    contact.in_touch, contact.activity, contact.accommodation = in_touch, activity, accommodation
    contact.full_clean(validate_constraints=False)
    contact.save()
    return contact


# --- adoption --------------------------------------------------------------------------------


def _check_adopters(adopters: int | None, sex: str, legal_status: str) -> None:
    """The number, sexes and legal status of the adopters agree (903 rules 514-524)."""
    errors = {}
    if adopters == 1:
        if sex and sex not in SINGLE_SEXES:
            errors["adopters_sex"] = ONE_ADOPTER_SEX
        if legal_status and legal_status != AdoptersLegalStatus.SINGLE:
            errors["adopters_legal_status"] = ONE_ADOPTER_SINGLE
    elif adopters == 2:
        if sex and sex in SINGLE_SEXES:
            errors["adopters_sex"] = TWO_ADOPTERS_SEX
        if legal_status == AdoptersLegalStatus.SINGLE:
            errors["adopters_legal_status"] = TWO_ADOPTERS_NOT_SINGLE
    if sex and legal_status and not errors and sex not in ADOPTERS_SEXES.get(legal_status, {sex}):
        errors["adopters_sex"] = LEGAL_STATUS_SEX.format(
            status=AdoptersLegalStatus(legal_status).label,
            sexes=", ".join(
                AdoptersSex(code).label.lower() for code in sorted(ADOPTERS_SEXES[legal_status])
            ),
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def adoption_save(
    *,
    family: Family,
    person: Person,
    decided: datetime.date,
    matched: datetime.date | None = None,
    reversed: datetime.date | None = None,  # noqa: A002 (the model's field name)
    reversed_reason: str = "",
    by_foster_carers: bool | None = None,
    adopters: int | None = None,
    adopters_sex: str = "",
    adopters_legal_status: str = "",
    adoption: Adoption | None = None,
) -> Adoption:
    """The decision that the child should be placed for adoption, the match, a reversal with
    its reason, and who adopts. With ``adoption``, put that one right."""
    _child_of(family, person)
    if matched is not None and matched < decided:
        raise ValidationError({"matched": MATCHED_BEFORE_DECISION.format(decided=decided)})
    if reversed is not None and reversed < decided:
        raise ValidationError({"reversed": REVERSED_BEFORE_DECISION.format(decided=decided)})
    if reversed is not None and not reversed_reason:
        raise ValidationError({"reversed_reason": REVERSED_NEEDS_REASON})
    if reversed_reason and reversed is None:
        raise ValidationError({"reversed": REASON_NEEDS_REVERSED})
    _check_adopters(adopters, adopters_sex, adopters_legal_status)
    if adoption is not None:
        adoption = Adoption.objects.select_for_update().get(pk=adoption.pk, person=person)
    else:
        adoption = Adoption(family=family, person=person)
    fields = {
        "decided": decided,
        "matched": matched,
        "reversed": reversed,
        "reversed_reason": reversed_reason,
        "by_foster_carers": by_foster_carers,
        "adopters": adopters,
        "adopters_sex": adopters_sex,
        "adopters_legal_status": adopters_legal_status,
    }
    for name, value in fields.items():
        setattr(adoption, name, value)
    adoption.full_clean()
    adoption.save()
    return adoption


# --- reads for the care page -----------------------------------------------------------------


def placement_missing_facts(
    placement: Placement, periods: list[list[ChildStatus]] = ()
) -> list[str]:
    """What the return needs about a placement that is not recorded yet, in plain words.
    Given the child's ``periods`` of care, a placement running on after its period ended
    needs its end; one that ended with the care needs no reason for the move."""
    missing = []
    period = None
    for candidate in periods:
        if candidate[0].start <= placement.start:
            period = candidate  # the latest period begun by the placement's start
    ended = period[-1].end if period else None
    if ended and (placement.end is None or placement.end > ended):
        missing.append(f"when it ended (care ended on {ended:%-d %B %Y})")
    if not placement.provider and placement.place not in NO_PROVIDER_PLACEMENTS:
        missing.append("who provides it")
    if not placement.postcode:
        missing.append("the placement postcode")
    if not placement.urn and placement.place not in NO_URN_PLACEMENTS:
        missing.append("the Ofsted URN")
    if placement.end and not placement.change_reason and placement.end != ended:
        missing.append("why it ended")
    return missing


def periods_of_care(statuses: list[ChildStatus]) -> list[list[ChildStatus]]:
    """Looked-after statuses (oldest first) as periods of care: a status that starts the day
    after the one before ends (a change of legal status) carries the same period on."""
    periods: list[list[ChildStatus]] = []
    for status in statuses:
        previous = periods[-1][-1] if periods else None
        if previous and previous.end and status.start == previous.end + datetime.timedelta(days=1):
            periods[-1].append(status)
        else:
            periods.append([status])
    return periods
