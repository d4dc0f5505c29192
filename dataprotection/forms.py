"""The data protection officer's forms: a decision on a review item, and a legal hold."""

from __future__ import annotations

from django import forms

from config.govuk_forms import GovukDateField
from dataprotection.models import Category, LegalHold
from families.models import Family


class DestroyForm(forms.Form):
    confirmed = forms.BooleanField(
        label="I confirm these records have passed their retention date and are to be destroyed",
        required=False,
    )


class DeferForm(forms.Form):
    reason = forms.CharField(
        label="Why are the records kept for now?", widget=forms.Textarea, required=False
    )
    look_again = GovukDateField(label="When should they be looked at again?", required=False)


class LegalHoldForm(forms.Form):
    kind = forms.ChoiceField(
        label="What holds the records", choices=LegalHold.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose what holds the records"},
    )  # fmt: skip
    title = forms.CharField(
        label="Name", max_length=200, help_text="For example, the inquiry's name",
        error_messages={"required": "Give the hold a name"},
    )  # fmt: skip
    reason = forms.CharField(label="Details", widget=forms.Textarea, required=False)
    family_reference = forms.CharField(
        label="Family reference", required=False, max_length=20,
        help_text="Only this family. Leave empty to hold a category, or everything",
    )  # fmt: skip
    category = forms.ChoiceField(
        label="Category", required=False,
        choices=[("", "Every category")] + list(Category.choices),
        help_text="Every record of this category, when no family is given",
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        reference = (data.get("family_reference") or "").strip().upper()
        data["family"] = None
        if reference:
            data["family"] = Family.objects.filter(reference=reference).first()
            if data["family"] is None:
                self.add_error("family_reference", f"There is no family {reference}")
            elif data.get("category"):
                self.add_error(
                    "category", "A hold on one family holds all of it: leave the category empty"
                )
        return data
