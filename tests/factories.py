"""Factories for tests, in one place. They create through pods.services, as the app does,
so a factory-made team has its group and a factory-made membership puts the worker in it."""

import datetime
import itertools
from decimal import Decimal

from pods import services
from pods.models import Team, TeamMembership, Worker

PASSWORD = "a-test-password-of-length"
_sequence = itertools.count(1)
LONG_AGO = datetime.date(2020, 1, 1)


def make_team(*, name=None, kind=Team.Kind.POD, active_from=LONG_AGO, **extra) -> Team:
    return services.team_create(
        name=name or f"Team {next(_sequence)}", kind=kind, active_from=active_from, **extra
    )


def make_worker(
    *,
    role=Worker.Role.SOCIAL_WORKER,
    team: Team | None = None,
    fte="1",
    start_date=LONG_AGO,
    member_from=None,
    username=None,
    password=None,
    **extra,
) -> Worker:
    """A worker in ``team`` from ``member_from`` when given. Pass password=PASSWORD for one
    who signs in through the sign-in page (hashing is slow, so only those tests do)."""
    n = next(_sequence)
    worker = services.worker_create(
        username=username or f"worker{n}",
        first_name="Test",
        last_name=f"Worker {n}",
        role=role,
        fte=Decimal(fte),
        start_date=start_date,
        password=password,
        **extra,
    )
    if team is not None:
        make_membership(worker=worker, team=team, start=member_from or start_date)
    return worker


def make_membership(*, worker, team, start=LONG_AGO, end=None) -> TeamMembership:
    return services.membership_start(worker=worker, team=team, start=start, end=end)


def make_pod_to_model(name="Model Pod") -> Team:
    """A pod staffed exactly as the establishment model describes."""
    team = make_team(name=name)
    make_worker(role=Worker.Role.POD_MANAGER, team=team)
    make_worker(role=Worker.Role.SENIOR_SOCIAL_WORKER, team=team)
    make_worker(role=Worker.Role.SENIOR_SOCIAL_WORKER, team=team)
    for _ in range(5):
        make_worker(role=Worker.Role.SOCIAL_WORKER, team=team)
    make_worker(role=Worker.Role.STUDENT_SOCIAL_WORKER, team=team)
    make_worker(role=Worker.Role.BUSINESS_SUPPORT_OFFICER, team=team)
    return team
