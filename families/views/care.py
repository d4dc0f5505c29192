"""A looked-after child's care record: the care page (periods of care, where they live, times
missing, the year's health, contact after care, adoption) and the form for each event. Every
page goes through the family's door; the rules are in families/care.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.govuk_forms import add_service_errors, render_form
from families import care, permissions
from families.access import get_family_for_user, get_family_for_user_to_change
from families.forms_care import (
    AdoptionForm,
    HealthOutcomesForm,
    LeaverContactForm,
    MissingEndForm,
    MissingForm,
    PlacementChangeForm,
    PlacementEndForm,
    PlacementForm,
    yes_no_initial,
)
from families.models import (
    Adoption,
    CareLeaverContact,
    ChildStatus,
    Family,
    FamilyMember,
    HealthOutcomes,
    MissingEpisode,
    Person,
    Placement,
)
from families.models.codes import NO_PROVIDER_PLACEMENTS, NO_URN_PLACEMENTS

FORM_TEMPLATE = "families/care/form.html"


def _child(family: Family, person_id: int) -> Person:
    return get_object_or_404(
        Person.objects.distinct(),
        pk=person_id,
        memberships__family=family,
        memberships__relationship=FamilyMember.Relationship.CHILD,
    )


def _chosen_child(request) -> dict:
    """The child a link from the care page chose (?child=), as the form's first answer."""
    child = request.GET.get("child", "")
    return {"person": int(child)} if child.isdigit() else {}


