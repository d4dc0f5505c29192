"""The compliment form. The family is named by its reference, as on the complaint form (the
complaints officer may name any family; others only one they can see)."""

from __future__ import annotations

from django import forms

from config.govuk_forms import GovukDateField
from feedback.complaints.forms import family_by_reference, offer_who_it_is_about
from feedback.models import Theme
from feedback.models.base import From, ReceivedBy
from pods.models import Team, Worker


class ComplimentForm(forms.Form):
    received = GovukDateField(label="Date it was received")
    received_by = forms.ChoiceField(
        label="How did it come?",
        choices=ReceivedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the compliment came"},
    )
    from_kind = forms.ChoiceField(
        label="Who gave it?",
        choices=From.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who gave the compliment"},
    )
    from_name = forms.CharField(label="Their name (optional)", max_length=200, required=False)
    worker = forms.ModelChoiceField(
        label="Worker it is for (if any)",
        queryset=Worker.objects.none(),
        required=False,
        empty_label="No worker",
    )
    team = forms.ModelChoiceField(
        label="Team it is for (if any)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
    )
    family_reference = forms.CharField(
        label="Family reference number (if it is about a family)", max_length=20, required=False
    )
    words = forms.CharField(
        label="What did they say?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter what they said"},
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )

    def __init__(self, *args, families, **kwargs):
        """``families``: the families this user may name (``visible_to``, or every family for
        the complaints officer)."""
        super().__init__(*args, **kwargs)
        self.families = families
        offer_who_it_is_about(self, Theme.For.COMPLIMENTS)

    def clean_family_reference(self):
        return family_by_reference(self.cleaned_data["family_reference"], self.families)


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="Year", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}-{(y + 1) % 100:02d}") for y in years]
