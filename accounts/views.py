"""Signing in (password, then the second factor), the person's own account page (sessions,
password, backup codes), and confirming it is them before a sensitive action."""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import second_factor, sessions
from accounts.forms import BackupCodeForm, CodeForm, NewPasswordForm, ReauthenticateForm
from accounts.models import SignedInSession
from accounts.reauth import mark_authenticated, reauthentication_required
from accounts.security_log import Kind, Outcome, security_event_record

NEW_BACKUP_CODES_SESSION_KEY = "pods_new_backup_codes"


def _safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _render(request, template, form, **context):
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


class SignInView(auth_views.LoginView):
    """The password step. The second factor follows (SecondFactorRequiredMiddleware)."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions.password_accepted(self.request)
        return response


def _signed_in(request, device, *, detail: str) -> None:
    """Both factors given: a fresh session key, the five minutes of "just confirmed", the
    session's record, and the sign-in in the security log."""
    django_otp.login(request, device)
    request.session.cycle_key()
    mark_authenticated(request)
    sessions.session_record_start(request)
    security_event_record(kind=Kind.SIGN_IN, request=request, detail=detail)


@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    if request.user.is_verified():
        return redirect(_safe_next(request))
    device = second_factor.confirmed_totp_device(request.user)
    if device is None:
        return redirect(reverse("second_factor_set_up"))
    form = CodeForm(
        request.POST or None,
        check=lambda code: second_factor.verify_totp(request.user, code),
        throttled=lambda: second_factor.throttled_message(device),
    )
    if request.method == "POST":
        if form.is_valid():
            _signed_in(request, form.device, detail="Password and authenticator app")
            return redirect(_safe_next(request))
        security_event_record(
            kind=Kind.SECOND_FACTOR_FAILED,
            request=request,
            outcome=Outcome.FAILURE,
            detail="; ".join(form.errors.get("code", [])),
        )
    return _render(request, "accounts/second_factor.html", form, next=_safe_next(request))


@require_http_methods(["GET", "POST"])
def second_factor_backup(request):
    if request.user.is_verified():
        return redirect(_safe_next(request))
    form = BackupCodeForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            left = second_factor.backup_codes_left(request.user)
            _signed_in(request, form.device, detail=f"Password and a backup code ({left} left)")
            security_event_record(
                kind=Kind.BACKUP_CODE_USED, request=request, detail=f"{left} backup codes left"
            )
            messages.warning(
                request,
                f"You signed in with a backup code. You have {left} left: make new ones "
                "from your account page if you are running out.",
            )
            return redirect(_safe_next(request))
        security_event_record(
            kind=Kind.SECOND_FACTOR_FAILED,
            request=request,
            outcome=Outcome.FAILURE,
            detail="Backup code refused",
        )
    return _render(request, "accounts/second_factor_backup.html", form, next=_safe_next(request))


ENROLMENT_DEVICE_SESSION_KEY = "pods_enrolment_device"
SIGN_IN_AGAIN_TO_SET_UP = "Sign in again to set up your authenticator app."
ALREADY_SET_UP = (
    "An authenticator app has just been set up for your account from another session. "
    "If that was not you, ask your system administrator to reset your second factor now."
)


@require_http_methods(["GET", "POST"])
def second_factor_set_up(request):
    """First sign-in (or after an administrator's reset): scan the QR code, enter a code.
    Only soon after the password in this very session, and each session its own secret."""
    if second_factor.has_second_factor(request.user):
        # Replacing an app needs the app itself (or an administrator's reset).
        return redirect(reverse("account") if request.user.is_verified() else "second_factor")
    if not sessions.password_given_within(request, settings.PODS_ENROLMENT_MINUTES * 60):
        logout(request)
        messages.info(request, SIGN_IN_AGAIN_TO_SET_UP)
        return redirect("login")
    form = CodeForm(request.POST or None, check=lambda code: code)
    shown_before = request.session.get(ENROLMENT_DEVICE_SESSION_KEY)
    device = second_factor.enrolment_device(request.user, device_id=shown_before)
    if request.method == "POST" and form.is_valid() and shown_before != device.pk:
        # The secret this session showed has expired: a new one is on the page now.
        form.add_error("code", second_factor.ENROLMENT_EXPIRED)
    elif request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.enrolment_confirm(
                user=request.user, device_id=device.pk, token=form.cleaned_data["code"]
            )
        except second_factor.AlreadyEnrolled:
            messages.warning(request, ALREADY_SET_UP)
            return redirect("second_factor")
        except second_factor.EnrolmentExpired:
            form.add_error("code", second_factor.ENROLMENT_EXPIRED)
            device = second_factor.enrolment_device(request.user)
        else:
            if codes is None:
                form.add_error("code", second_factor.CODE_NOT_RIGHT)
            else:
                request.session.pop(ENROLMENT_DEVICE_SESSION_KEY, None)
                security_event_record(kind=Kind.SECOND_FACTOR_ENROLLED, request=request)
                _signed_in(request, device, detail="Password and a new authenticator app")
                request.session[NEW_BACKUP_CODES_SESSION_KEY] = codes
                return redirect(f"{reverse('backup_codes')}?next={_safe_next(request)}")
    request.session[ENROLMENT_DEVICE_SESSION_KEY] = device.pk
    if request.method == "POST":
        security_event_record(
            kind=Kind.SECOND_FACTOR_FAILED,
            request=request,
            outcome=Outcome.FAILURE,
            detail="Setting up: " + "; ".join(form.errors.get("code", [])),
        )
    return _render(
        request,
        "accounts/second_factor_set_up.html",
        form,
        device=device,
        qr_code=second_factor.qr_code_svg(device),
        secret=second_factor.secret_for_typing(device),
        next=_safe_next(request),
    )