def _form_view(request, family, form, save, *, title, person=None, submit="Save", done=""):
    """Validate, call the service, and go back to the child's care page; the service's errors
    land on the fields they name, and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("person", None) or person
        try:
            save(person=chosen, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done.format(name=chosen.first_name))
            return redirect("family_care", family_id=family.pk, person_id=chosen.pk)
    return render_form(
        request, form, title=title, family=family, submit=submit, template=FORM_TEMPLATE,
        person=person,
    )  # fmt: skip


def family_care(request, family_id: int, person_id: int):
    family = get_family_for_user(request, family_id)
    person = _child(family, person_id)
    statuses = list(
        family.child_statuses.filter(person=person, kind=ChildStatus.Kind.LOOKED_AFTER).order_by(
            "start"
        )
    )
    periods = care.periods_of_care(statuses)
    placements = list(family.placements.filter(person=person).order_by("-start"))
    context = {
        "family": family,
        "person": person,
        "today": timezone.localdate(),
        "periods": periods,
        "placements": [(p, care.placement_missing_facts(p, periods)) for p in placements],
        "missing": list(family.missing_episodes.filter(person=person).order_by("-start")),
        "outcomes": list(family.health_outcomes.filter(person=person).order_by("-year")),
        "contacts": list(family.leaver_contacts.filter(person=person).order_by("-year")),
        "adoptions": list(family.adoptions.filter(person=person).order_by("-decided")),
        "can_write": permissions.can_user_write_case(request.user, family),
        "no_provider": NO_PROVIDER_PLACEMENTS,
        "no_urn": NO_URN_PLACEMENTS,
    }
    return render(request, "families/care/child.html", context)


# --- placements ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def placement_add(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    form = PlacementForm(
        request.POST or None,
        family=family,
        initial={"start": timezone.localdate(), **_chosen_child(request)},
    )
    return _form_view(
        request,
        family,
        form,
        lambda **data: care.placement_start(family=family, **data),
        title="Record where a child lives",
        done="{name}'s placement is recorded",
    )


def _placement(family: Family, placement_id: int) -> Placement:
    return get_object_or_404(
        Placement.objects.select_related("person"), pk=placement_id, family=family
    )


@require_http_methods(["GET", "POST"])
def placement_change(request, family_id: int, placement_id: int):
    family = get_family_for_user_to_change(request, family_id)
    placement = _placement(family, placement_id)
    fields = ["place", "provider", "postcode", "urn", "start", "end", "change_reason"]
    form = PlacementChangeForm(
        request.POST or None,
        family=family,
        person=placement.person,
        initial={name: getattr(placement, name) for name in fields},
    )
    return _form_view(
        request,
        family,
        form,
        lambda person, **data: care.placement_update(placement=placement, **data),
        title=f"Change {placement.person.first_name}'s placement",
        person=placement.person,
        done="{name}'s placement is changed",
    )


@require_http_methods(["GET", "POST"])
def placement_end(request, family_id: int, placement_id: int):
    family = get_family_for_user_to_change(request, family_id)
    placement = _placement(family, placement_id)
    form = PlacementEndForm(request.POST or None, initial={"end": timezone.localdate()})
    return _form_view(
        request,
        family,
        form,
        lambda person, **data: care.placement_end(placement=placement, **data),
        title=f"End {placement.person.first_name}'s placement",
        person=placement.person,
        submit="End the placement",
        done="{name}'s placement has ended",
    )


# --- missing or away -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def missing_add(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    form = MissingForm(
        request.POST or None,
        family=family,
        initial={"start": timezone.localdate(), **_chosen_child(request)},
    )
    return _form_view(
        request,
        family,
        form,
        lambda **data: care.missing_record(family=family, **data),
        title="Record a child missing or away",
        done="{name}'s time missing or away is recorded",
    )


def _missing(family: Family, missing_id: int) -> MissingEpisode:
    return get_object_or_404(
        MissingEpisode.objects.select_related("person"), pk=missing_id, family=family
    )


@require_http_methods(["GET", "POST"])
def missing_change(request, family_id: int, missing_id: int):
    family = get_family_for_user_to_change(request, family_id)
    episode = _missing(family, missing_id)
    form = MissingForm(
        request.POST or None,
        family=family,
        person=episode.person,
        initial={"kind": episode.kind, "start": episode.start, "end": episode.end},
    )
    return _form_view(
        request,
        family,
        form,
        lambda **data: care.missing_record(family=family, episode=episode, **data),
        title=f"Change {episode.person.first_name}'s time {episode.get_kind_display().lower()}",
        person=episode.person,
        done="{name}'s time missing or away is changed",
    )


@require_http_methods(["GET", "POST"])
def missing_end(request, family_id: int, missing_id: int):
    family = get_family_for_user_to_change(request, family_id)
    episode = _missing(family, missing_id)
    form = MissingEndForm(request.POST or None, initial={"end": timezone.localdate()})
    return _form_view(
        request,
        family,
        form,
        lambda person, **data: care.missing_end(episode=episode, **data),
        title=f"{episode.person.first_name} is back",
        person=episode.person,
        done="{name} is recorded as back",
    )


# --- the year's health and offending, contact after care ------------------------------------


def _health_save(family: Family, data: dict, person: Person) -> HealthOutcomes:
    answers = {name: data.pop(name) for name in HealthOutcomesForm.ANSWERS}
    return care.health_outcomes_save(family=family, person=person, **data, **answers)


@require_http_methods(["GET", "POST"])
def health_outcomes_add(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    form = HealthOutcomesForm(request.POST or None, family=family, initial=_chosen_child(request))
    return _form_view(
        request,
        family,
        form,
        lambda person, **data: _health_save(family, data, person),
        title="Record the year's health and offending",
        done="{name}'s health and offending for the year are recorded",
    )


@require_http_methods(["GET", "POST"])
def health_outcomes_change(request, family_id: int, outcomes_id: int):
    family = get_family_for_user_to_change(request, family_id)
    outcomes = get_object_or_404(
        HealthOutcomes.objects.select_related("person"), pk=outcomes_id, family=family
    )
    initial = {"sdq_score": outcomes.sdq_score, "sdq_reason": outcomes.sdq_reason}
    for name in HealthOutcomesForm.ANSWERS:
        initial[name] = yes_no_initial(getattr(outcomes, name))
    form = HealthOutcomesForm(
        request.POST or None, family=family, person=outcomes.person, initial=initial
    )
    del form.fields["year"]  # the record is the year's: another year is another record
    return _form_view(
        request,
        family,
        form,
        lambda person, **data: _health_save(family, {**data, "year": outcomes.year}, person),
        title=f"Change {outcomes.person.first_name}'s health and offending, "
        f"year to March {outcomes.year}",
        person=outcomes.person,
        done="{name}'s health and offending for the year are changed",
    )


@require_http_methods(["GET", "POST"])
def leaver_contact_add(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    form = LeaverContactForm(request.POST or None, family=family, initial=_chosen_child(request))
    return _form_view(
        request,
        family,
        form,
        lambda **data: care.leaver_contact_save(family=family, **data),
        title="Record a care leaver's contact",
        done="{name}'s contact as a care leaver is recorded",
    )


@require_http_methods(["GET", "POST"])
def leaver_contact_change(request, family_id: int, contact_id: int):
    family = get_family_for_user_to_change(request, family_id)
    contact = get_object_or_404(
        CareLeaverContact.objects.select_related("person"), pk=contact_id, family=family
    )
    fields = ["in_touch", "activity", "accommodation"]
    form = LeaverContactForm(
        request.POST or None,
        family=family,
        person=contact.person,
        initial={name: getattr(contact, name) for name in fields},
    )
    del form.fields["year"]
    return _form_view(
        request,
        family,
        form,
        lambda **data: care.leaver_contact_save(family=family, year=contact.year, **data),
        title=f"Change {contact.person.first_name}'s contact, year to March {contact.year}",
        person=contact.person,
        done="{name}'s contact as a care leaver is changed",
    )


# --- adoption --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def adoption_add(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    form = AdoptionForm(request.POST or None, family=family, initial=_chosen_child(request))
    return _form_view(
        request,
        family,
        form,
        lambda **data: care.adoption_save(family=family, **data),
        title="Record an adoption decision",
        done="{name}'s adoption is recorded",
    )


@require_http_methods(["GET", "POST"])
def adoption_change(request, family_id: int, adoption_id: int):
    family = get_family_for_user_to_change(request, family_id)
    adoption = get_object_or_404(
        Adoption.objects.select_related("person"), pk=adoption_id, family=family
    )
    fields = ["decided", "matched", "reversed", "reversed_reason", "adopters_sex"]
    initial = {name: getattr(adoption, name) for name in fields}
    initial["adopters_legal_status"] = adoption.adopters_legal_status
    initial["by_foster_carers"] = yes_no_initial(adoption.by_foster_carers)
    initial["adopters"] = str(adoption.adopters or "")
    form = AdoptionForm(
        request.POST or None, family=family, person=adoption.person, initial=initial
    )
    return _form_view(
        request,
        family,
        form,
        lambda **data: care.adoption_save(family=family, adoption=adoption, **data),
        title=f"Change {adoption.person.first_name}'s adoption",
        person=adoption.person,
        done="{name}'s adoption is changed",
    )
