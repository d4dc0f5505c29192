"""Forms for supervision. The rules that need the database (owners in the pod, attendees in
the group, who supervises whom) are in services; these check the shape of what was typed."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from config.govuk_forms import GovukDateField
from onestory.forms import story_field
from supervision.services import DecisionDetails

DECISION_ROWS = 3


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, worker):
        return worker.name


class DiscussionForm(forms.Form):
    """One family's discussion and up to three new decisions, saved together."""

    presenting_worker = WorkerChoiceField(
        label="Presenting worker", queryset=None, required=False, empty_label="Choose a worker"
    )
    question = story_field("The question for the group")
    scaling_score = forms.IntegerField(
        label="Scaling score",
        required=False,
        min_value=0,
        max_value=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the score as a whole number from 0 to 10",
            "min_value": "Enter a score from 0 to 10",
            "max_value": "Enter a score from 0 to 10",
        },
    )
    working_well = story_field("What is working well")
    worries = story_field("What we are worried about")
    needs_to_happen = story_field("What needs to happen")
    hypotheses = story_field("Hypotheses")

    TEXTS = ("question", "working_well", "worries", "needs_to_happen", "hypotheses")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenting_worker"].queryset = members
        self.fields["scaling_score"].help_text = settings.PODS_SCALING_QUESTION
        for number in range(1, DECISION_ROWS + 1):
            self.fields[f"decision_{number}_text"] = forms.CharField(
                label="What was decided",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": "A decision must be 2,000 characters or fewer"},
            )
            self.fields[f"decision_{number}_owner"] = WorkerChoiceField(
                label="Owner",
                queryset=members,
                required=False,
                empty_label="Choose an owner",
                error_messages={"invalid_choice": "Choose an owner from the pod"},
            )
            self.fields[f"decision_{number}_due"] = forms.DateField(
                label="Due",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": "Enter the due date as a real date"},
            )

    def clean(self):
        data = super().clean()
        for number in range(1, DECISION_ROWS + 1):
            due = data.get(f"decision_{number}_due")
            if due and due < timezone.localdate() and data.get(f"decision_{number}_text"):
                self.add_error(f"decision_{number}_due", "The due date must be today or later")
        return data

    def decision_rows(self):
        """For the template: each row's three fields."""
        return [
            (number, self[f"decision_{number}_text"], self[f"decision_{number}_owner"],
             self[f"decision_{number}_due"])
            for number in range(1, DECISION_ROWS + 1)
        ]  # fmt: skip

    def decisions(self) -> list[DecisionDetails]:
        """The rows with anything in them; a half-filled row goes to the service, which names
        what it is missing."""
        rows = []
        for number in range(1, DECISION_ROWS + 1):
            text = self.cleaned_data.get(f"decision_{number}_text") or ""
            owner = self.cleaned_data.get(f"decision_{number}_owner")
            due = self.cleaned_data.get(f"decision_{number}_due")
            if text.strip() or owner or due:
                rows.append(DecisionDetails(text=text, owner=owner, due=due))
        return rows

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.TEXTS}


class AddFamilyForm(forms.Form):
    family = forms.ModelChoiceField(
        label="Add a family to the agenda",
        queryset=None,
        empty_label="Choose a family",
        error_messages={
            "required": "Choose a family to add",
            "invalid_choice": "Choose a family the pod holds",
        },
    )

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families
        self.fields["family"].label_from_instance = lambda f: f"{f.display_name} ({f.reference})"


class AttendanceForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label="Who is here",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose people in the pod"},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members
        self.fields["attendees"].label_from_instance = lambda worker: worker.name


class OneToOneForm(forms.Form):
    date = GovukDateField(label="Date of the supervision")
    practice_notes = story_field(
        "Practice and development", "Learning, training, workload and practice"
    )
    wellbeing = story_field(
        "Wellbeing and containment",
        "Seen only by the two of you and your own supervisor",
    )
    families = forms.ModelMultipleChoiceField(
        label="Families to discuss",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each family discussed gets its own discussion, with decisions, written to "
        "its chronology",
    )

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["families"].queryset = families
        self.fields["families"].label_from_instance = lambda f: f"{f.display_name} ({f.reference})"


class RPGSessionForm(forms.Form):
    date = GovukDateField(label="Date of the session")
    minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=15,
        max_value=240,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how long the session was, in minutes",
            "invalid": "Enter the length as a whole number of minutes",
            "min_value": "A session is at least 15 minutes",
            "max_value": "A session is at most 240 minutes",
        },
    )
    attendees = forms.ModelMultipleChoiceField(
        label="Who came",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose people in the group"},
    )
    themes = forms.CharField(
        label="Themes",
        required=False,
        max_length=300,
        help_text="For example: endings; working with fathers",
        error_messages={"max_length": "Themes must be 300 characters or fewer"},
    )
    notes = story_field(
        "Notes",
        "About practice, not people: no names of children, families or colleagues",
    )
    about_practice = forms.BooleanField(
        label="These notes name no child or family member",
        required=False,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people
        self.fields["attendees"].label_from_instance = lambda worker: worker.name
