"""Every request of a signed-in person: the absolute session limit, the session's record,
and the second factor before any page but the second-factor pages themselves."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from accounts import sessions
from accounts.second_factor import has_second_factor

SESSION_TOO_LONG = "You have been signed in for 12 hours, so we have signed you out. Sign in again."
SESSION_ENDED = "That session was ended, so you have been signed out. Sign in again."


class SessionLimitsMiddleware:
    """After AuthenticationMiddleware: a session past its absolute limit, or one its owner
    ended from elsewhere, is signed out and sent to sign in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            message = None
            if sessions.absolute_limit_passed(request):
                message = SESSION_TOO_LONG
            elif not sessions.session_record_touch(request):
                message = SESSION_ENDED
            if message:
                logout(request)
                messages.info(request, message)
                return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
        return self.get_response(request)


# Open to someone who has given their password but not yet their second factor.
_SECOND_FACTOR_PATHS = ("/account/second-factor/", "/sign-out/", "/static/", "/healthz")


class SecondFactorRequiredMiddleware:
    """After django-otp's OTPMiddleware: a person who has given their password but not their
    second factor sees only the second-factor pages (setting one up when they have none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.PODS_SECOND_FACTOR
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_SECOND_FACTOR_PATHS)
        ):
            step = "second_factor" if has_second_factor(user) else "second_factor_set_up"
            next_path = request.get_full_path()
            query = f"?{urlencode({'next': next_path})}" if next_path != "/" else ""
            return redirect(reverse(step) + query)
        return self.get_response(request)
