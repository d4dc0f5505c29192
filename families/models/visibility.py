"""Who may see a family (DESIGN §5), as data.

* The family's current pod: one guardian **group** grant (``FamilyGroupObjectPermission``) to
  the pod's group, rewritten in the same transaction as a pod transfer. The grant says which
  pod holds the family; who is in that pod is read from the organisation at the moment of
  the request (a ``TeamMembership`` current today, of a worker who has not left), not from
  the group's members, which the nightly sync only brings into step overnight.
* Exceptions: a guardian **user** grant (``FamilyUserObjectPermission``) paired with a
  ``FamilyGrant`` that says why, who granted it and when it expires. The expiry is checked
  whenever a family is fetched, so an expired grant stops working at once, not when a clean-up
  job next runs.
* Restricted families: only the workers on the family's ``RestrictedAccess`` list, whatever
  its pod and whatever other grants say.

``FamilyQuerySet.visible_to`` is the one door; every list, search, count and page goes
through it. Nobody is ever given a global permission on families, and guardian is never
asked with global permissions or the superuser shortcut."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from pods.models import TeamMembership, Worker, current_on

VIEW_FAMILY = "view_family"


class FamilyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("families.Family", on_delete=models.CASCADE)


class FamilyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("families.Family", on_delete=models.CASCADE)


class FamilyGrantQuerySet(models.QuerySet):
    def in_force(self, at=None):
        at = at or timezone.now()
        return self.filter(starts__lte=at, expires__gt=at, revoked__isnull=True)


class FamilyGrant(models.Model):
    """Why someone outside the family's pod may see it, until when, and who said so."""

    class Kind(models.TextChoices):
        COVER = "cover", "Covering for the family's worker"
        DUTY = "duty", "Duty worker"
        LEAD_PRACTITIONER = "lead_practitioner", "Lead practitioner invited to joint work"
        BREAK_GLASS = "break_glass", "Senior leader: break glass"

    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_grants"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="family_grants_given"
    )
    starts = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = FamilyGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires__gt=models.F("starts")), name="grant_expires_after_start"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="grant_has_reason"),
        ]
        indexes = [models.Index(fields=["user", "family", "expires"])]

    def __str__(self):
        until = f"{self.expires:%d %b %Y %H:%M}"
        return f"{self.get_kind_display()} for {self.user} on {self.family} until {until}"


class RestrictedAccess(models.Model):
    """A worker named on a restricted family's list: the only people who see it."""

    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="restricted_access"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family", "user"], name="restricted_access_once")
        ]
        verbose_name_plural = "restricted access"

    def __str__(self):
        return f"{self.user} may see restricted {self.family}"


class AccessLogEntry(models.Model):
    """One view of a family's record: who, what, when. Written by the view helper that fetches
    the family, so no family page can be seen without a line here."""

    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="access_log"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewed = models.DateTimeField(default=timezone.now)
    path = models.CharField(max_length=300)
    grant = models.ForeignKey(
        FamilyGrant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The exception that let them in, when it was not their pod",
    )

    class Meta:
        ordering = ["-viewed"]
        indexes = [models.Index(fields=["family", "-viewed"])]
        verbose_name_plural = "access log"

    def __str__(self):
        return f"{self.user} viewed {self.family} at {self.viewed:%d %b %Y %H:%M}"


def _view_permission(prefix: str = "") -> Q:
    return Q(**{f"{prefix}permission__codename": VIEW_FAMILY,
                f"{prefix}permission__content_type__app_label": "families"})  # fmt: skip


class FamilyQuerySet(models.QuerySet):
    def visible_to(self, user, *, at=None):
        """The families ``user`` may see at ``at`` (now by default), in one SQL query.

        Seen through the pod's group grant by the pod's members on the day of ``at`` (a
        membership current that day, of a worker not yet left: the group's own members are
        not asked), or a user grant whose FamilyGrant is in force; a restricted family only
        by the workers named on its list. A user who is not signed in or whose sign-in is
        switched off sees nothing, and superusers have no shortcut."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        at = at or timezone.now()
        day = timezone.localdate(at)
        # The groups of the teams the user is a member of on the day, as a subquery that
        # PostgreSQL runs once (a hashed subplan), not joined again for every family.
        # (A worker who has left is shut out below, whatever the route.)
        groups_today = TeamMembership.objects.filter(current_on(day), worker__user=user).values(
            "team__group_id"
        )
        through_pod = FamilyGroupObjectPermission.objects.filter(
            _view_permission(), content_object=OuterRef("pk"), group_id__in=groups_today
        )
        through_grant = FamilyUserObjectPermission.objects.filter(
            _view_permission(), content_object=OuterRef("pk"), user=user
        )
        grant_in_force = FamilyGrant.objects.in_force(at).filter(family=OuterRef("pk"), user=user)
        named = RestrictedAccess.objects.filter(family=OuterRef("pk"), user=user)
        # A worker whose employment has ended sees nothing, by grant or restricted list too,
        # from the day after their last (the nightly job switches the sign-in off later).
        left = Worker.objects.filter(user=user).exclude(current_on(day, "start_date", "leave_date"))
        return self.filter(~Exists(left)).filter(
            Q(restricted=False)
            & (Exists(through_pod) | (Exists(through_grant) & Exists(grant_in_force)))
            | Q(restricted=True) & Exists(named)
        )
