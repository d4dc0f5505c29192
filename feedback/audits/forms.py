"""The audit screens' forms. The rules that need the database or span fields (an auditor who
is the family's worker, every area graded before submitting, an action's due date) are in
feedback/audits/services.py; these check only what each box may hold."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from config.govuk_forms import GovukDateField
from feedback.audits import services
from feedback.models.audits import AREAS, Grade
from onestory.models import TEXT_LIMIT
from pods.models import Worker

ACTION_ROWS = 3
TEXT_TOO_LONG = "{label} must be {limit} characters or fewer"


def _grade_field(label: str, area: str, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=Grade.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": services.GRADE_OFF_SCALE.format(area=area)},
        **kwargs,
    )


def _text_field(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea,
        required=False,
        max_length=TEXT_LIMIT,
        error_messages={"max_length": TEXT_TOO_LONG.format(label=label, limit=TEXT_LIMIT)},
        **kwargs,
    )


class DrawForm(forms.Form):
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=[(q, f"Q{q}") for q in range(1, 5)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the quarter", "invalid_choice": "Choose Q1 to Q4"},
        help_text="Financial quarters: Q1 is April to June",
    )
    year = forms.IntegerField(
        label="Financial year it starts",
        min_value=2000,
        max_value=2100,
        help_text="For example 2026 for April 2026 to March 2027",
        error_messages={
            "required": "Enter the financial year",
            "invalid": "Enter the year in numbers, like 2026",
            "min_value": "Enter a year from 2000",
            "max_value": "Enter a year before 2100",
        },
    )
    per_pod = forms.IntegerField(
        label="Families per pod",
        initial=4,
        error_messages={
            "required": "Enter how many families to audit in each pod",
            "invalid": services.PER_POD_RANGE,
        },
    )


class AssignForm(forms.Form):
    auditor = forms.ModelChoiceField(
        label="Auditor",
        queryset=Worker.objects.none(),
        empty_label="Choose a practitioner",
        help_text="A practitioner who does not work with the family",
        error_messages={
            "required": "Choose who will audit the record",
            "invalid_choice": "Choose a practitioner from the list",
        },
    )
    self_audit = forms.BooleanField(
        label="This is a self-audit",
        required=False,
        help_text="The family's own worker audits their case with their pod manager, to learn",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = (
            Worker.objects.employed_on(timezone.localdate())
            .filter(role__in=services.AUDITOR_ROLES)
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "pk")
        )
        self.fields["auditor"].label_from_instance = lambda worker: (
            f"{worker.name} ({worker.get_role_display()})"
        )


class AuditForm(forms.Form):
    """Six areas graded with a comment each, the overall grade, findings, learning and up to
    ``ACTION_ROWS`` actions for the worker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area in AREAS:
            self.fields[f"grade_{area.value}"] = _grade_field(
                f"{area.label}: grade", area.label.lower()
            )
            self.fields[f"comment_{area.value}"] = _text_field(f"{area.label}: why")
        self.fields["overall"] = _grade_field("Overall grade", "the whole record")
        self.fields["overall"].error_messages["invalid_choice"] = services.OVERALL_OFF_SCALE
        self.fields["findings"] = _text_field("What the audit found")
        self.fields["learning"] = _text_field(
            "What the worker and the pod can learn",
            help_text="Social workers audit their own work in order to learn",
        )
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}_text"] = forms.CharField(
                label=f"Action {n} for the worker",
                required=False,
                max_length=500,
                error_messages={"max_length": f"Action {n} must be 500 characters or fewer"},
            )
            self.fields[f"action_{n}_due"] = GovukDateField(
                label=f"Action {n} due by", required=False
            )

    def areas(self):
        """Each area's label with its grade and comment fields, for the template."""
        return [
            (area.label, self[f"grade_{area.value}"], self[f"comment_{area.value}"])
            for area in AREAS
        ]

    def actions(self):
        return [
            (self[f"action_{n}_text"], self[f"action_{n}_due"]) for n in range(1, ACTION_ROWS + 1)
        ]

    def area_grades(self) -> list[services.AreaGrade]:
        data = self.cleaned_data
        return [
            services.AreaGrade(
                area=area.value,
                grade=data.get(f"grade_{area.value}"),
                comment=data.get(f"comment_{area.value}", ""),
            )
            for area in AREAS
        ]

    def action_drafts(self) -> list[services.ActionDraft]:
        data = self.cleaned_data
        return [
            services.ActionDraft(
                text=data.get(f"action_{n}_text", ""), due=data.get(f"action_{n}_due")
            )
            for n in range(1, ACTION_ROWS + 1)
        ]


class ModerateForm(forms.Form):
    grade = forms.TypedChoiceField(
        label="Overall grade after moderation",
        choices=Grade.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="Leave the auditor's grade chosen to agree with it",
        error_messages={
            "required": "Choose the overall grade",
            "invalid_choice": services.OVERALL_OFF_SCALE,
        },
    )
    note = _text_field("Moderation note", help_text="Needed when you change the grade: say why")
