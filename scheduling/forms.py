"""Forms for booking, moving, cancelling and holding appointments. The rules that need the
database (deadlines, clashes, who is in the family) are in scheduling/services.py."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from config.govuk_forms import GovukDateField
from families.models import FamilyMember
from families.models.codes import ReviewParticipation
from pods.models import Worker
from scheduling.models import Appointment

REASON_LIMIT = 500


def _time_field(label: str, **kwargs) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(format="%H:%M"),
        help_text="For example 14:30",
        error_messages={
            "required": f"Enter the time it {label.split()[0].lower()}",
            "invalid": "Enter a time like 14:30",
        },
        **kwargs,
    )


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class WhenForm(forms.Form):
    """A day and a start and end time, as a person types them."""

    date = GovukDateField(label="Date")
    starts = _time_field("Starts at")
    ends = _time_field("Ends at")

    def start(self) -> datetime.datetime:
        return _aware(self.cleaned_data["date"], self.cleaned_data["starts"])

    def end(self) -> datetime.datetime:
        return _aware(self.cleaned_data["date"], self.cleaned_data["ends"])


class AppointmentForm(WhenForm):
    kind = forms.ChoiceField(
        label="What is it?", error_messages={"required": "Choose what kind of appointment it is"}
    )
    place = forms.CharField(
        label="Where", max_length=300, required=False, help_text="An address, room or 'by video'"
    )
    worker = forms.ModelChoiceField(
        label="Who goes for the service",
        queryset=Worker.objects.none(),
        empty_label="Choose a worker",
        error_messages={"required": "Choose who will go"},
    )
    chair = forms.ModelChoiceField(
        label="Chair",
        queryset=Worker.objects.none(),
        required=False,
        empty_label="No chair",
        help_text="A reviewing officer chairs conferences and child in care reviews",
    )
    children = forms.ModelMultipleChoiceField(
        label="Which children it is about",
        queryset=FamilyMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.ModelMultipleChoiceField(
        label="Invite from the family",
        queryset=FamilyMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    professionals = forms.ModelMultipleChoiceField(
        label="Invite professionals",
        queryset=FamilyMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="Notes for those attending", widget=forms.Textarea, required=False, max_length=2000
    )
    late_reason = forms.CharField(
        label="Why it cannot be held in time",
        required=False,
        max_length=REASON_LIMIT,
        help_text="Only needed when the meeting is booked after its deadline",
    )
    book_anyway = forms.BooleanField(
        label="Book it anyway",
        required=False,
        help_text="Someone going is away or already booked then: tick to book regardless",
    )

    field_order = [
        "kind",
        "date",
        "starts",
        "ends",
        "place",
        "worker",
        "chair",
        "children",
        "members",
        "professionals",
        "notes",
        "late_reason",
        "book_anyway",
    ]

    def __init__(self, *args, family, workers, chairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        kinds = [
            (value, label)
            for value, label in Appointment.Kind.choices
            if (value in Appointment.NON_FAMILY_KINDS) == (family is None)
        ]
        self.fields["kind"].choices = [("", "Choose")] + kinds
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = _worker_label
        self.fields["chair"].queryset = chairs
        self.fields["chair"].label_from_instance = _worker_label
        if family is None:
            for name in ("children", "members", "professionals", "late_reason", "chair"):
                del self.fields[name]
            return
        people = FamilyMember.objects.filter(family=family).select_related("person")
        self.fields["children"].queryset = people.filter(
            relationship=FamilyMember.Relationship.CHILD
        )
        self.fields["children"].label_from_instance = lambda m: m.person.full_name
        self.fields["members"].queryset = people.exclude(
            relationship=FamilyMember.Relationship.CHILD
        )
        self.fields["members"].label_from_instance = lambda m: (
            f"{m.person.full_name} ({m.get_relationship_display().lower()})"
        )
        self.fields["professionals"].queryset = family.professionals.all()
        self.fields["professionals"].label_from_instance = lambda p: (
            f"{p.name}, {p.agency}" + ("" if p.email else " (no email address)")
        )

    def booking(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        booking = {
            "kind": data["kind"],
            "start": self.start(),
            "end": self.end(),
            "place": data["place"],
            "worker": data["worker"],
            "notes": data["notes"],
            "allow_clashes": data["book_anyway"],
        }
        if self.family is not None:
            booking.update(
                family=self.family,
                chair=data["chair"],
                children=[member.person for member in data["children"]],
                members=list(data["members"]),
                professionals=list(data["professionals"]),
                late_reason=data["late_reason"],
            )
        return booking


def _worker_label(worker: Worker) -> str:
    return f"{worker.user.get_full_name()} ({worker.get_role_display().lower()})"


class MoveForm(WhenForm):
    reason = forms.CharField(
        label="Why is it moving?",
        max_length=REASON_LIMIT,
        error_messages={"required": "Say why the appointment is moved"},
    )
    late_reason = forms.CharField(
        label="Why it cannot be held in time",
        required=False,
        max_length=REASON_LIMIT,
        help_text="Only needed when the new date is after the meeting's deadline",
    )
    book_anyway = forms.BooleanField(
        label="Move it anyway",
        required=False,
        help_text="Someone going is away or already booked then: tick to move regardless",
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=REASON_LIMIT,
        error_messages={"required": "Say why the appointment is cancelled"},
    )


class HeldForm(forms.Form):
    """What a held statutory meeting needs beyond its write-up: why it was late, what a
    strategy discussion decided, and how each child a child in care review is about took
    part."""

    late_reason = forms.CharField(
        label="Why it was held late", required=False, max_length=REASON_LIMIT
    )
    outcome = forms.ChoiceField(
        label="What did the strategy discussion decide?",
        choices=Appointment.Outcome.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, appointment: Appointment, **kwargs):
        super().__init__(*args, **kwargs)
        if appointment.kind != Appointment.Kind.STRATEGY_DISCUSSION:
            del self.fields["outcome"]
        if not appointment.is_late:
            del self.fields["late_reason"]
        self.reviewed = []
        if appointment.kind == Appointment.Kind.CIC_REVIEW:
            self.reviewed = list(appointment.children.order_by("pk"))
        for child in self.reviewed:
            self.fields[f"participation_{child.pk}"] = forms.ChoiceField(
                label=f"How did {child.first_name} take part?",
                choices=ReviewParticipation.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose how {child.first_name} took part in the review",
                    "invalid_choice": f"Choose how {child.first_name} took part from the list",
                },
            )

    def participation(self) -> dict[int, str] | None:
        """Each reviewed child's pk and how they took part, for the service (None when the
        meeting is not a child in care review)."""
        if not self.reviewed:
            return None
        return {child.pk: self.cleaned_data[f"participation_{child.pk}"] for child in self.reviewed}
