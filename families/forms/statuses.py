"""Forms of a child's plans and statuses, and the level of need."""

from __future__ import annotations

from django import forms

from config.govuk_forms import GovukDateField
from families.continuum import levels
from families.forms.common import with_blank
from families.models import (
    ChildStatus,
    FamilyMember,
    Person,
)
from families.models.codes import (
    CARE_NEEDS,
    CareEnded,
    CareLegalStatus,
    PreviousPermanence,
)

CP_CATEGORIES = ChildStatus.CPCategory.choices


PERMANENCE_COUNCIL_HINT = (
    "The DfE's three-digit number of the council that made it (999 if not known), or WAL, SCO, "
    "NIR or NUK for Wales, Scotland, Northern Ireland or elsewhere"
)


def _previous_permanence_fields() -> dict:
    return {
        "previous_permanence": forms.ChoiceField(
            label="Did the child have a permanence order before this care began?",
            required=False,
            choices=with_blank(PreviousPermanence.choices, "Not asked yet"),
            help_text="Only when a new period of care begins",
            error_messages={"invalid_choice": "Choose the kind of order from the list"},
        ),
        "previous_permanence_council": forms.CharField(
            label="Council that made the order",
            required=False,
            max_length=3,
            help_text=PERMANENCE_COUNCIL_HINT,
        ),
        "previous_permanence_date": GovukDateField(label="Date of that order", required=False),
    }


class StatusStartForm(forms.Form):
    """A plan or status starting. A child protection plan asks what the initial conference
    decided; a period of care asks what the SSDA903 return will need of its start."""

    person = forms.ModelChoiceField(
        label="Child",
        queryset=Person.objects.none(),
        empty_label="Choose a child",
        error_messages={
            "required": "Choose the child",
            "invalid_choice": "Choose a child in this family",
        },
    )
    kind = forms.ChoiceField(
        label="Status",
        choices=ChildStatus.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the plan or status"},
    )
    start = GovukDateField(label="Start date")
    cp_category = forms.ChoiceField(
        label="Child protection plan: category at the initial conference",
        required=False,
        choices=[("", "Not a child protection plan")] + CP_CATEGORIES,
        error_messages={"invalid_choice": "Choose a category from the list"},
    )
    previous_cp_plans = forms.IntegerField(
        label="Child protection plan: how many plans the child had before this one",
        required=False,
        min_value=0,
        max_value=99,
        error_messages={
            "invalid": "Enter the number of previous plans as a number, such as 0",
            "min_value": "The number of previous plans cannot be less than 0",
            "max_value": "Enter the number of previous plans as a number below 100",
        },
    )
    legal_status = forms.ChoiceField(
        label="Looked after: legal status",
        required=False,
        choices=[("", "Not looked after")] + CareLegalStatus.choices,
        error_messages={"invalid_choice": "Choose a legal status from the list"},
    )
    care_need = forms.ChoiceField(
        label="Looked after: category of need",
        required=False,
        choices=with_blank(CARE_NEEDS),
        help_text="The main reason the child is looked after",
        error_messages={"invalid_choice": "Choose a category of need from the list"},
    )
    uasc = forms.BooleanField(label="Unaccompanied asylum-seeking child", required=False)

    def __init__(self, *args, family, primary_need: str = "", earlier_plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_previous_permanence_fields())
        children = Person.objects.filter(
            memberships__family=family, memberships__relationship=FamilyMember.Relationship.CHILD
        )
        self.fields["person"].queryset = children
        if primary_need in dict(CARE_NEEDS):
            self.fields["care_need"].initial = primary_need
        # Pre-filled with the plans Pods holds: one child's number, or each child's in the hint.
        earlier_plans = earlier_plans or {}
        if len(earlier_plans) == 1:
            self.fields["previous_cp_plans"].initial = next(iter(earlier_plans.values()))
        self.fields["previous_cp_plans"].help_text = (
            "Anywhere, not only here. Leave empty for the number recorded here"
            + "".join(f"; {name}: {count}" for name, count in earlier_plans.items())
        )


class EndDateForm(forms.Form):
    end = GovukDateField(label="End date")


