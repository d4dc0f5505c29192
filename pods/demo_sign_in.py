"""The demo sign-ins' second factor: each named demo account (and the administrator) gets an
authenticator app with the secret published in the README, so a newcomer can sign in within
a minute: add the secret to any authenticator app, or run ``manage.py demo_code``. The other
staff of the demo authority set one up at their first sign-in, as real staff would."""

import datetime
import random

from django.contrib.auth import get_user_model

from accounts.second_factor import demo_device_enrol
from pods.demo import ADMIN_USERNAME, DEMO_ACCOUNTS


def demo_usernames() -> list[str]:
    return [account[0] for account in DEMO_ACCOUNTS] + [ADMIN_USERNAME]


def enrol_missing() -> int:
    """For ``make run`` on a database seeded before the demo had a second factor: give the
    demo sign-ins that have no authenticator app the demo one. Returns how many."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = (
        get_user_model()
        .objects.filter(username__in=demo_usernames())
        .exclude(pk__in=TOTPDevice.objects.filter(confirmed=True).values("user"))
    )
    for user in users:
        demo_device_enrol(user=user)
    return len(users)


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    users = get_user_model().objects.filter(username__in=demo_usernames())
    for user in users:
        demo_device_enrol(user=user)
    return {"demo authenticator apps": len(users)}
