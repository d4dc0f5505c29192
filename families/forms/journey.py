"""Forms of a family's journey: a referral (new or again), allocation and transfer, closing,
and what the returns need of a referral."""

from __future__ import annotations

import datetime

from django import forms

from config.govuk_forms import GovukDateField
from families.forms.common import not_in_future, with_blank
from families.models import (
    Episode,
    FamilyMember,
    Person,
    Referral,
)
from families.models.codes import (
    PrimaryNeed,
    WorkerChangeReason,
)
from families.permissions import CASE_HOLDER_ROLES
from pods.models import Team, TeamMembership, Worker, current_on

_SOURCE_GROUPS = [
    ("People", ["family", "acquaintance", "self", "individual_other", "anonymous"]),
    ("Schools and education", ["school", "education_services"]),
    ("Health", ["gp", "health_visitor", "school_nurse", "primary_health", "emergency", "health"]),
    ("The council and other councils", ["social_care", "early_help", "local_authority",
                                        "other_authority", "housing"]),
    ("Police and the law", ["police", "legal_agency"]),
    ("Other", ["other", "unknown"]),
]  # fmt: skip


def referral_source_choices() -> list:
    """Who referred, grouped as a front door worker thinks of them: each is one DfE source."""
    labels = dict(Referral.Source.choices)
    grouped = [(group, [(v, labels[v]) for v in values]) for group, values in _SOURCE_GROUPS]
    return [("", "Choose who made the referral"), *grouped]


class ReferralDetailsForm(forms.Form):
    """What every referral records: when, from whom, and the worry in the referrer's words."""

    received = GovukDateField(label="Date the referral was received")
    source = forms.ChoiceField(
        label="Who made the referral",
        choices=referral_source_choices,
        error_messages={
            "required": "Choose who made the referral",
            "invalid_choice": "Choose who made the referral from the list",
        },
    )
    reason = forms.CharField(
        label="What are they worried about?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the referrer is worried about"},
    )

    def clean_received(self):
        received = self.cleaned_data["received"]
        not_in_future(received, "The date the referral was received must be today or in the past")
        return received


class ReferralForm(ReferralDetailsForm):
    """A new family: who they are, the referral, and the child it is about (more people are
    added on the family's page)."""

    field_order = ["display_name", "address", "postcode", "received", "source", "reason"]

    display_name = forms.CharField(
        label="Family name",
        max_length=200,
        help_text="How the family is known, for example The Okafor family",
        error_messages={"required": "Enter the family name"},
    )
    address = forms.CharField(label="Address", widget=forms.Textarea, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    child_first_name = forms.CharField(
        label="Child's first name", error_messages={"required": "Enter the child's first name"}
    )
    child_last_name = forms.CharField(
        label="Child's last name", error_messages={"required": "Enter the child's last name"}
    )
    child_date_of_birth = GovukDateField(
        label="Child's date of birth", required=False, help_text="Leave empty if not known"
    )
    child_gender = forms.ChoiceField(
        label="Child's gender", choices=Person.Gender.choices, initial=Person.Gender.NOT_KNOWN
    )
    adult_first_name = forms.CharField(label="Parent or carer's first name", required=False)
    adult_last_name = forms.CharField(label="Parent or carer's last name", required=False)
    adult_relationship = forms.ChoiceField(
        label="Their relationship to the child",
        required=False,
        choices=[("", "Choose")]
        + [c for c in FamilyMember.Relationship.choices if c[0] != "child"],
    )

    def clean_child_date_of_birth(self):
        born = self.cleaned_data["child_date_of_birth"]
        not_in_future(born, "Child's date of birth must be today or in the past")
        return born

    def clean(self):
        data = super().clean()
        if data.get("adult_first_name") and not data.get("adult_relationship"):
            self.add_error("adult_relationship", "Choose their relationship to the child")
        return data


def case_holders(as_of: datetime.date):
    """Workers who can hold a family, with the pod they are in today: choices grouped by pod."""
    memberships = (
        TeamMembership.objects.current_on(as_of)
        .filter(team__kind=Team.Kind.POD, worker__role__in=CASE_HOLDER_ROLES)
        .filter(current_on(as_of, "worker__start_date", "worker__leave_date"))
        .select_related("team", "worker__user")
        .order_by("team__name", "worker__user__last_name")
    )
    groups: dict[str, list] = {}
    for membership in memberships:
        label = f"{membership.worker.name} ({membership.worker.get_role_display().lower()})"
        groups.setdefault(membership.team.name, []).append(
            (f"{membership.team_id}:{membership.worker_id}", label)
        )
    return list(groups.items())


class AllocateForm(forms.Form):
    """Choose the worker (and so the pod): one select grouped by pod works without JavaScript."""

    holder = forms.ChoiceField(
        label="Social worker",
        error_messages={
            "required": "Choose a social worker",
            "invalid_choice": "Choose a social worker from the list",
        },
    )
    start = GovukDateField(label="Allocated from")
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea,
        required=False,
        help_text="Needed when the family already has a worker: kept with the family's history",
    )

    change_reason = forms.ChoiceField(
        label="Why is the social worker changing?",
        required=False,
        choices=[c for c in WorkerChangeReason.choices if c[0] != WorkerChangeReason.FIRST_CONTACT],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why the social worker is changing",
            "invalid_choice": "Choose why the social worker is changing from the list",
        },
    )

    def __init__(
        self,
        *args,
        as_of: datetime.date,
        reason_required: bool = False,
        change_of_worker: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["holder"].choices = [("", "Choose a social worker")] + case_holders(as_of)
        if reason_required:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "Enter why the family is changing worker"
            )
        if change_of_worker:
            # Someone has held the family in this episode: the SSDA903 asks why it changed.
            self.fields["change_reason"].required = True
        else:
            del self.fields["change_reason"]

    def clean_holder(self):
        team_id, worker_id = self.cleaned_data["holder"].split(":")
        self.team = Team.objects.get(pk=team_id)
        self.worker = Worker.objects.select_related("user").get(pk=worker_id)
        return self.cleaned_data["holder"]


