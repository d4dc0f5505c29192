"""Forms for families. They check the shape of what was typed; the rules that span rows (a
worker in the pod, statuses that do not overlap, plans open at closure) are in services.py and
come back as errors on the named field."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from config.govuk_forms import GovukDateField
from families.continuum import levels
from families.models import (
    ChildStatus,
    Episode,
    FamilyGrant,
    FamilyMember,
    Person,
    Professional,
    Referral,
)
from families.models.codes import (
    CARE_NEEDS,
    CareEnded,
    CareLegalStatus,
    Disability,
    Ethnicity,
    PreviousPermanence,
    PrimaryNeed,
    UPNUnknown,
    WorkerChangeReason,
)
from families.permissions import CASE_HOLDER_ROLES
from pods.models import Team, TeamMembership, Worker, current_on


def _not_in_future(day: datetime.date | None, message: str) -> None:
    if day and day > timezone.localdate():
        raise forms.ValidationError(message)


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


def _blank(choices, label: str = "Not known yet") -> list:
    return [("", label), *choices]


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
        _not_in_future(received, "The date the referral was received must be today or in the past")
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
        _not_in_future(born, "Child's date of birth must be today or in the past")
        return born

    def clean(self):
        data = super().clean()
        if data.get("adult_first_name") and not data.get("adult_relationship"):
            self.add_error("adult_relationship", "Choose their relationship to the child")
        return data


class PersonDetailsForm(forms.Form):
    """A person's names and, for a child, what the statutory returns need to know, each asked
    in plain words with the DfE's code behind the choice. Only the names are required: what is
    not known yet is shown on the family page until it is."""

    first_name = forms.CharField(
        label="First name", error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", error_messages={"required": "Enter their last name"}
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2015"
    )
    expected_date_of_birth = GovukDateField(
        label="Expected date of birth",
        required=False,
        help_text="For an unborn child only: the date the baby is due",
    )
    gender = forms.ChoiceField(
        label="Sex",
        choices=Person.Gender.choices,
        initial=Person.Gender.NOT_KNOWN,
        error_messages={"invalid_choice": "Choose their sex from the list"},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        required=False,
        choices=_blank(Ethnicity.choices),
        help_text="As the child or their family describe it",
        error_messages={"invalid_choice": "Choose an ethnicity from the list"},
    )
    first_language = forms.CharField(label="First language", max_length=100, required=False)
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        required=False,
        max_length=20,
        help_text="13 characters, from the child's school, for example Q846120012345",
    )
    upn_unknown = forms.ChoiceField(
        label="If there is no UPN, why not",
        required=False,
        choices=_blank(UPNUnknown.choices, "The child has a UPN, or it is not known why not"),
        error_messages={"invalid_choice": "Choose why there is no UPN from the list"},
    )
    former_upn = forms.CharField(
        label="Former UPN",
        required=False,
        max_length=20,
        help_text="Only if the child had a different UPN before, for example before adoption",
    )
    disabilities = forms.MultipleChoiceField(
        label="Disabilities",
        required=False,
        choices=Disability.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose No disability, or each that applies. Leave empty if not known yet",
        error_messages={"invalid_choice": "Choose disabilities from the list"},
    )
    date_of_death = GovukDateField(label="Date of death", required=False)
    own_child_born = GovukDateField(
        label="Her own child's date of birth",
        required=False,
        help_text="For a girl or young woman who is a mother: her first child's date of birth",
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        _not_in_future(born, "Date of birth must be today or in the past")
        return born

    def details(self) -> dict:
        """What the person services take, as keyword arguments."""
        return {name: self.cleaned_data[name] for name in self.declared_fields
                if name not in ("relationship", "lives_in_household")}  # fmt: skip


class PersonForm(PersonDetailsForm):
    """A new person in the family: their relationship first, then their details."""

    field_order = ["relationship", "lives_in_household", "first_name", "last_name"]

    relationship = forms.ChoiceField(
        label="Relationship",
        choices=FamilyMember.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their relationship in the family"},
    )
    lives_in_household = forms.BooleanField(
        label="Lives in the household", required=False, initial=True
    )


class PersonEditForm(PersonDetailsForm):
    """A person's details and identifiers, filled with what is recorded. Her own child's date
    of birth is asked only of a girl or young woman who is a child in the family."""

    def __init__(self, *args, person: Person, relationship: str, **kwargs):
        initial = {name: getattr(person, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)
        if relationship != FamilyMember.Relationship.CHILD or (
            person.gender != Person.Gender.FEMALE and not person.own_child_born
        ):
            del self.fields["own_child_born"]

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class ProfessionalForm(forms.ModelForm):
    class Meta:
        model = Professional
        fields = ["name", "agency", "role", "phone", "email"]
        error_messages = {
            "name": {"required": "Enter the professional's name"},
            "agency": {"required": "Enter their agency or service"},
        }


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


CP_CATEGORIES = ChildStatus.CPCategory.choices
PERMANENCE_COUNCIL_HINT = (
    "The DfE's three-digit number of the council that made it (999 if not known), or WAL, SCO, "
    "NIR or NUK for Wales, Scotland, Northern Ireland or elsewhere"
)


def _previous_permanence_fields() -> dict:
    return {
        "previous_permanence": forms.ChoiceField(
            label="Did the child have a permanence order before this care began?",
            required=False,
            choices=_blank(PreviousPermanence.choices, "Not asked yet"),
            help_text="Only when a new period of care begins",
            error_messages={"invalid_choice": "Choose the kind of order from the list"},
        ),
        "previous_permanence_council": forms.CharField(
            label="Council that made the order",
            required=False,
            max_length=3,
            help_text=PERMANENCE_COUNCIL_HINT,
        ),
        "previous_permanence_date": GovukDateField(label="Date of that order", required=False),
    }


class StatusStartForm(forms.Form):
    """A plan or status starting. A child protection plan asks what the initial conference
    decided; a period of care asks what the SSDA903 return will need of its start."""

    person = forms.ModelChoiceField(
        label="Child",
        queryset=Person.objects.none(),
        empty_label="Choose a child",
        error_messages={
            "required": "Choose the child",
            "invalid_choice": "Choose a child in this family",
        },
    )
    kind = forms.ChoiceField(
        label="Status",
        choices=ChildStatus.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the plan or status"},
    )
    start = GovukDateField(label="Start date")
    cp_category = forms.ChoiceField(
        label="Child protection plan: category at the initial conference",
        required=False,
        choices=[("", "Not a child protection plan")] + CP_CATEGORIES,
        error_messages={"invalid_choice": "Choose a category from the list"},
    )
    previous_cp_plans = forms.IntegerField(
        label="Child protection plan: how many plans the child had before this one",
        required=False,
        min_value=0,
        max_value=99,
        error_messages={
            "invalid": "Enter the number of previous plans as a number, such as 0",
            "min_value": "The number of previous plans cannot be less than 0",
            "max_value": "Enter the number of previous plans as a number below 100",
        },
    )
    legal_status = forms.ChoiceField(
        label="Looked after: legal status",
        required=False,
        choices=[("", "Not looked after")] + CareLegalStatus.choices,
        error_messages={"invalid_choice": "Choose a legal status from the list"},
    )
    care_need = forms.ChoiceField(
        label="Looked after: category of need",
        required=False,
        choices=_blank(CARE_NEEDS),
        help_text="The main reason the child is looked after",
        error_messages={"invalid_choice": "Choose a category of need from the list"},
    )
    uasc = forms.BooleanField(label="Unaccompanied asylum-seeking child", required=False)

    def __init__(self, *args, family, primary_need: str = "", earlier_plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_previous_permanence_fields())
        children = Person.objects.filter(
            memberships__family=family, memberships__relationship=FamilyMember.Relationship.CHILD
        )
        self.fields["person"].queryset = children
        if primary_need in dict(CARE_NEEDS):
            self.fields["care_need"].initial = primary_need
        # Pre-filled with the plans Pods holds: one child's number, or each child's in the hint.
        earlier_plans = earlier_plans or {}
        if len(earlier_plans) == 1:
            self.fields["previous_cp_plans"].initial = next(iter(earlier_plans.values()))
        self.fields["previous_cp_plans"].help_text = (
            "Anywhere, not only here. Leave empty for the number recorded here"
            + "".join(f"; {name}: {count}" for name, count in earlier_plans.items())
        )


class EndDateForm(forms.Form):
    end = GovukDateField(label="End date")


class CareEndForm(EndDateForm):
    """Ending a looked-after status: either care ends, and why, or only the legal status
    changes and care carries on under the new one from the next day."""

    care_ended = forms.ChoiceField(
        label="Why is this ending?",
        required=False,
        help_text="If you do not know yet why care ended, leave this: the family page will "
        "show it is still needed",
        choices=[
            ("legal_status_changed", "The legal status changed: care carries on"),
            *CareEnded.choices,
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose why care is ending from the list"},
    )
    next_legal_status = forms.ChoiceField(
        label="The new legal status, from the next day",
        required=False,
        choices=_blank(CareLegalStatus.choices, "Care has ended"),
        help_text="Only when the legal status changed",
        error_messages={"invalid_choice": "Choose a legal status from the list"},
    )

    def clean(self):
        data = super().clean()
        changed = data.get("care_ended") == "legal_status_changed"
        if changed and not data.get("next_legal_status"):
            self.add_error("next_legal_status", "Choose the new legal status")
        elif not changed and data.get("next_legal_status"):
            self.add_error(
                "next_legal_status",
                "Leave the new legal status empty when care ends, or choose that it changed",
            )
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        changed = data.get("care_ended") == "legal_status_changed"
        return {
            "end": data["end"],
            "care_ended": "" if changed else data["care_ended"],
            "next_legal_status": data["next_legal_status"] if changed else "",
        }


class StatusEditForm(forms.Form):
    """Complete or correct a status: a child protection plan's categories (the latest changes
    at a review conference) and previous plans; a period of care's facts. Filled with what is
    recorded; each kind shows only its own questions."""

    def __init__(self, *args, status: ChildStatus, **kwargs):
        super().__init__(*args, **kwargs)
        if status.kind == ChildStatus.Kind.CP_PLAN:
            self.fields["initial_cp_category"] = forms.ChoiceField(
                label="Category at the initial conference",
                required=False,
                choices=_blank(CP_CATEGORIES),
            )
            self.fields["cp_category"] = forms.ChoiceField(
                label="Latest category",
                required=False,
                choices=_blank(CP_CATEGORIES),
                help_text="Changed when a review conference changes the category",
            )
            self.fields["previous_cp_plans"] = forms.IntegerField(
                label="How many plans the child had before this one",
                required=False,
                min_value=0,
                max_value=99,
                help_text="Anywhere, not only here",
                error_messages={"invalid": "Enter the number of previous plans as a number"},
            )
        elif status.kind == ChildStatus.Kind.LOOKED_AFTER:
            self.fields["legal_status"] = forms.ChoiceField(
                label="Legal status",
                required=False,
                choices=_blank(CareLegalStatus.choices),
                help_text="To correct a mistake. When the legal status changes, end this "
                "status and choose that the legal status changed",
            )
            self.fields["care_need"] = forms.ChoiceField(
                label="Category of need", required=False, choices=_blank(CARE_NEEDS)
            )
            self.fields["uasc"] = forms.BooleanField(
                label="Unaccompanied asylum-seeking child", required=False
            )
            self.fields.update(_previous_permanence_fields())
            if status.end is not None:
                self.fields["care_ended"] = forms.ChoiceField(
                    label="Why care ended",
                    required=False,
                    choices=_blank(CareEnded.choices, "Care carried on under a new legal status"),
                )
        for name, field in self.fields.items():
            field.initial = getattr(status, name)
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = (
                    f"Choose the {field.label.lower()} from the list"
                )


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
        choices=_blank(PrimaryNeed.choices, "Not decided yet"),
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


class NeedAssessmentForm(forms.Form):
    """The threshold guidance as a form: tick what you see, and the level it suggests is shown
    before you save. The worker decides the level."""

    child = forms.ModelChoiceField(
        label="Child",
        queryset=Person.objects.none(),
        required=False,
        empty_label="The whole family",
    )
    date = GovukDateField(label="Date of the assessment")
    indicators = forms.MultipleChoiceField(
        label="Indicators",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose indicators from the continuum of need"},
    )
    level = forms.TypedChoiceField(
        label="Level of need",
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        choices=[(level.number, f"Level {level.number}: {level.name}") for level in levels()],
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Person.objects.filter(
            memberships__family=family, memberships__relationship=FamilyMember.Relationship.CHILD
        )
        self.fields["indicators"].choices = [
            (indicator.id, indicator.text)
            for level in levels()
            for area in level.areas.values()
            for indicator in area
        ]


class GrantForm(forms.Form):
    worker = forms.ModelChoiceField(
        label="Who needs to see this family",
        queryset=Worker.objects.none(),
        empty_label="Choose a worker",
        error_messages={"required": "Choose who needs access"},
    )
    kind = forms.ChoiceField(
        label="Why",
        widget=forms.RadioSelect,
        choices=[c for c in FamilyGrant.Kind.choices if c[0] != FamilyGrant.Kind.BREAK_GLASS],
        error_messages={"required": "Choose why they need access"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        required=False,
        help_text="Recorded with the access, and shown to the family's worker and pod manager",
    )
    expires = GovukDateField(label="Access ends at the end of", required=False)

    def __init__(self, *args, as_of: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = (
            Worker.objects.employed_on(as_of).select_related("user").order_by("user__last_name")
        )


class RestrictForm(forms.Form):
    reason = forms.CharField(
        label="Why is this record restricted?", widget=forms.Textarea, required=False
    )
    review_date = GovukDateField(label="Review the restriction on", required=False)
    named = forms.ModelMultipleChoiceField(
        label="Who may see it",
        queryset=Worker.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only these workers, and you, will see the family",
    )

    def __init__(self, *args, team_members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named"].queryset = team_members


class BreakGlassForm(forms.Form):
    reference = forms.CharField(
        label="Family reference",
        help_text="For example, F000123",
        error_messages={"required": "Enter the family reference"},
    )
    reason = forms.CharField(
        label="Why do you need to open this record?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why you need to open this record"},
    )
