"""Forms for the One Story record. Text fields carry the same generous cap as the models and
say so; the rules that need the database (children in the family, versions) are in services."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from config.govuk_forms import GovukDateField
from families.models.codes import AssessmentFactor, PrimaryNeed
from onestory.models import TEXT_LIMIT, CaseSummary, Challenge, Entry

LIMIT_HINT = f"Up to {TEXT_LIMIT:,} characters"


def story_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        help_text=help_text or LIMIT_HINT,
        error_messages={
            "max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer: "
            "shorten it, or attach long documents to the record instead"
        },
    )


class SummaryForm(forms.Form):
    """The seven sections of the summary, and the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CaseSummary.SECTIONS:
            label = CaseSummary._meta.get_field(name).verbose_name
            self.fields[name] = story_field(label[0].upper() + label[1:])

    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in CaseSummary.SECTIONS}


class EntryForm(forms.Form):
    """Record a visit (or any entry) in one form: the day defaults to today and the family's
    children are listed ready to tick."""

    kind = forms.ChoiceField(
        label="What was it?",
        choices=[c for c in Entry.Kind.choices if c[0] != Entry.Kind.SUPERVISION_DECISION],
        widget=forms.RadioSelect,
        initial=Entry.Kind.HOME_VISIT,
        error_messages={"required": "Choose what kind of recording this is"},
    )
    date = GovukDateField(label="Date")
    time = forms.TimeField(
        label="Time",
        required=False,
        help_text="Optional, for example 14:30",
        widget=forms.TimeInput(format="%H:%M"),
        error_messages={"invalid": "Enter a time like 14:30"},
    )
    what_happened = story_field("What happened")
    childs_voice = story_field(
        "The child's voice", "What the children said and showed, in their words"
    )
    analysis = story_field("Analysis and reflection")
    next_steps = story_field("Next steps")
    significant = forms.BooleanField(
        label="This is a significant event",
        required=False,
        help_text="Significant events are shown first to anyone reading the chronology",
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = children
        for child in children:
            for part in ("seen", "alone", "bedroom"):
                self.fields[f"child_{child.pk}_{part}"] = forms.BooleanField(required=False)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return day

    def clean(self):
        data = super().clean()
        if data.get("kind") and not any(data.get(name) for name in Entry.TEXTS):
            self.add_error("what_happened", "Enter what happened")
        return data

    def occurred(self) -> datetime.datetime:
        moment = self.cleaned_data.get("time") or datetime.time(12, 0)
        when = timezone.make_aware(datetime.datetime.combine(self.cleaned_data["date"], moment))
        return (
            min(when, timezone.now()) if self.cleaned_data["date"] == timezone.localdate() else when
        )

    def child_rows(self):
        """For the template: each child with their three boxes."""
        return [
            (
                child,
                self[f"child_{child.pk}_seen"],
                self[f"child_{child.pk}_alone"],
                self[f"child_{child.pk}_bedroom"],
            )
            for child in self.children
        ]

    def children_seen(self):
        from onestory.services import ChildSeenDetails

        data = self.cleaned_data
        return [
            ChildSeenDetails(
                person=child,
                seen=data[f"child_{child.pk}_seen"],
                seen_alone=data[f"child_{child.pk}_alone"],
                bedroom_seen=data[f"child_{child.pk}_bedroom"],
            )
            for child in self.children
        ]

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in Entry.TEXTS}


class EntryCorrectionForm(EntryForm):
    """The entry's form again, filled with what it says now, and the reason for the correction."""

    reason = forms.CharField(
        label="What did you correct, and why?",
        help_text="For example: the wrong date, or a child's name misspelt. "
        "It is kept with the entry's history",
        error_messages={"required": "Say what you corrected and why"},
    )


class ChronologyFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *Entry.Kind.choices]
    )
    child = forms.TypedChoiceField(label="Child", required=False, coerce=int, empty_value=None)
    significant = forms.BooleanField(label="Significant events only", required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "All children")] + [
            (c.pk, c.full_name) for c in children
        ]


class AssessmentStartForm(forms.Form):
    started = GovukDateField(label="Start date")


class AssessmentForm(forms.Form):
    """The assessment's sections, pre-filled when it was started."""

    def __init__(self, *args, **kwargs):
        from onestory.models import Assessment

        super().__init__(*args, **kwargs)
        for name in Assessment.SECTIONS:
            label = Assessment._meta.get_field(name).verbose_name
            self.fields[name] = story_field(label[0].upper() + label[1:])


class AssessmentCompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={"required": "Choose the outcome of the assessment"},
    )
    primary_need = forms.ChoiceField(
        label="The child's primary need",
        widget=forms.RadioSelect,
        choices=PrimaryNeed.choices,
        help_text="The main reason the child needs children's social care, as the assessment "
        "found it",
        error_messages={
            "required": "Choose the child's primary need",
            "invalid_choice": "Choose the child's primary need from the list",
        },
    )
    completed = GovukDateField(label="Date completed")

    def __init__(self, *args, **kwargs):
        from onestory.models import Assessment

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = Assessment.Outcome.choices