class CareEndForm(EndDateForm):
    """Ending a looked-after status: either care ends, and why, or only the legal status
    changes and care carries on under the new one from the next day."""

    care_ended = forms.ChoiceField(
        label="Why is this ending?",
        required=False,
        help_text="If you do not know yet why care ended, leave this: the family page will "
        "show it is still needed",
        choices=[
            ("legal_status_changed", "The legal status changed: care carries on"),
            *CareEnded.choices,
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose why care is ending from the list"},
    )
    next_legal_status = forms.ChoiceField(
        label="The new legal status, from the next day",
        required=False,
        choices=with_blank(CareLegalStatus.choices, "Care has ended"),
        help_text="Only when the legal status changed",
        error_messages={"invalid_choice": "Choose a legal status from the list"},
    )

    def clean(self):
        data = super().clean()
        changed = data.get("care_ended") == "legal_status_changed"
        if changed and not data.get("next_legal_status"):
            self.add_error("next_legal_status", "Choose the new legal status")
        elif not changed and data.get("next_legal_status"):
            self.add_error(
                "next_legal_status",
                "Leave the new legal status empty when care ends, or choose that it changed",
            )
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        changed = data.get("care_ended") == "legal_status_changed"
        return {
            "end": data["end"],
            "care_ended": "" if changed else data["care_ended"],
            "next_legal_status": data["next_legal_status"] if changed else "",
        }


class StatusEditForm(forms.Form):
    """Complete or correct a status: a child protection plan's categories (the latest changes
    at a review conference) and previous plans; a period of care's facts. Filled with what is
    recorded; each kind shows only its own questions."""

    def __init__(self, *args, status: ChildStatus, **kwargs):
        super().__init__(*args, **kwargs)
        if status.kind == ChildStatus.Kind.CP_PLAN:
            self.fields["initial_cp_category"] = forms.ChoiceField(
                label="Category at the initial conference",
                required=False,
                choices=with_blank(CP_CATEGORIES),
            )
            self.fields["cp_category"] = forms.ChoiceField(
                label="Latest category",
                required=False,
                choices=with_blank(CP_CATEGORIES),
                help_text="Changed when a review conference changes the category",
            )
            self.fields["previous_cp_plans"] = forms.IntegerField(
                label="How many plans the child had before this one",
                required=False,
                min_value=0,
                max_value=99,
                help_text="Anywhere, not only here",
                error_messages={"invalid": "Enter the number of previous plans as a number"},
            )
        elif status.kind == ChildStatus.Kind.LOOKED_AFTER:
            self.fields["legal_status"] = forms.ChoiceField(
                label="Legal status",
                required=False,
                choices=with_blank(CareLegalStatus.choices),
                help_text="To correct a mistake. When the legal status changes, end this "
                "status and choose that the legal status changed",
            )
            self.fields["care_need"] = forms.ChoiceField(
                label="Category of need", required=False, choices=with_blank(CARE_NEEDS)
            )
            self.fields["uasc"] = forms.BooleanField(
                label="Unaccompanied asylum-seeking child", required=False
            )
            self.fields["uasc_ceased"] = GovukDateField(
                label="Date they stopped being an unaccompanied asylum-seeking child",
                required=False,
                help_text="For example, the day they were granted leave to remain. Leave it "
                "empty while they still are: they stop being one at 18 at the latest",
            )
            self.fields.update(_previous_permanence_fields())
            if status.end is not None:
                self.fields["care_ended"] = forms.ChoiceField(
                    label="Why care ended",
                    required=False,
                    choices=with_blank(
                        CareEnded.choices, "Care carried on under a new legal status"
                    ),
                )
        for name, field in self.fields.items():
            field.initial = getattr(status, name)
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = (
                    f"Choose the {field.label.lower()} from the list"
                )


class NeedAssessmentForm(forms.Form):
    """The threshold guidance as a form: tick what you see, and the level it suggests is shown
    before you save. The worker decides the level."""

    child = forms.ModelChoiceField(
        label="Child",
        queryset=Person.objects.none(),
        required=False,
        empty_label="The whole family",
    )
    date = GovukDateField(label="Date of the assessment")
    indicators = forms.MultipleChoiceField(
        label="Indicators",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose indicators from the continuum of need"},
    )
    level = forms.TypedChoiceField(
        label="Level of need",
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        choices=[(level.number, f"Level {level.number}: {level.name}") for level in levels()],
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Person.objects.filter(
            memberships__family=family, memberships__relationship=FamilyMember.Relationship.CHILD
        )
        self.fields["indicators"].choices = [
            (indicator.id, indicator.text)
            for level in levels()
            for area in level.areas.values()
            for indicator in area
        ]
