"""The one door to a family in a view: fetch within visibility, 404 outside it, log the view.

Every family-scoped view starts with ``get_family_for_user`` (reads) or
``get_family_for_user_to_change`` (writes). A family that does not exist and one the user may
not see give the same 404, so existence is never revealed.

A page that shows several families (a group supervision agenda, a 1:1, the children behind a
report's number) reads them through ``Family.objects.visible_to`` and passes the ones it
shows to ``log_families_shown``: the same access-log line per family as a family page."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404

from families import permissions
from families.models import AccessLogEntry, Family, FamilyGrant


def get_family_for_user(request, family_id: int) -> Family:
    family = Family.objects.visible_to(request.user).filter(pk=family_id).first()
    if family is None:
        raise Http404("No family found")
    log_families_shown(request, [family])
    return family


def get_family_for_user_to_change(request, family_id: int, *, allowed=None) -> Family:
    """As get_family_for_user, then the check ``allowed(user, family)`` (by default: may the
    user write case records) refuses with 403: the user can see the family already."""
    family = get_family_for_user(request, family_id)
    check = allowed or permissions.can_user_write_case
    if not check(request.user, family):
        raise PermissionDenied
    return family


def log_families_shown(request, families: Iterable[Family]) -> None:
    """Write one access-log line for each family the page shows to ``request.user``: the path
    asked for, and the grant in force that let them in when it was not their pod. Two queries
    whatever the number of families (the grants, then one insert). The families must come
    through ``Family.objects.visible_to(request.user)``: this logs, it does not check."""
    family_ids = list(dict.fromkeys(family.pk for family in families))
    if not family_ids:
        return
    grants: dict[int, FamilyGrant] = {}
    in_force = FamilyGrant.objects.in_force().filter(family_id__in=family_ids, user=request.user)
    for grant in in_force.order_by("-starts"):  # the latest grant, as for one family
        grants.setdefault(grant.family_id, grant)
    path = request.get_full_path()[:300]
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(family_id=pk, user=request.user, path=path, grant=grants.get(pk))
        for pk in family_ids
    )
