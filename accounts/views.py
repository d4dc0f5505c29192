"""Sign-in and account pages: confirming it is you before a sensitive action."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.forms import ReauthenticateForm
from accounts.reauth import mark_authenticated
from accounts.security_log import Kind, Outcome, security_event_record


def _safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    next_path = _safe_next(request)
    form = ReauthenticateForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            mark_authenticated(request)
            security_event_record(kind=Kind.REAUTHENTICATED, request=request, detail=next_path)
            messages.success(request, "Thank you. You can carry on.")
            return redirect(next_path)
        security_event_record(
            kind=Kind.REAUTHENTICATION_FAILED,
            request=request,
            outcome=Outcome.FAILURE,
            detail=next_path,
        )
    status = 400 if form.errors else 200
    return render(
        request, "accounts/reauthenticate.html", {"form": form, "next": next_path}, status=status
    )
