"""Exceptions to pod visibility (grants), restriction, and who has looked at the record.

Giving or withdrawing access and restricting a record ask for a fresh password or code first
(``reauthentication_required``, DESIGN §5), on the form as well as on the post."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.reauth import reauthentication_required
from config.govuk_forms import add_service_errors, render_form
from families import permissions, selectors, services
from families.access import get_family_for_user_to_change
from families.forms import GrantForm, RestrictForm
from families.models import AccessLogEntry, FamilyGrant
from pods.models import Worker

ACCESS_LOG_SHOWN = 200


def _end_of_day(day: datetime.date | None):
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


@reauthentication_required
@require_http_methods(["GET", "POST"])
def grants(request, family_id: int):
    family = get_family_for_user_to_change(
        request, family_id, allowed=permissions.can_user_give_access
    )
    form = GrantForm(request.POST or None, as_of=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_give(
                family=family,
                user=data["worker"].user,
                kind=data["kind"],
                reason=data["reason"],
                expires=_end_of_day(data["expires"]),
                granted_by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{data['worker'].name} can see this family until {data['expires']:%-d %B %Y}",
            )
            return redirect("family_grants", family_id=family.pk)
    family_grants = family.grants.select_related("user", "granted_by").order_by("-starts")
    return render_form(
        request,
        form,
        title="Who else can see this family",
        family=family,
        submit="Give access",
        template="families/grants.html",
        grants=family_grants,
        now=timezone.now(),
    )


@reauthentication_required
@require_http_methods(["GET", "POST"])
def grant_revoke(request, family_id: int, grant_id: int):
    family = get_family_for_user_to_change(
        request, family_id, allowed=permissions.can_user_give_access
    )
    grant = get_object_or_404(
        FamilyGrant.objects.select_related("user"), pk=grant_id, family=family
    )
    if request.method == "POST":
        services.grant_revoke(grant=grant, by=request.user, request=request)
        messages.success(
            request,
            f"{grant.user.get_full_name()} can no longer see this family through that grant",
        )
        return redirect("family_grants", family_id=family.pk)
    return render(request, "families/grant_revoke.html", {"family": family, "grant": grant})


def access_log(request, family_id: int):
    family = get_family_for_user_to_change(
        request, family_id, allowed=permissions.can_user_view_access_log
    )
    entries = (
        AccessLogEntry.objects.filter(family=family)
        .select_related("user__worker", "grant")
        .order_by("-viewed")[:ACCESS_LOG_SHOWN]
    )
    return render(request, "families/access_log.html", {"family": family, "entries": entries})


@reauthentication_required
@require_http_methods(["GET", "POST"])
def restrict(request, family_id: int):
    family = get_family_for_user_to_change(
        request, family_id, allowed=permissions.can_user_restrict
    )
    today = timezone.localdate()
    team = selectors.current_team(family)
    # The pod, and the senior leaders: break glass cannot open a restricted record, so naming
    # a leader here is the one way they can be let in (the refusal tells them to ask).
    members = (
        Worker.objects.filter(
            Q(memberships__in=team.memberships.current_on(today))
            | Q(role=Worker.Role.SENIOR_LEADER, pk__in=Worker.objects.employed_on(today))
        )
        .distinct()
        .select_related("user")
        .order_by("user__last_name")
    )
    form = RestrictForm(request.POST or None, team_members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.family_restrict(
                family=family,
                reason=data["reason"],
                review_date=data["review_date"],
                named_users=[worker.user for worker in data["named"]],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The record is restricted to the workers you named")
            return redirect("family_detail", family_id=family.pk)
    return render_form(
        request,
        form,
        title="Restrict this record",
        family=family,
        submit="Restrict",
        intro="A restricted record is seen only by the workers named here, whatever pod holds it: "
        "for adoption, a member of staff's own family, or a family in the public eye.",
    )
