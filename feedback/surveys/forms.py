"""The forms of surveys: the answers (the same form for a link and for an interviewer), a
wave, asking people, and moderating a comment. Error messages name the statement by its
number, as the page numbers them, so a person on a phone finds it."""

from __future__ import annotations

import re

from django import forms

from config.govuk_forms import GovukDateField
from families.models import ChildStatus, Family
from feedback.models import Instrument, Statement
from feedback.models.surveys import SCALE
from feedback.surveys.services import Given

SCALE_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}
SCALE_CHOICES = [(str(value), f"{value} – {SCALE_LABELS[value]}") for value in SCALE]
SHARES_NOT_100 = "The percentages of your time must add up to 100"
COMMENT_LIMIT = 5000
ADDRESS_LINE = re.compile(r"^\s*(?:(?P<reference>[^,\s]+)\s*,\s*)?(?P<email>\S+@\S+)\s*$")


class AnswersForm(forms.Form):
    """One field per statement: radios 1 to 5, a percentage, or words."""

    def __init__(self, *args, statements: list[Statement], **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = statements
        for number, statement in enumerate(statements, start=1):
            self.fields[statement.code] = self._field(number, statement)

    @staticmethod
    def _field(number: int, statement: Statement) -> forms.Field:
        label = f"{number}. {statement.text}"
        if statement.kind == Statement.Kind.SCALE:
            return forms.TypedChoiceField(
                label=label,
                choices=SCALE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose how much you agree with statement {number}",
                    "invalid_choice": f"Statement {number}: choose a number from 1 to 5",
                },
            )
        if statement.kind == Statement.Kind.TIME_SHARE:
            return forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=100,
                help_text="A percentage, for example 25",
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": f"Question {number}: enter a whole number, for example 25",
                    "min_value": f"Question {number}: enter a percentage from 0 to 100",
                    "max_value": f"Question {number}: enter a percentage from 0 to 100",
                },
            )
        return forms.CharField(
            label=label,
            required=False,
            max_length=COMMENT_LIMIT,
            widget=forms.Textarea,
            help_text="Do not include names. You can leave this blank.",
            error_messages={
                "max_length": f"Question {number} must be {COMMENT_LIMIT} characters or fewer"
            },
        )

    def clean(self):
        cleaned = super().clean()
        shares = [
            cleaned.get(s.code)
            for s in self.statements
            if s.kind == Statement.Kind.TIME_SHARE and cleaned.get(s.code) is not None
        ]
        if shares and sum(shares) != 100:
            first = next(s for s in self.statements if s.kind == Statement.Kind.TIME_SHARE)
            self.add_error(first.code, SHARES_NOT_100)
        return cleaned

    def given(self) -> list[Given]:
        answers = []
        for statement in self.statements:
            value = self.cleaned_data.get(statement.code)
            if statement.kind == Statement.Kind.COMMENT:
                answers.append(Given(statement=statement, text=(value or "").strip()))
            else:
                answers.append(Given(statement=statement, value=value))
        return answers


class WaveForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label="Survey",
        queryset=Instrument.objects.all(),
        empty_label="Choose a survey",
        error_messages={"required": "Choose the survey", "invalid_choice": "Choose a survey"},
    )
    name = forms.CharField(
        label="Name of the wave",
        max_length=120,
        help_text="For example, February 2027",
        error_messages={"required": "Enter the name of the wave"},
    )
    opens = GovukDateField(label="Opening date")
    closes = GovukDateField(label="Closing date", help_text="Links work until the end of this day")
    who_is_asked = forms.CharField(
        label="Who is asked",
        max_length=300,
        help_text="For example, parents of children on a child in need or child protection plan",
        error_messages={"required": "Enter who is asked"},
    )
    team = forms.ModelChoiceField(
        label="Team (optional)",
        queryset=None,
        required=False,
        empty_label="The whole service",
        help_text="Only this team's people are asked",
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class AddressesForm(forms.Form):
    """Addresses typed in, one a line; for the parents' survey each with the family's
    reference first ("F1234, name@example.com"), so their answers are kept with the family."""

    addresses = forms.CharField(
        label="Email addresses",
        widget=forms.Textarea,
        help_text="One a line. For parents, the family reference first: F1234, name@example.com",
        error_messages={"required": "Enter at least one email address"},
    )

    def __init__(self, *args, wave, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.wave = wave
        self.user = user

    def clean_addresses(self) -> list[tuple[str, Family | None]]:
        for_parents = self.wave.instrument.audience == Instrument.Audience.PARENTS
        lines = [line for line in self.cleaned_data["addresses"].splitlines() if line.strip()]
        parsed, problems = [], []
        for number, line in enumerate(lines, start=1):
            match = ADDRESS_LINE.match(line)
            email = match["email"] if match else ""
            try:
                forms.EmailField().clean(email)
            except forms.ValidationError:
                problems.append(f"Line {number} is not an email address")
                continue
            family = None
            if for_parents:
                family = self._family(match["reference"])
                if family is None:
                    problems.append(
                        f"Line {number}: start with the reference of a family you can see that "
                        "has a child on a child in need or child protection plan"
                    )
                    continue
            parsed.append((email, family))
        if problems:
            raise forms.ValidationError(problems)
        return parsed

    def _family(self, reference: str | None) -> Family | None:
        """Only a family the user may see, with a child on a CIN or CP plan now."""
        if not reference:
            return None
        return (
            Family.objects.visible_to(self.user)
            .filter(
                reference__iexact=reference,
                child_statuses__kind__in=[ChildStatus.Kind.CIN_PLAN, ChildStatus.Kind.CP_PLAN],
                child_statuses__end__isnull=True,
            )
            .distinct()
            .first()
        )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", "Publish"), ("withhold", "Withhold")],
        error_messages={"required": "Choose publish or withhold"},
    )
