"""Signing in (password, then the second factor), the person's own account page (sessions,
password, backup codes), and confirming it is them before a sensitive action."""

from __future__ import annotations

import django_otp
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


@require_http_methods(["GET", "POST"])
def second_factor_set_up(request):
    """First sign-in (or after an administrator's reset): scan the QR code, enter a code."""
    if second_factor.has_second_factor(request.user):
        # Replacing an app needs the app itself (or an administrator's reset).
        return redirect(reverse("account") if request.user.is_verified() else "second_factor")
    form = CodeForm(request.POST or None, check=lambda code: code)
    device = second_factor.enrolment_device(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.enrolment_confirm(
                user=request.user,
                device_id=int(request.POST.get("device", 0) or 0),
                token=form.cleaned_data["code"],
            )
        except second_factor.EnrolmentExpired:
            form.add_error("code", second_factor.ENROLMENT_EXPIRED)
            device = second_factor.enrolment_device(request.user)
        else:
            if codes is None:
                form.add_error("code", second_factor.CODE_NOT_RIGHT)
            else:
                confirmed = second_factor.confirmed_totp_device(request.user)
                security_event_record(kind=Kind.SECOND_FACTOR_ENROLLED, request=request)
                _signed_in(request, confirmed, detail="Password and a new authenticator app")
                request.session[NEW_BACKUP_CODES_SESSION_KEY] = codes
                return redirect(f"{reverse('backup_codes')}?next={_safe_next(request)}")
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


@require_http_methods(["GET", "POST"])
def password_change(request):
    form = NewPasswordForm(request.user, request.POST or None)
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
            security_event_record(kind=Kind.REAUTHENTICATED, request=request, detail=next_path)
            return redirect(next_path)
        security_event_record(
            kind=Kind.REAUTHENTICATION_FAILED,
            request=request,
            outcome=Outcome.FAILURE,
            detail=next_path,
        )
    return _render(request, "accounts/reauthenticate.html", form, next=next_path)
