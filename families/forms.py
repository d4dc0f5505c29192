"""Forms for families. They check the shape of what was typed; the rules that span rows (a
worker in the pod, statuses that do not overlap, plans open at closure) are in services.py and
come back as errors on the named field."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from config.govuk_forms import GovukDateField
from families.continuum import levels
from families.models import (
    ChildStatus,
    Episode,
    FamilyGrant,
    FamilyMember,
    Person,
    Professional,
    Referral,
)
from families.permissions import CASE_HOLDER_ROLES
from pods.models import Team, TeamMembership, Worker, current_on


def _not_in_future(day: datetime.date | None, message: str) -> None:
    if day and day > timezone.localdate():
        raise forms.ValidationError(message)


class ReferralDetailsForm(forms.Form):
    """What every referral records: when, from whom, and the worry in the referrer's words."""

    received = GovukDateField(label="Date the referral was received")
    source = forms.ChoiceField(
        label="Who made the referral",
        choices=Referral.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who made the referral"},
    )
    reason = forms.CharField(
        label="What are they worried about?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the referrer is worried about"},
    )

    def clean_received(self):
        received = self.cleaned_data["received"]
        _not_in_future(received, "The date the referral was received must be today or in the past")
        return received


class ReferralForm(ReferralDetailsForm):
    """A new family: who they are, the referral, and the child it is about (more people are
    added on the family's page)."""

    field_order = ["display_name", "address", "postcode", "received", "source", "reason"]

    display_name = forms.CharField(
        label="Family name",
        max_length=200,
        help_text="How the family is known, for example The Okafor family",
        error_messages={"required": "Enter the family name"},
    )
    address = forms.CharField(label="Address", widget=forms.Textarea, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    child_first_name = forms.CharField(
        label="Child's first name", error_messages={"required": "Enter the child's first name"}
    )
    child_last_name = forms.CharField(
        label="Child's last name", error_messages={"required": "Enter the child's last name"}
    )
    child_date_of_birth = GovukDateField(
        label="Child's date of birth", required=False, help_text="Leave empty if not known"
    )
    child_gender = forms.ChoiceField(
        label="Child's gender", choices=Person.Gender.choices, initial=Person.Gender.NOT_KNOWN
    )
    adult_first_name = forms.CharField(label="Parent or carer's first name", required=False)
    adult_last_name = forms.CharField(label="Parent or carer's last name", required=False)
    adult_relationship = forms.ChoiceField(
        label="Their relationship to the child",
        required=False,
        choices=[("", "Choose")]
        + [c for c in FamilyMember.Relationship.choices if c[0] != "child"],
    )

    def clean_child_date_of_birth(self):
        born = self.cleaned_data["child_date_of_birth"]
        _not_in_future(born, "Child's date of birth must be today or in the past")
        return born

    def clean(self):
        data = super().clean()
        if data.get("adult_first_name") and not data.get("adult_relationship"):
            self.add_error("adult_relationship", "Choose their relationship to the child")
        return data


class PersonForm(forms.Form):
    first_name = forms.CharField(
        label="First name", error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", error_messages={"required": "Enter their last name"}
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2015"
    )
    gender = forms.ChoiceField(
        label="Gender", choices=Person.Gender.choices, initial=Person.Gender.NOT_KNOWN
    )
    relationship = forms.ChoiceField(
        label="Relationship",
        choices=FamilyMember.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their relationship in the family"},
    )
    lives_in_household = forms.BooleanField(
        label="Lives in the household", required=False, initial=True
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        _not_in_future(born, "Date of birth must be today or in the past")
        return born


class ProfessionalForm(forms.ModelForm):
    class Meta:
        model = Professional
        fields = ["name", "agency", "role", "phone", "email"]
        error_messages = {
            "name": {"required": "Enter the professional's name"},
            "agency": {"required": "Enter their agency or service"},
        }


def case_holders(as_of: datetime.date):
    """Workers who can hold a family, with the pod they are in today: choices grouped by pod."""
    memberships = (
        TeamMembership.objects.current_on(as_of)
        .filter(team__kind=Team.Kind.POD, worker__role__in=CASE_HOLDER_ROLES)
        .filter(current_on(as_of, "worker__start_date", "worker__leave_date"))
        .select_related("team", "worker__user")
        .order_by("team__name", "worker__user__last_name")
    )
    groups: dict[str, list] = {}
    for membership in memberships:
        label = f"{membership.worker.name} ({membership.worker.get_role_display().lower()})"
        groups.setdefault(membership.team.name, []).append(
            (f"{membership.team_id}:{membership.worker_id}", label)
        )
    return list(groups.items())


class AllocateForm(forms.Form):
    """Choose the worker (and so the pod): one select grouped by pod works without JavaScript."""

    holder = forms.ChoiceField(
        label="Social worker",
        error_messages={
            "required": "Choose a social worker",
            "invalid_choice": "Choose a social worker from the list",
        },
    )
    start = GovukDateField(label="Allocated from")
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea,
        required=False,
        help_text="Needed when the family already has a worker: kept with the family's history",
    )

    def __init__(self, *args, as_of: datetime.date, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].choices = [("", "Choose a social worker")] + case_holders(as_of)
        if reason_required:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "Enter why the family is changing worker"
            )

    def clean_holder(self):
        team_id, worker_id = self.cleaned_data["holder"].split(":")
        self.team = Team.objects.get(pk=team_id)
        self.worker = Worker.objects.select_related("user").get(pk=worker_id)
        return self.cleaned_data["holder"]


