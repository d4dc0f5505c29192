"""The one door to a family in a view: fetch within visibility, 404 outside it, log the view.

Every family-scoped view starts with ``get_family_for_user`` (reads) or
``get_family_for_user_to_change`` (writes). A family that does not exist and one the user may
not see give the same 404, so existence is never revealed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from families import permissions
from families.models import AccessLogEntry, Family, FamilyGrant


def get_family_for_user(request, family_id: int) -> Family:
    family = Family.objects.visible_to(request.user).filter(pk=family_id).first()
    if family is None:
        raise Http404("No family found")
    grant = FamilyGrant.objects.in_force().filter(family=family, user=request.user).first()
    AccessLogEntry.objects.create(
        family=family, user=request.user, path=request.get_full_path()[:300], grant=grant
    )
    return family


def get_family_for_user_to_change(request, family_id: int, *, allowed=None) -> Family:
    """As get_family_for_user, then the check ``allowed(user, family)`` (by default: may the
    user write case records) refuses with 403: the user can see the family already."""
    family = get_family_for_user(request, family_id)
    check = allowed or permissions.can_user_write_case
    if not check(request.user, family):
        raise PermissionDenied
    return family
