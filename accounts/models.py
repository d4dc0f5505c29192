"""Sign-in and security records: the security log and the signed-in sessions.

The lowest app: every other app writes its security events here (grants, restrictions, break
glass, role and team changes), so it imports none of them. The object an event concerns is
kept as its type, id and a label, not as a foreign key, so the log outlives the object."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SecurityEvent(models.Model):
    """One security event: when, who, from which address, what, its outcome and the object it
    concerns. Written by ``accounts.security_log.security_event_record`` and never changed."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKOUT = "lockout", "Locked out"
        SIGN_OUT = "sign_out", "Signed out"
        SECOND_FACTOR_ENROLLED = "second_factor_enrolled", "Second factor set up"
        SECOND_FACTOR_FAILED = "second_factor_failed", "Second factor code refused"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset by an administrator"
        BACKUP_CODE_USED = "backup_code_used", "Backup code used"
        SESSION_ENDED = "session_ended", "Session ended"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        REAUTHENTICATED = "reauthenticated", "Confirmed it was them"
        REAUTHENTICATION_FAILED = "reauthentication_failed", "Confirmation refused"
        GRANT_GIVEN = "grant_given", "Access to a family given"
        GRANT_REVOKED = "grant_revoked", "Access to a family revoked"
        RECORD_RESTRICTED = "record_restricted", "Record restricted"
        BREAK_GLASS = "break_glass", "Break glass"
        ROLE_CHANGED = "role_changed", "Role changed"
        TEAM_CHANGED = "team_changed", "Team membership changed"
        USER_CHANGED = "user_changed", "User changed by an administrator"
        WELLBEING_READ = "wellbeing_read", "1:1 wellbeing notes read"
        RETURN_DOWNLOADED = "return_downloaded", "Statutory returns downloaded"
        SAR_BUNDLE_DOWNLOADED = "sar_bundle_downloaded", "Subject access bundle downloaded"

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Done"
        FAILURE = "failure", "Failed"
        REFUSED = "refused", "Refused"

    occurred = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
        help_text="Who did it, when known (a failed sign-in may name no real account)",
    )
    username = models.CharField(max_length=150, blank=True, help_text="As typed or as known")
    address = models.GenericIPAddressField(null=True, blank=True)
    kind = models.CharField(max_length=40, choices=Kind.choices, db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    target_type = models.CharField(max_length=100, blank=True, help_text="app_label.model")
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred", "-pk"]
        indexes = [
            models.Index(fields=["user", "-occurred"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_outcome_display()}) at {self.occurred:%c}"


class SignedInSession(models.Model):
    """A session someone signed in to with both factors: when, from where, which browser.
    The person's sessions page lists these and ends any of them; ending one deletes the
    session itself, so its cookie stops working at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    signed_in = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["user", "-last_seen"])]

    def __str__(self):
        return f"{self.user} signed in at {self.signed_in:%c}"
