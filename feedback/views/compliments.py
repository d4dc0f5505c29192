"""The compliments screens: the list with counts by pod and theme for a year, recording one,
a family's compliments behind its door, and the worker marking one seen from their home."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.govuk_forms import add_service_errors, render_form
from families.access import get_family_for_user
from families.models import Family
from feedback import permissions
from feedback.compliments import forms, selectors, services
from feedback.models import Compliment

LIST_SIZE = 100


@login_required
@require_GET
def compliment_list(request):
    if not permissions.can_user_see_complaints(request.user):
        raise Http404("No compliments")
    today = timezone.localdate()
    this_year = selectors.financial_year(today)
    years = list(range(this_year, this_year - 4, -1))
    form = forms.YearForm(request.GET or None, years=years)
    year = (form.is_valid() and form.cleaned_data["year"]) or this_year
    visible = selectors.compliments_visible_to(request.user, today=today)
    start, end = selectors.year_bounds(year)
    in_year = selectors.with_details(visible.filter(received__range=(start, end)))[:LIST_SIZE]
    context = {
        "form": form,
        "counts": selectors.counts(visible, year),
        "rows": selectors.with_words_shown(request.user, in_year),
        "can_record": permissions.can_user_record_compliments(request.user),
    }
    return render(request, "feedback/compliments/list.html", context)


def _families_to_name(user):
    """The complaints officer may name any family (their job is all feedback); others only
    the families they can see."""
    if permissions.can_user_manage_complaints(user):
        return Family.objects.all()
    return Family.objects.visible_to(user)


@login_required
def compliment_new(request):
    if not permissions.can_user_record_compliments(request.user):
        raise Http404("No compliments")
    form = forms.ComplimentForm(
        request.POST or None,
        families=_families_to_name(request.user),
        initial={"received": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.compliment_record(
                received=data["received"],
                received_by=data["received_by"],
                from_kind=data["from_kind"],
                from_name=data["from_name"],
                family=data["family_reference"],
                worker=data["worker"],
                team=data["team"],
                words=data["words"],
                themes=list(data["themes"]),
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("compliment_list")
    return render_form(request, form, title="Record a compliment", submit="Record the compliment")


@login_required
@require_POST
def compliment_seen(request, compliment_id: int):
    compliment = get_object_or_404(Compliment, pk=compliment_id, worker__user=request.user)
    services.compliment_mark_seen(compliment=compliment, by=request.user)
    return redirect("home")


@login_required
def family_compliments(request, family_id: int):
    family = get_family_for_user(request, family_id)
    if request.method not in ("GET", "HEAD"):  # after the door: outside it, a 404
        return HttpResponseNotAllowed(["GET", "HEAD"])
    compliments = selectors.with_details(family.compliments.all())
    return render(
        request,
        "feedback/compliments/family_list.html",
        {"family": family, "compliments": compliments},
    )
