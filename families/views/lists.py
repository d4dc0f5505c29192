"""Referral of a new family, and break glass. The family lists and search are pages that
gather several apps, in home/views/families.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.reauth import reauthentication_required
from accounts.security_log import Kind, Outcome, security_event_record
from config.govuk_forms import add_service_errors, render_form
from families import permissions, selectors, services
from families.forms import BreakGlassForm, ReferralForm
from families.models import Family, FamilyMember

BREAK_GLASS_NO_SUCH_REFERENCE = "No family has this reference: check it and try again"


@require_http_methods(["GET", "POST"])
def refer(request):
    if not permissions.can_user_refer(request.user):
        raise PermissionDenied
    form = ReferralForm(request.POST or None, initial={"received": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = [
            services.PersonDetails(
                first_name=data["child_first_name"],
                last_name=data["child_last_name"],
                date_of_birth=data["child_date_of_birth"],
                gender=data["child_gender"],
                relationship=FamilyMember.Relationship.CHILD,
            )
        ]
        if data["adult_first_name"]:
            people.append(
                services.PersonDetails(
                    first_name=data["adult_first_name"],
                    last_name=data["adult_last_name"] or data["child_last_name"],
                    relationship=data["adult_relationship"],
                )
            )
        try:
            outcome = services.family_refer(
                display_name=data["display_name"],
                address=data["address"],
                postcode=data["postcode"],
                received=data["received"],
                source=data["source"],
                reason=data["reason"],
                people=people,
                recorded_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, outcome.message)
            if Family.objects.visible_to(request.user).filter(pk=outcome.family.pk).exists():
                return redirect("family_detail", family_id=outcome.family.pk)
            return redirect("home")
    return render_form(request, form, title="Refer a family", submit="Record the referral")


@reauthentication_required
@require_http_methods(["GET", "POST"])
def break_glass(request):
    """A senior leader opens a record outside their visibility, for a recorded reason.

    The family is found by its reference without ``visible_to``: opening a family outside it
    is the point. What a refusal says is kept to what opening it would have shown anyway:
    whether the reference exists and, for a restricted record, that it is restricted (the
    leader needs to know to ask someone) but not its name, pod or the people named on it."""
    if not permissions.can_user_break_glass(request.user):
        raise PermissionDenied
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"].strip()
        family = Family.objects.filter(reference__iexact=reference).first()
        if family is None:
            security_event_record(
                kind=Kind.BREAK_GLASS,
                outcome=Outcome.FAILURE,
                request=request,
                # What was typed only when it looks like a reference: a name typed here
                # must not end up in the security log.
                detail=f"No family has the reference {reference}"
                if selectors.REFERENCE.match(reference)
                else "No family has the reference typed",
            )
            form.add_error("reference", BREAK_GLASS_NO_SUCH_REFERENCE)
        else:
            try:
                grant = services.break_glass(
                    family=family,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"You can see this record until {timezone.localtime(grant.expires):%H:%M}",
                )
                return redirect("family_detail", family_id=family.pk)
    return render_form(
        request,
        form,
        title="Open a record outside your teams",
        submit="Open the record",
        intro="Senior leaders see figures, not case records. To open a family's record, "
        "give the reason: it is recorded, shown to the family's pod manager, and your access ends "
        "after a few hours.",
    )
