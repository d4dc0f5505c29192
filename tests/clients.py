"""Signed-in test clients, in one place.

``signed_in_client(user)`` is what every view test uses: the session a person has after the
sign-in page (password, then their second factor). Sign-in itself, step by step, is tested
through the real pages in tests/accounts/."""

from django.test import Client


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def client_for(worker) -> Client:
    """A signed-in client for a ``Worker``."""
    return signed_in_client(worker.user)
