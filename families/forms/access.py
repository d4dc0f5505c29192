"""Forms that let someone outside the pod see a family, restrict it, or break glass."""

from __future__ import annotations

import datetime

from django import forms

from config.govuk_forms import GovukDateField
from families.models import (
    FamilyGrant,
)
from pods.models import Worker


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
