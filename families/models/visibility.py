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
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, Q, Subquery
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from pods.models import TeamMembership, Worker, current_on

VIEW_FAMILY = "view_family"


class FamilyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("families.Family", on_delete=models.CASCADE)


class FamilyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("families.Family", on_delete=models.CASCADE)


def _in_force(at, prefix: str = "") -> Q:
    """Q for grants (through ``prefix``) started by ``at``, not yet expired, not revoked."""
    return Q(**{f"{prefix}starts__lte": at, f"{prefix}expires__gt": at,
                f"{prefix}revoked__isnull": True})  # fmt: skip


class FamilyGrantQuerySet(models.QuerySet):
    def in_force(self, at=None):
        return self.filter(_in_force(at or timezone.now()))


class FamilyGrant(models.Model):
    """Why someone outside the family's pod may see it, until when, and who said so."""

    class Kind(models.TextChoices):
        COVER = "cover", "Covering for the family's worker"
        DUTY = "duty", "Duty worker"
        LEAD_PRACTITIONER = "lead_practitioner", "Lead practitioner invited to joint work"
        BREAK_GLASS = "break_glass", "Senior leader: break glass"
        AUDIT = "audit", "Quality-assurance audit"
        SUBJECT_ACCESS = "subject_access", "Data protection officer: subject access request"

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
        # Each route is a list of family ids read through its own index (the group grants of
        # the user's teams today, the user's grants in force, the restricted lists they are
        # on), and the three lists are joined into one that PostgreSQL reads once: families
        # are then fetched by key, not each family checked against each route. Each route
        # checks the restriction itself: an unrestricted family is seen by the pod or a
        # grant, a restricted one by its list only. The view permission is one value that
        # PostgreSQL looks up first (by the family's content type, which Django caches), not
        # a join for every grant row, so it also estimates the routes' sizes well and plans
        # the queries around this one sensibly; the grant in force is a join, not one more
        # nested subquery, as building the query is about half its cost.
        view_permission = Subquery(
            Permission.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model), codename=VIEW_FAMILY
            )
            .order_by()
            .values("pk")
        )
        groups_today = TeamMembership.objects.filter(current_on(day), worker__user=user).values(
            "team__group_id"
        )
        through_pod = FamilyGroupObjectPermission.objects.filter(
            group_id__in=groups_today, content_object__restricted=False, permission=view_permission
        ).values("content_object_id")
        through_grant = FamilyUserObjectPermission.objects.filter(
            _in_force(at, "content_object__grants__"),
            user=user,
            content_object__restricted=False,
            content_object__grants__user=user,
            permission=view_permission,
        ).values("content_object_id")
        named = RestrictedAccess.objects.filter(user=user, family__restricted=True).values(
            "family_id"
        )
        # A worker whose employment has ended sees nothing, by grant or restricted list too,
        # from the day after their last (the nightly job switches the sign-in off later).
        left = Worker.objects.filter(user=user).exclude(current_on(day, "start_date", "leave_date"))
        return self.filter(~Exists(left), pk__in=through_pod.union(through_grant, named, all=True))