# Closing: every reason is one of the DfE's (Episode.CLOSURE_CODES), in the words of the
# person closing the case.
CLOSURE_CHOICES = [
    (Episode.ClosureReason.NO_FURTHER_ACTION, "No further action"),
    (Episode.ClosureReason.STEP_DOWN, "Stepped down to early help after an assessment"),
    (Episode.ClosureReason.NEEDS_MET, "Needs met: the plan achieved its goals"),
    (Episode.ClosureReason.MOVED_AWAY, "The family moved to another council's area"),
    (Episode.ClosureReason.ADULT_SERVICES, "Transferred to adult social care"),
    (Episode.ClosureReason.TURNED_EIGHTEEN, "The child turned 18"),
    (Episode.ClosureReason.ADOPTED, "The child was adopted"),
    (Episode.ClosureReason.PERMANENCE, "A special guardianship order was made"),
    (Episode.ClosureReason.CHILD_ARRANGEMENTS, "A child arrangements order was made"),
    (Episode.ClosureReason.DIED, "The child died"),
    (Episode.ClosureReason.OTHER, "Services ended for another reason"),
]  # fmt: skip


class CloseForm(forms.Form):
    end = GovukDateField(label="Date the episode closes")
    reason = forms.ChoiceField(
        label="Why is the family's episode closing?",
        choices=CLOSURE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why the family's episode is closing",
            "invalid_choice": "Choose why the family's episode is closing from the list",
        },
    )


class ReferralEditForm(forms.Form):
    """What the statutory returns need of a referral, put right after the front door."""

    source = ReferralDetailsForm.base_fields["source"]
    primary_need = forms.ChoiceField(
        label="The child's primary need",
        required=False,
        choices=with_blank(PrimaryNeed.choices, "Not decided yet"),
        help_text="The main reason the child needs social care, decided at assessment",
        error_messages={"invalid_choice": "Choose a primary need from the list"},
    )
    no_further_action = forms.TypedChoiceField(
        label="Did the referral lead to no further action?",
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        choices=[
            ("yes", "Yes: it closed at the front door without an assessment"),
            ("no", "No: it went on to an assessment or a worker"),
            ("", "Not decided yet"),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        nfa = {True: "yes", False: "no"}.get(referral.no_further_action, "")
        initial = {
            "source": referral.source,
            "primary_need": referral.primary_need,
            "no_further_action": nfa,
        }
        super().__init__(*args, initial=initial, **kwargs)
