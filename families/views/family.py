"""What is added to the family page: people, professionals, the level of need. The page
itself gathers several apps and is in home/views/families.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.govuk_forms import add_service_errors, render_form
from families import continuum, services
from families.access import get_family_for_user_to_change
from families.forms import NeedAssessmentForm, PersonEditForm, PersonForm, ProfessionalForm
from families.models import FamilyMember


@require_http_methods(["GET", "POST"])
def person_add(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.person_add(family=family, details=services.PersonDetails(**data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.person.full_name} added to the family")
            return redirect("family_detail", family_id=family.pk)
    return render_form(request, form, title="Add a person", family=family)


@require_http_methods(["GET", "POST"])
def person_edit(request, family_id: int, person_id: int):
    """A person's details and the identifiers the statutory returns need, through the family's
    door: a person is reached only as a member of a family the user may change."""
    family = get_family_for_user_to_change(request, family_id)
    member = get_object_or_404(
        FamilyMember.objects.select_related("person"), family=family, person_id=person_id
    )
    person = member.person
    form = PersonEditForm(request.POST or None, person=person, relationship=member.relationship)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(family=family, person=person, by=request.user, **form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name}'s details are saved")
            return redirect("family_detail", family_id=family.pk)
    return render_form(
        request,
        form,
        title=f"{person.full_name}'s details",
        family=family,
        intro=f"{member.get_relationship_display()} in the family. Leave empty what is not "
        "known yet: the family page shows what the statutory returns still need.",
    )


@require_http_methods(["GET", "POST"])
def professional_add(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    form = ProfessionalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.professional_add(family=family, added_by=request.user, **form.cleaned_data)
        messages.success(
            request, f"{form.cleaned_data['name']} added to the team around the family"
        )
        return redirect("family_detail", family_id=family.pk)
    return render_form(request, form, title="Add a professional", family=family)


@require_http_methods(["GET", "POST"])
def need_assessment(request, family_id: int):
    """Tick the indicators you see; 'Suggest a level' shows the level they point to, and the
    worker then chooses the level and saves. Works without JavaScript."""
    family = get_family_for_user_to_change(request, family_id)
    form = NeedAssessmentForm(
        request.POST or None, family=family, initial={"date": timezone.localdate()}
    )
    suggestion = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        suggestion = continuum.suggested_level(data["indicators"])
        if "suggest" in request.POST or not data["level"]:
            if not data["level"] and "suggest" not in request.POST:
                form.add_error("level", "Choose the level of need")
        else:
            try:
                services.need_assessment_record(
                    family=family,
                    child=data["child"],
                    date=data["date"],
                    level=data["level"],
                    indicators=data["indicators"],
                    notes=data["notes"],
                    assessed_by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Level of need recorded: level {data['level']}")
                return redirect("family_detail", family_id=family.pk)
    return render_form(
        request,
        form,
        title="Level of need",
        family=family,
        template="families/need.html",
        levels=continuum.levels(),
        suggestion=suggestion,
    )
