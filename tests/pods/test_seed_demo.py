"""The demo authority: every role can sign in, the shape follows the seeds, and a seed gives
the same authority every time."""

import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from pods import demo
from pods.models import Team, TeamMembership, Worker

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


def _build(seed=7, scale=0.1):
    return demo.build(rng=random.Random(seed), today=TODAY, scale=scale)


def _fingerprint():
    return sorted(
        Worker.objects.values_list(
            "user__username", "role", "fte", "employment", "start_date", "leave_date"
        )
    )


def test_there_is_a_demo_sign_in_for_every_role_the_readme_lists():
    _build()
    User = get_user_model()
    for username, _first, _last, role, _team in demo.DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.worker.role == role
    admin = User.objects.get(username=demo.ADMIN_USERNAME)
    assert admin.is_superuser and admin.check_password(demo.DEMO_PASSWORD)


def test_the_pod_demo_accounts_share_one_pod():
    _build()
    pods = {
        TeamMembership.objects.current_on(TODAY).get(worker__user__username=username).team.name
        for username, *_rest, team_key in demo.DEMO_ACCOUNTS
        if team_key == "pod:0"
    }
    assert pods == {"Ash Pod"}


def test_the_city_has_about_twenty_pods_an_adolescent_pod_and_the_specialist_teams():
    counts = _build(scale=1)
    teams = Team.objects.all()
    assert teams.filter(kind=Team.Kind.POD).count() == 20
    assert teams.filter(name="Adolescent Pod").exists()
    for name in (
        "Family Assessment Centre",
        "Fostering",
        "Front Door for Families",
        "Leadership Team",
    ):
        assert teams.filter(name=name).exists(), name
    assert 180 <= counts["in post today"] <= 260
    assert counts["workers"] > counts["in post today"], "three years of leavers"


def test_turnover_and_agency_use_have_a_history_that_falls():
    _build(scale=1)
    social_work = Worker.objects.filter(
        role__in=[Worker.Role.SOCIAL_WORKER, Worker.Role.SENIOR_SOCIAL_WORKER]
    )

    def agency_rate(day):
        in_post = social_work.employed_on(day)
        return in_post.filter(employment=Worker.Employment.AGENCY).count() / in_post.count()

    three_years_ago = TODAY.replace(year=TODAY.year - 3)
    assert agency_rate(three_years_ago) > 0.1
    assert agency_rate(TODAY) < agency_rate(three_years_ago)
    leavers = social_work.filter(leave_date__gte=three_years_ago, leave_date__lte=TODAY).count()
    assert leavers > 0


def test_the_same_seed_builds_the_same_authority():
    with transaction.atomic():
        _build(seed=11)
        first = _fingerprint()
        transaction.set_rollback(True)
    assert not Worker.objects.exists()
    _build(seed=11)
    assert _fingerprint() == first


def test_seed_demo_refuses_a_database_that_already_has_teams():
    _build()
    with pytest.raises(CommandError, match="already has teams"):
        call_command("seed_demo", "--scale", "0.1")


def test_seed_demo_if_empty_leaves_an_existing_authority_alone():
    _build()
    before = Worker.objects.count()
    call_command("seed_demo", "--if-empty")
    assert Worker.objects.count() == before
