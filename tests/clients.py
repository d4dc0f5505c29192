"""Signed-in test clients, in one place.

``signed_in_client(user)`` is what every view test uses: the session a person has after the
sign-in page, that is after their password and their second factor (a confirmed
authenticator app, verified for this session), and with the five minutes of "you have just
confirmed it is you" that signing in starts. Sign-in itself, step by step, is tested through
the real pages in tests/accounts/."""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.reauth import AUTHENTICATED_AT_SESSION_KEY


def signed_in_client(user, *, recently_authenticated: bool = True) -> Client:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    if recently_authenticated:
        session[AUTHENTICATED_AT_SESSION_KEY] = time.time()
    session.save()
    return client


def client_for(worker) -> Client:
    """A signed-in client for a ``Worker``."""
    return signed_in_client(worker.user)
