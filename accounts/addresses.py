"""The client's address, as this deployment can trust it.

Behind a load balancer ``REMOTE_ADDR`` is the nearest proxy. Each proxy appends the address
that connected to it to ``X-Forwarded-For``, so with ``PODS_TRUSTED_PROXIES`` = N proxies of
our own, the N-th entry from the right is the client as our outermost proxy saw it. Anything
to its left was written by the client and is ignored: a spoofed chain cannot choose the
address that sign-in lockout counts or that the security log records."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PODS_TRUSTED_PROXIES
    if not proxies:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < proxies:
        # Fewer entries than our own proxies write: the request did not come through them.
        return remote
    candidate = chain[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
