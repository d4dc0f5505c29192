"""The data protection officer's forms: a decision on a review item, a legal hold, and each step
of a subject access request."""

from __future__ import annotations

from django import forms

from config.govuk_forms import GovukDateField
from dataprotection.models import (
    Category,
    Disclosure,
    LegalHold,
    Redaction,
    SubjectAccessRequest,
)
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


# --- subject access requests ---------------------------------------------------------------


class SarLogForm(forms.Form):
    received = GovukDateField(label="When was the request received?")
    how = forms.ChoiceField(
        label="How did it come?", choices=SubjectAccessRequest.How.choices,
        widget=forms.RadioSelect, error_messages={"required": "Choose how the request came"},
    )  # fmt: skip
    requester_name = forms.CharField(
        label="Who asked?", max_length=200,
        error_messages={"required": "Give the name of the person who asked"},
    )  # fmt: skip
    requester = forms.ChoiceField(
        label="Who are they?", choices=SubjectAccessRequest.Requester.choices,
        widget=forms.RadioSelect, error_messages={"required": "Choose who the requester is"},
    )  # fmt: skip
    first_name = forms.CharField(
        label="First name of the person the records are about", max_length=100,
        error_messages={"required": "Give the first name of the person the records are about"},
    )  # fmt: skip
    last_name = forms.CharField(
        label="Last name", max_length=100,
        error_messages={"required": "Give the last name of the person the records are about"},
    )  # fmt: skip
    date_of_birth = GovukDateField(label="Their date of birth")
    family_reference = forms.CharField(
        label="Family reference", max_length=20, required=False,
        help_text="Only when more than one person has this name and date of birth",
    )  # fmt: skip
    identity_checked = GovukDateField(
        label="When was the requester's identity checked?", required=False,
        help_text="Leave empty if it is not checked yet: the records cannot be gathered until "
        "it is",
    )  # fmt: skip
    identity_how = forms.CharField(
        label="How was it checked?", max_length=300, required=False,
        help_text="For example, passport seen at the front desk",
    )  # fmt: skip


class SarIdentityForm(forms.Form):
    identity_checked = GovukDateField(label="When was the requester's identity checked?")
    identity_how = forms.CharField(label="How was it checked?", max_length=300, required=False)


class SarExtendForm(forms.Form):
    extended_to = GovukDateField(
        label="Extend to", required=False,
        help_text="Leave empty for the longest allowed: three months from receipt",
    )  # fmt: skip
    extension_reason = forms.CharField(
        label="Why is more time needed?", widget=forms.Textarea, required=False,
        help_text="As the requester was told: for example, the records are many or complex",
    )  # fmt: skip
    requester_told = GovukDateField(label="When was the requester told?", required=False)


class RedactionForm(forms.Form):
    passage = forms.CharField(
        label="The passage to withhold", widget=forms.Textarea(attrs={"rows": 3}),
        required=False, help_text="Copy it exactly from the record",
    )  # fmt: skip
    reason = forms.ChoiceField(
        label="Why is it withheld?", required=False, widget=forms.RadioSelect,
        choices=Redaction.Reason.choices,
    )  # fmt: skip
    note = forms.CharField(label="Note (optional)", max_length=500, required=False)
    everywhere = forms.BooleanField(
        label="Withhold it wherever else it appears in this request", required=False
    )


class SignOffForm(forms.Form):
    confirmed = forms.BooleanField(
        label="I have read the records and the redactions, and the bundle can be made",
        error_messages={"required": "Confirm you have read the records and the redactions"},
    )


class DisclosureForm(forms.Form):
    sent = GovukDateField(label="When was it sent?")
    sent_to = forms.CharField(label="Who was it sent to?", max_length=300, required=False)
    how = forms.ChoiceField(
        label="How was it sent?", choices=Disclosure.How.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose how the bundle was sent"},
    )  # fmt: skip


class SarCloseForm(forms.Form):
    CHOICES = [
        (value, label)
        for value, label in SubjectAccessRequest.Outcome.choices
        if value != SubjectAccessRequest.Outcome.SENT
    ]
    outcome = forms.ChoiceField(
        label="How was it answered?", choices=CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "Choose how the request was answered"},
    )  # fmt: skip
    day = GovukDateField(label="When?")