F = AssessmentFactor
# The factors as a manager reads them, in groups; physical and sexual abuse are asked as by a
# child or by an adult (18B/18C, 19B/19C), never as the queried 18A/19A. No factors
# identified stands alone.
FACTOR_GROUPS = [
    ("Alcohol misuse", [F.ALCOHOL_CHILD, F.ALCOHOL_PARENT, F.ALCOHOL_OTHER]),
    ("Drug misuse", [F.DRUGS_CHILD, F.DRUGS_PARENT, F.DRUGS_OTHER]),
    (
        "Domestic abuse",
        [F.DOMESTIC_ABUSE_CHILD, F.DOMESTIC_ABUSE_PARENT, F.DOMESTIC_ABUSE_OTHER],
    ),
    ("Mental health", [F.MENTAL_HEALTH_CHILD, F.MENTAL_HEALTH_PARENT, F.MENTAL_HEALTH_OTHER]),
    (
        "Learning disability",
        [F.LEARNING_DISABILITY_CHILD, F.LEARNING_DISABILITY_PARENT, F.LEARNING_DISABILITY_OTHER],
    ),
    (
        "Physical disability or illness",
        [F.PHYSICAL_DISABILITY_CHILD, F.PHYSICAL_DISABILITY_PARENT, F.PHYSICAL_DISABILITY_OTHER],
    ),
    (
        "Abuse and neglect",
        [
            F.NEGLECT,
            F.EMOTIONAL_ABUSE,
            F.PHYSICAL_ABUSE_BY_CHILD,
            F.PHYSICAL_ABUSE_BY_ADULT,
            F.SEXUAL_ABUSE_BY_CHILD,
            F.SEXUAL_ABUSE_BY_ADULT,
            F.FGM,
            F.FAITH_OR_BELIEF,
        ],
    ),
    (
        "Risks outside the home",
        [
            F.MISSING,
            F.SEXUAL_EXPLOITATION,
            F.CRIMINAL_EXPLOITATION,
            F.TRAFFICKING,
            F.GANGS,
            F.SOCIALLY_UNACCEPTABLE_BEHAVIOUR,
            F.SELF_HARM,
        ],
    ),
    ("The child's circumstances", [F.YOUNG_CARER, F.UNACCOMPANIED]),
    (
        "Private fostering",
        [
            F.PRIVATE_FOSTERING_OVERSEAS_RETURN,
            F.PRIVATE_FOSTERING_OVERSEAS_STAY,
            F.PRIVATE_FOSTERING_EDUCATION,
            F.PRIVATE_FOSTERING_ARRANGEMENT,
            F.PRIVATE_FOSTERING_OTHER,
        ],
    ),
    ("Other", [F.OTHER, F.NONE]),
]


class AssessmentSignOffForm(forms.Form):
    """Authorising the assessment records the factors it identified, grouped as above."""

    factors = forms.MultipleChoiceField(
        label="Factors identified at assessment",
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (group, [(code.value, code.label) for code in codes]) for group, codes in FACTOR_GROUPS
        ],
        help_text="Select all that apply, or No factors identified",
        error_messages={
            "required": "Choose the factors identified, or No factors identified",
            "invalid_choice": "Choose the factors from the list",
        },
    )

    def groups(self):
        """Each group's title and its checkboxes (value, label, checked), for the template."""
        chosen = set(self["factors"].value() or [])
        return [
            (group, [(code.value, code.label, code.value in chosen) for code in codes])
            for group, codes in FACTOR_GROUPS
        ]


class PlanForm(forms.Form):
    child = forms.ModelChoiceField(
        label="Child",
        queryset=None,
        empty_label="Choose a child",
        error_messages={
            "required": "Choose the child",
            "invalid_choice": "Choose a child in this family",
        },
    )
    kind = forms.ChoiceField(
        label="Plan",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={"required": "Choose the kind of plan"},
    )
    start = GovukDateField(label="Start date")
    review_date = GovukDateField(label="Review date")
    goals = forms.CharField(
        label="Goals",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        help_text="One goal on each line, in words the family will understand",
        error_messages={"required": "Enter at least one goal, one on each line"},
    )

    def __init__(self, *args, children, **kwargs):
        from onestory.models import Plan

        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        self.fields["kind"].choices = Plan.Kind.choices


class PlanActionForm(forms.Form):
    goal = forms.TypedChoiceField(label="Goal", coerce=int, choices=[])
    text = forms.CharField(
        label="Action", max_length=TEXT_LIMIT, error_messages={"required": "Enter the action"}
    )
    owner = forms.CharField(
        label="Who will do it", max_length=200, error_messages={"required": "Enter who will do it"}
    )
    due = GovukDateField(label="Due by", required=False)

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(goal.pk, goal.text[:80]) for goal in goals]


class GoalProgressForm(forms.Form):
    goal = forms.TypedChoiceField(label="Goal", coerce=int, choices=[])
    rating = forms.TypedChoiceField(
        label="How far has it come?",
        coerce=int,
        choices=[(n, str(n)) for n in range(11)],
        help_text="0: no progress, 10: the goal is met",
        error_messages={"required": "Choose a rating from 0 to 10"},
    )
    note = story_field("What has changed")
    date = GovukDateField(label="Date")

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(goal.pk, goal.text[:80]) for goal in goals]


class ChallengeForm(forms.Form):
    raised_by = forms.CharField(
        label="Who raised it?", max_length=200, required=False,
        help_text="Their name, and who they are to the family",
    )  # fmt: skip
    received = GovukDateField(label="When was it raised?")
    what_is_wrong = forms.CharField(
        label="What do they say is wrong?", widget=forms.Textarea, required=False,
        help_text="In their words", max_length=TEXT_LIMIT,
    )  # fmt: skip


class ChallengeAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the record wrong?", choices=Challenge.Outcome.choices, required=False,
        widget=forms.RadioSelect,
    )  # fmt: skip
    correction = forms.CharField(
        label="The correction", widget=forms.Textarea, required=False, max_length=TEXT_LIMIT,
        help_text="What the record should say. It is shown beside the original, which stays",
    )  # fmt: skip
    answer = forms.CharField(
        label="The answer given", widget=forms.Textarea, required=False, max_length=TEXT_LIMIT,
        help_text="What was decided and why, as the person was told",
    )  # fmt: skip
    answered = GovukDateField(label="When were they told?")
