"""The staff the load test signs in as: real workers of the dataset, each with the journey of
their role, and what that journey needs (their families, a child to record a visit to, their
pod's group supervision this week). Runs in the command's process, with Django set up.

Only the named demo sign-ins (pods.demo.DEMO_ACCOUNTS) have a password and the demo
authenticator app; everyone else in the demo authority has neither (seed_demo gives them an
unusable password, and they would set up an app at their first sign-in). So before the run
the chosen workers are given the demo password and, through the app's own
``demo_device_enrol``, the demo authenticator app: the same sign-in as the demo accounts,
done through the real pages. The named demo sign-ins themselves are left out, so that
``make bench`` signing in as them never meets a code the load test has just used.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

PRACTITIONER = "practitioner"
POD_MANAGER = "pod manager"
SENIOR_LEADER = "senior leader"
# The proportions of a service: 16 practitioners to 3 pod managers to 1 senior leader
# (locust's user weights, bench/load/journeys.py).
JOURNEY_WEIGHTS = {PRACTITIONER: 16, POD_MANAGER: 3, SENIOR_LEADER: 1}
FAMILIES_PER_PRACTITIONER = 20  # the ones a simulated practitioner opens, of those they hold


@dataclass
class Staff:
    """One worker the load test signs in as, and the ids their journey visits."""

    username: str
    journey: str  # PRACTITIONER, POD_MANAGER or SENIOR_LEADER
    family_ids: list[int] = field(default_factory=list)
    visit: dict[str, str] = field(default_factory=dict)  # RECORD_A_VISIT's placeholders
    session_id: int | None = None  # this week's group supervision of their pod


def prepare(*, wanted: dict[str, int], password: str) -> dict:
    """Choose up to ``wanted[journey]`` workers for each journey (in post today, not away,
    not a named demo sign-in; in pk order, so a rerun on the same dataset picks the same
    ones) and make sure each can sign in with ``password`` and the demo app. Returns the
    plan for bench/load/swarm.py: the staff by journey, and what was set up."""
    from django.utils import timezone

    today = timezone.localdate()
    chosen = {
        PRACTITIONER: _practitioners(today, wanted[PRACTITIONER]),
        POD_MANAGER: _pod_managers(today, wanted[POD_MANAGER]),
        SENIOR_LEADER: _senior_leaders(today, wanted[SENIOR_LEADER]),
    }
    set_up = _ready_to_sign_in(
        [staff.username for group in chosen.values() for staff in group], password
    )
    return {
        "today": today.isoformat(),
        "staff": {journey: [asdict(staff) for staff in group] for journey, group in chosen.items()},
        "set_up": set_up,
    }


def _candidates(today: datetime.date, roles):
    """Workers in ``roles`` who would sign in today: in post, not away, not a named demo
    sign-in, and with no authenticator app of their own (it would refuse the demo codes)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pods.demo_sign_in import demo_usernames
    from pods.models import Absence, Worker

    away = Absence.objects.filter(start__lte=today, end__gte=today).values("worker")
    own_app = TOTPDevice.objects.filter(confirmed=True).exclude(key=_demo_key()).values("user")
    return (
        Worker.objects.employed_on(today)
        .filter(role__in=roles, user__is_active=True)
        .exclude(pk__in=away)
        .exclude(user__username__in=demo_usernames())
        .exclude(user__in=own_app)
        .select_related("user")
        .order_by("pk")
    )


def _practitioners(today: datetime.date, count: int) -> list[Staff]:
    """Social workers and senior social workers holding families (students are left out:
    their visits wait for a countersignature)."""
    from families.models import Family
    from onestory.selectors import children_of
    from pods.models import Worker

    roles = [Worker.Role.SOCIAL_WORKER, Worker.Role.SENIOR_SOCIAL_WORKER]
    found = []
    for worker in _candidates(today, roles).iterator():
        held = list(
            Family.objects.filter(allocations__worker=worker, allocations__end__isnull=True)
            .distinct()
            .order_by("pk")[:FAMILIES_PER_PRACTITIONER]
        )
        visit = next(
            ((family, children[0]) for family in held if (children := children_of(family))),
            None,
        )
        if visit is None:
            continue
        family, child = visit
        found.append(
            Staff(
                worker.user.username,
                PRACTITIONER,
                family_ids=[family.pk for family in held],
                visit={
                    "family_id": str(family.pk),
                    "child_id": str(child.pk),
                    "today_day": str(today.day),
                    "today_month": str(today.month),
                    "today_year": str(today.year),
                },
            )
        )
        if len(found) == count:
            break
    return found


def _pod_managers(today: datetime.date, count: int) -> list[Staff]:
    """Pod managers with this week's group supervision of their pod open, opened as they
    would open it (bench/placeholders.py does the same for the demo pod manager)."""
    from pods.models import Team, Worker
    from pods.selectors import home_team
    from supervision import services

    found = []
    for worker in _candidates(today, [Worker.Role.POD_MANAGER]).iterator():
        pod = home_team(worker, today)
        if pod is None or pod.kind != Team.Kind.POD:
            continue
        session = services.group_session_open(pod=pod, day=today, by=worker)
        if session.is_open:
            found.append(Staff(worker.user.username, POD_MANAGER, session_id=session.pk))
        if len(found) == count:
            break
    return found


def _senior_leaders(today: datetime.date, count: int) -> list[Staff]:
    from pods.models import Worker

    workers = _candidates(today, [Worker.Role.SENIOR_LEADER])[:count]
    return [Staff(worker.user.username, SENIOR_LEADER) for worker in workers]


def _demo_key() -> str:
    from base64 import b32decode

    from accounts.demo_secret import DEMO_SECRET

    return b32decode(DEMO_SECRET).hex()  # as demo_device_enrol stores it


def _ready_to_sign_in(usernames: list[str], password: str) -> dict[str, int]:
    """Give each account the demo password if it has no usable one, and the demo
    authenticator app if it has no confirmed one (the candidates have no other app)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import demo_device_enrol

    users = list(get_user_model().objects.filter(username__in=usernames))
    without_password = [user.pk for user in users if not user.has_usable_password()]
    # One hash for them all: hashing costs most of a second each, and these accounts are the
    # benchmark's, signed in with the published demo password.
    get_user_model().objects.filter(pk__in=without_password).update(
        password=make_password(password)
    )
    with_app = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user", flat=True)
    )
    enrolled = [user for user in users if user.pk not in with_app]
    for user in enrolled:
        demo_device_enrol(user=user)
    return {"demo password given": len(without_password), "demo app enrolled": len(enrolled)}
