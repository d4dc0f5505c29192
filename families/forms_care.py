"""Forms for a looked-after child's record (families/care.py does the rules that span rows and
codes: what comes back from it lands on the field it names). The choices are the DfE's codes
behind plain words; a code outside the list is a form error naming the field."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from config.govuk_forms import GovukDateField
from families.care import collection_year
from families.models import FamilyMember, Person
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

YEARS_OFFERED = 5


def _choice(label: str, choices, *, what="", required=False, radios=True, empty="", **kwargs):
    """A choice of DfE codes by their plain words; a code outside them is an error naming
    the field (``what``, by default the label)."""
    name = what or label[0].lower() + label[1:]
    if radios:  # an optional answer can be taken back without JavaScript: "not known"
        options = list(choices) if required else [*choices, ("", empty or "Not known yet")]
    else:
        options = [("", empty or "Choose"), *choices]
    return forms.ChoiceField(
        label=label,
        choices=options,
        required=required,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={
            "required": f"Choose {name}",
            "invalid_choice": f"Choose {name} from the list",
        },
        **kwargs,
    )


def yes_no(label: str, **kwargs) -> forms.TypedChoiceField:
    """A yes-or-no question that may be left unanswered (None: not known)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("1", "Yes"), ("0", "No"), ("", "Not known")],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": f"Choose yes or no for {label[0].lower()}{label[1:]}"},
        **kwargs,
    )


def yes_no_initial(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def year_choices(today: datetime.date | None = None) -> list[tuple[int, str]]:
    """The collection year now and the ones before, named as a worker says them."""
    latest = collection_year(today or timezone.localdate())
    return [
        (year, f"April {year - 1} to March {year}")
        for year in range(latest, latest - YEARS_OFFERED, -1)
    ]


class ChildForm(forms.Form):
    """Which child the record is about: a child of this family (the first field)."""

    person = forms.ModelChoiceField(
        label="Child",
        queryset=Person.objects.none(),
        empty_label="Choose a child",
        error_messages={
            "required": "Choose the child",
            "invalid_choice": "Choose a child in this family",
        },
    )

    def __init__(self, *args, family, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:  # changing a record: its child stays
            del self.fields["person"]
        else:
            self.fields["person"].queryset = Person.objects.filter(
                memberships__family=family,
                memberships__relationship=FamilyMember.Relationship.CHILD,
            ).order_by("date_of_birth", "pk")


class PlacementForm(ChildForm):
    place = _choice(
        "Type of placement", PlacementType.choices, required=True, radios=False, empty="Choose"
    )
    provider = _choice(
        "Who provides it",
        PlacementProvider.choices,
        empty="No provider (a temporary move, hospital or holiday), or not known yet",
    )
    postcode = forms.CharField(
        label="Placement postcode",
        required=False,
        max_length=20,
        help_text="For example, BN2 9QA. Leave empty if you do not know it yet",
    )
    urn = forms.CharField(
        label="Ofsted unique reference number (URN)",
        required=False,
        max_length=10,
        help_text="The carer's or home's URN, like SC123456. Not for placements with parents, "
        "in hospital, custody or temporary ones",
    )
    start = GovukDateField(label="Date they moved in")
    previous_change_reason = _choice(
        "Why did their last placement end?",
        PlacementChangeReason.choices,
        what="why their last placement ended",
        radios=False,
        empty="They had no placement before this one",
        help_text="It ends the day before this one starts",
    )


class PlacementChangeForm(PlacementForm):
    field_order = ["place", "provider", "postcode", "urn", "start", "end", "change_reason"]

    end = GovukDateField(label="Last night there", required=False)
    change_reason = _choice(
        "Why it ended", PlacementChangeReason.choices, radios=False, empty="Not ended"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["previous_change_reason"]


class PlacementEndForm(forms.Form):
    end = GovukDateField(label="Last night there")
    change_reason = _choice(
        "Why did it end?", PlacementChangeReason.choices, what="why it ended", required=True
    )


class MissingForm(ChildForm):
    kind = _choice(
        "Missing or away",
        MissingKind.choices,
        what="whether they were missing or away",
        required=True,
    )
    start = GovukDateField(label="Date they went")
    end = GovukDateField(
        label="Date they came back", required=False, help_text="Leave empty while they are away"
    )


class MissingEndForm(forms.Form):
    end = GovukDateField(label="Date they came back")


def _year_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Year",
        coerce=int,
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the year",
            "invalid_choice": "Choose a year from the list",
        },
    )


class HealthOutcomesForm(ChildForm):
    year = _year_field()
    sdq_score = forms.IntegerField(
        label="Strengths and difficulties questionnaire (SDQ) score",
        required=False,
        min_value=0,
        max_value=40,
        help_text="From 0 to 40",
        error_messages={
            "invalid": "Enter the SDQ score as a whole number from 0 to 40",
            "min_value": "The SDQ score must be from 0 to 40",
            "max_value": "The SDQ score must be from 0 to 40",
        },
    )
    sdq_reason = _choice(
        "Why there is no SDQ score", SDQReason.choices, radios=False, empty="There is a score"
    )
    convicted = yes_no("Convicted or given a final warning or caution in the year")
    health_check = yes_no(
        "Development checks up to date", help_text="Only for children under 5 on 31 March"
    )
    immunisations = yes_no("Immunisations up to date")
    teeth_check = yes_no("Teeth checked by a dentist")
    health_assessment = yes_no("Annual health assessment done")
    substance_misuse = yes_no("A substance misuse problem identified")
    intervention_received = yes_no("Received help for substance misuse")
    intervention_offered = yes_no("Offered help for substance misuse, and refused it")

    ANSWERS = [
        "convicted",
        "health_check",
        "immunisations",
        "teeth_check",
        "health_assessment",
        "substance_misuse",
        "intervention_received",
        "intervention_offered",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()


class LeaverContactForm(ChildForm):
    year = _year_field()
    in_touch = _choice(
        "In touch around their birthday",
        InTouch.choices,
        what="whether they are in touch",
        radios=False,
    )
    activity = _choice("Main activity", LeaverActivity.choices, radios=False)
    accommodation = _choice("Accommodation", LeaverAccommodation.choices, radios=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()


class AdoptionForm(ChildForm):
    decided = GovukDateField(label="Date of the decision that they should be placed for adoption")
    matched = GovukDateField(label="Date matched with adopters", required=False)
    reversed = GovukDateField(
        label="Date the decision was reversed",
        required=False,
        help_text="Only when they should no longer be placed for adoption",
    )
    reversed_reason = _choice(
        "Why it was reversed", AdoptionReversed.choices, radios=False, empty="Not reversed"
    )
    by_foster_carers = yes_no("Adopted by their foster carers")
    adopters = forms.TypedChoiceField(
        label="Number of adopters",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("1", "One"), ("2", "Two"), ("", "Not known yet")],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one or two adopters"},
    )
    adopters_sex = _choice("The adopters", AdoptersSex.choices, what="who the adopters are")
    adopters_legal_status = _choice("The adopters' legal status", AdoptersLegalStatus.choices)
