"""Forms about people: a person's details and identifiers, and the professionals around the
family."""

from __future__ import annotations

from django import forms

from config.govuk_forms import GovukDateField
from families.forms.common import not_in_future, with_blank
from families.models import (
    FamilyMember,
    Person,
    Professional,
)
from families.models.codes import (
    Disability,
    Ethnicity,
    UPNUnknown,
)


class PersonDetailsForm(forms.Form):
    """A person's names and, for a child, what the statutory returns need to know, each asked
    in plain words with the DfE's code behind the choice. Only the names are required: what is
    not known yet is shown on the family page until it is."""

    first_name = forms.CharField(
        label="First name", error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", error_messages={"required": "Enter their last name"}
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2015"
    )
    expected_date_of_birth = GovukDateField(
        label="Expected date of birth",
        required=False,
        help_text="For an unborn child only: the date the baby is due",
    )
    gender = forms.ChoiceField(
        label="Sex",
        choices=Person.Gender.choices,
        initial=Person.Gender.NOT_KNOWN,
        error_messages={"invalid_choice": "Choose their sex from the list"},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        required=False,
        choices=with_blank(Ethnicity.choices),
        help_text="As the child or their family describe it",
        error_messages={"invalid_choice": "Choose an ethnicity from the list"},
    )
    first_language = forms.CharField(label="First language", max_length=100, required=False)
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        required=False,
        max_length=20,
        help_text="13 characters, from the child's school, for example Q846120012345",
    )
    upn_unknown = forms.ChoiceField(
        label="If there is no UPN, why not",
        required=False,
        choices=with_blank(UPNUnknown.choices, "The child has a UPN, or it is not known why not"),
        error_messages={"invalid_choice": "Choose why there is no UPN from the list"},
    )
    former_upn = forms.CharField(
        label="Former UPN",
        required=False,
        max_length=20,
        help_text="Only if the child had a different UPN before, for example before adoption",
    )
    disabilities = forms.MultipleChoiceField(
        label="Disabilities",
        required=False,
        choices=Disability.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose No disability, or each that applies. Leave empty if not known yet",
        error_messages={"invalid_choice": "Choose disabilities from the list"},
    )
    date_of_death = GovukDateField(label="Date of death", required=False)
    own_child_born = GovukDateField(
        label="Her own child's date of birth",
        required=False,
        help_text="For a girl or young woman who is a mother: her first child's date of birth",
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        not_in_future(born, "Date of birth must be today or in the past")
        return born

    def details(self) -> dict:
        """What the person services take, as keyword arguments."""
        return {name: self.cleaned_data[name] for name in self.declared_fields
                if name not in ("relationship", "lives_in_household")}  # fmt: skip


class PersonForm(PersonDetailsForm):
    """A new person in the family: their relationship first, then their details."""

    field_order = ["relationship", "lives_in_household", "first_name", "last_name"]

    relationship = forms.ChoiceField(
        label="Relationship",
        choices=FamilyMember.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their relationship in the family"},
    )
    lives_in_household = forms.BooleanField(
        label="Lives in the household", required=False, initial=True
    )


class PersonEditForm(PersonDetailsForm):
    """A person's details and identifiers, filled with what is recorded. Her own child's date
    of birth is asked only of a girl or young woman who is a child in the family."""

    def __init__(self, *args, person: Person, relationship: str, **kwargs):
        initial = {name: getattr(person, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)
        if relationship != FamilyMember.Relationship.CHILD or (
            person.gender != Person.Gender.FEMALE and not person.own_child_born
        ):
            del self.fields["own_child_born"]

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class ProfessionalForm(forms.ModelForm):
    class Meta:
        model = Professional
        fields = ["name", "agency", "role", "phone", "email"]
        error_messages = {
            "name": {"required": "Enter the professional's name"},
            "agency": {"required": "Enter their agency or service"},
        }