def backup_codes(request):
    """New backup codes, shown once."""
    codes = request.session.pop(NEW_BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("account")
    return render(
        request, "accounts/backup_codes.html", {"codes": codes, "next": _safe_next(request)}
    )


@require_http_methods(["GET", "POST"])
@reauthentication_required
def backup_codes_new(request):
    if request.method == "GET":
        return render(request, "accounts/backup_codes_new.html")
    request.session[NEW_BACKUP_CODES_SESSION_KEY] = second_factor.backup_codes_make(
        user=request.user
    )
    security_event_record(
        kind=Kind.SECOND_FACTOR_ENROLLED, request=request, detail="New backup codes"
    )
    return redirect("backup_codes")


def account(request):
    """The person's own sign-in: their sessions (ending any), password, backup codes."""
    current = request.session.get(sessions.RECORD_SESSION_KEY)
    return render(
        request,
        "accounts/account.html",
        {
            "sessions": sessions.live_sessions_of(request.user),
            "current_session_id": current,
            "backup_codes_left": second_factor.backup_codes_left(request.user),
        },
    )


@require_POST
def session_end(request, session_id: int):
    record = get_object_or_404(SignedInSession, pk=session_id, user=request.user)
    is_current = record.pk == request.session.get(sessions.RECORD_SESSION_KEY)
    sessions.session_end(record=record, request=request)
    if is_current:
        logout(request)
        return redirect("login")
    messages.success(request, "That session has been ended: it is signed out.")
    return redirect("account")


FAILED_CONFIRMATIONS_SESSION_KEY = "pods_failed_confirmations"
TOO_MANY_WRONG_PASSWORDS = (
    "Your password was wrong too many times, so we have signed you out. Sign in again."
)


def _wrong_password_given(request) -> bool:
    """Count a wrong password (or code) typed while signed in, at "confirm it is you" or on
    the password page; after as many as sign-in allows, sign the session out, so nobody at an
    unlocked computer can go on guessing. Returns whether it was signed out."""
    failures = request.session.get(FAILED_CONFIRMATIONS_SESSION_KEY, 0) + 1
    request.session[FAILED_CONFIRMATIONS_SESSION_KEY] = failures
    if failures < settings.PODS_LOCKOUT_ACCOUNT_FAILURES:
        return False
    security_event_record(
        kind=Kind.SESSION_ENDED,
        request=request,
        outcome=Outcome.REFUSED,
        detail=f"Signed out after {failures} wrong passwords while signed in",
    )
    record_id = request.session.get(sessions.RECORD_SESSION_KEY)
    logout(request)
    SignedInSession.objects.filter(pk=record_id).delete()
    messages.info(request, TOO_MANY_WRONG_PASSWORDS)
    return True


@require_http_methods(["GET", "POST"])
def password_change(request):
    form = NewPasswordForm(request.user, request.POST or None)
    wrong_password = (
        request.method == "POST" and not form.is_valid() and "old_password" in form.errors
    )
    if wrong_password and _wrong_password_given(request):
        return redirect("login")
    if request.method == "POST" and form.is_valid():
        user = form.save()
        ended = sessions.password_change_done(request=request, user=user)
        mark_authenticated(request)
        others = f" {ended} other session{'s' if ended != 1 else ''} signed out." if ended else ""
        messages.success(request, f"Your password has been changed.{others}")
        return redirect("account")
    return _render(request, "accounts/password_change.html", form)


@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    next_path = _safe_next(request)
    form = ReauthenticateForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            mark_authenticated(request)
            request.session.pop(FAILED_CONFIRMATIONS_SESSION_KEY, None)
            security_event_record(kind=Kind.REAUTHENTICATED, request=request, detail=next_path)
            return redirect(next_path)
        security_event_record(
            kind=Kind.REAUTHENTICATION_FAILED,
            request=request,
            outcome=Outcome.FAILURE,
            detail=next_path,
        )
        if _wrong_password_given(request):
            return redirect("login")
    return _render(request, "accounts/reauthenticate.html", form, next=next_path)
