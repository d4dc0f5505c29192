"""Sign-in events from Django's and django-axes's signals, written to the security log.

Only logging hangs on these signals: what signing in does is in the views."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.security_log import Kind, Outcome, security_event_record

UNKNOWN_USERNAME = "(no such username)"


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    typed = (credentials or {}).get("username", "")
    user = get_user_model().objects.filter(username=typed).first() if typed else None
    security_event_record(
        kind=Kind.SIGN_IN_FAILED,
        request=request,
        user=user,
        # What was typed only when it is an account: people type passwords into that box.
        username=typed if user is not None else UNKNOWN_USERNAME,
        outcome=Outcome.FAILURE,
        detail="Wrong username or password"
        if not getattr(request, "axes_locked_out", False)
        else "Refused while locked out",
    )


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    user = get_user_model().objects.filter(username=username).first() if username else None
    security_event_record(
        kind=Kind.LOCKOUT,
        request=request,
        user=user,
        username=username if user is not None else UNKNOWN_USERNAME,
        outcome=Outcome.REFUSED,
        detail=f"Locked after repeated failures (address {ip_address})",
    )


@receiver(user_logged_out)
def _signed_out(sender, request=None, user=None, **kwargs):
    if user is not None:
        security_event_record(kind=Kind.SIGN_OUT, request=request, user=user)
