"""The complaints forms. They check what a person typed; the procedure's rules (clocks,
windows, one extension) are in feedback/complaints/services.py, whose errors land on these
fields by name."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from config.govuk_forms import GovukDateField
from families.models import Family
from feedback.models import ComplaintStage, Outcome, Theme
from feedback.models.base import From, ReceivedBy
from pods.models import Team, Worker
from scheduling.models import Letter

FAMILY_NOT_FOUND = "There is no family with the reference {reference}: check it and try again"


def _choice(label: str, choices, message: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message},
        **kwargs,
    )


def _text(label: str, message: str = "", **kwargs) -> forms.CharField:
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
    kwargs.setdefault("max_length", 5000)
    return forms.CharField(
        label=label,
        required=bool(message),
        error_messages={"required": message} if message else {},
        **kwargs,
    )


def offer_who_it_is_about(form: forms.Form, themes_for: str) -> None:
    """The choices of a complaint's or compliment's worker, pod and themes."""
    form.fields["worker"].queryset = (
        Worker.objects.filter(user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    form.fields["team"].queryset = Team.objects.filter(kind=Team.Kind.POD).order_by("name")
    form.fields["themes"].queryset = Theme.objects.filter(used_for=themes_for, active=True)


def family_by_reference(text: str, families) -> Family | None:
    """The family among ``families`` with the reference typed, None when none was typed."""
    reference = text.strip().upper()
    if not reference:
        return None
    family = families.filter(reference__iexact=reference).first()
    if family is None:
        raise forms.ValidationError(FAMILY_NOT_FOUND.format(reference=reference))
    return family


class ComplaintForm(forms.Form):
    """Record a complaint. The family is named by its reference number: the complaints officer
    may name any family, because their job is every complaint about the service and a
    complainant quotes the family's reference, or the officer finds it with the pod. This is
    the one place a family is looked up outside ``Family.objects.visible_to``; only the
    complaints officer reaches it, and a reference that is not found says only that."""

    received = GovukDateField(label="Date it was received")
    received_by = _choice("How did it come?", ReceivedBy.choices, "Choose how the complaint came")
    from_kind = _choice("Who made it?", From.choices, "Choose who made the complaint")
    from_name = forms.CharField(
        label="Their name",
        max_length=200,
        error_messages={"required": "Enter the name of the person who made the complaint"},
    )
    from_address = _text(
        "Their address",
        help_text="The response is posted here. Leave it empty to email it instead.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    from_email = forms.EmailField(
        label="Their email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    family_reference = forms.CharField(
        label="Family reference number (if it is about a family)",
        max_length=20,
        required=False,
        help_text="For example FAM-00012",
    )
    worker = forms.ModelChoiceField(
        label="Worker it is about (if any)",
        queryset=Worker.objects.none(),
        required=False,
        empty_label="No worker",
    )
    team = forms.ModelChoiceField(
        label="Team it is about (if any)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
    )
    summary = _text("What is the complaint about?", "Enter what the complaint is about")
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    advocate_offered = GovukDateField(
        label="Date an advocate was offered",
        required=False,
        help_text="A child or young person who complains must be offered an advocate",
    )
    advocate_accepted = forms.BooleanField(label="They accepted the advocate", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_who_it_is_about(self, Theme.For.COMPLAINTS)

    def clean_family_reference(self):
        # The complaints officer may name any family: every complaint is theirs to manage.
        return family_by_reference(self.cleaned_data["family_reference"], Family.objects.all())


class ExtendForm(forms.Form):
    to = GovukDateField(
        label="New date the response is due",
        required=False,
        help_text="Leave it empty for the most the procedure allows",
    )
    reason = _text(
        "Why does the response need more time?", "Enter why the response needs more time"
    )


class RespondForm(forms.Form):
    responded = GovukDateField(label="Date of the response")
    outcome = _choice(
        "What is the outcome?",
        Outcome.choices,
        "Choose the outcome: upheld, partly upheld or not upheld",
    )
    response = _text(
        "What does the response say?",
        "Enter what the response says",
        help_text="In plain words. The letter adds the outcome and how to take it further.",
    )


class EscalateForm(forms.Form):
    requested = GovukDateField(label="Date they asked for the next stage")


class ActionForm(forms.Form):
    text = _text("What is to be done?", "Enter what is to be done")
    owner = forms.ModelChoiceField(
        label="Who will do it",
        queryset=Worker.objects.none(),
        empty_label="Choose someone",
        error_messages={"required": "Choose who will do it"},
    )
    due = GovukDateField(label="Date it is due")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            Worker.objects.filter(user__is_active=True)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )


class CloseForm(forms.Form):
    closed = GovukDateField(label="Date it was closed")
    learning = _text("What has the service learnt?")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"closed": timezone.localdate()})
        super().__init__(*args, **kwargs)


class LetterSentForm(forms.Form):
    sent_by = _choice("How was it sent?", Letter.SentBy.choices, "Choose how the letter was sent")


STATE_CHOICES = [("", "All"), ("open", "Open"), ("overdue", "Overdue"), ("closed", "Closed")]


class ListFilterForm(forms.Form):
    """The list's filters, in the query string; an unknown value is ignored, not an error."""

    state = forms.ChoiceField(label="Status", choices=STATE_CHOICES, required=False)
    stage = forms.TypedChoiceField(
        label="Stage",
        choices=[("", "Any stage"), *ComplaintStage.Number.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.none(), required=False, empty_label="Any team"
    )
    theme = forms.ModelChoiceField(
        label="Theme", queryset=Theme.objects.none(), required=False, empty_label="Any theme"
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["theme"].queryset = Theme.objects.filter(used_for=Theme.For.COMPLAINTS)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in ("", None)}