class StatusStartForm(forms.Form):
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
        label="Child protection category",
        required=False,
        choices=[("", "Not a child protection plan")] + ChildStatus.CPCategory.choices,
    )
    legal_status = forms.ChoiceField(
        label="Legal status",
        required=False,
        choices=[("", "Not looked after")] + ChildStatus.LegalStatus.choices,
    )
    uasc = forms.BooleanField(label="Unaccompanied asylum-seeking child", required=False)

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            memberships__family=family, memberships__relationship=FamilyMember.Relationship.CHILD
        )


class EndDateForm(forms.Form):
    end = GovukDateField(label="End date")


class CloseForm(forms.Form):
    end = GovukDateField(label="Date the episode closes")
    reason = forms.ChoiceField(
        label="Why is the family's episode closing?",
        choices=Episode.ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the family's episode is closing"},
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


class GrantForm(forms.Form):
    worker = forms.ModelChoiceField(
        label="Who needs to see this family",
        queryset=Worker.objects.none(),
        empty_label="Choose a worker",
        error_messages={"required": "Choose who needs access"},
    )
    kind = forms.ChoiceField(
        label="Why",
        widget=forms.RadioSelect,
        choices=[c for c in FamilyGrant.Kind.choices if c[0] != FamilyGrant.Kind.BREAK_GLASS],
        error_messages={"required": "Choose why they need access"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        required=False,
        help_text="Recorded with the access, and shown to the family's worker and pod manager",
    )
    expires = GovukDateField(label="Access ends at the end of", required=False)

    def __init__(self, *args, as_of: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = (
            Worker.objects.employed_on(as_of).select_related("user").order_by("user__last_name")
        )


class RestrictForm(forms.Form):
    reason = forms.CharField(
        label="Why is this record restricted?", widget=forms.Textarea, required=False
    )
    review_date = GovukDateField(label="Review the restriction on", required=False)
    named = forms.ModelMultipleChoiceField(
        label="Who may see it",
        queryset=Worker.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only these workers, and you, will see the family",
    )

    def __init__(self, *args, team_members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named"].queryset = team_members


class BreakGlassForm(forms.Form):
    reference = forms.CharField(
        label="Family reference",
        help_text="For example, F000123",
        error_messages={"required": "Enter the family reference"},
    )
    reason = forms.CharField(
        label="Why do you need to open this record?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why you need to open this record"},
    )
