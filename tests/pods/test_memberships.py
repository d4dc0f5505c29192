"""Memberships over time, and the team groups that follow them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pods import services
from pods.models import Team, TeamMembership
from tests.factories import make_membership, make_team, make_worker

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


def _team_groups(worker):
    return set(worker.user.groups.filter(team__isnull=False).values_list("team__name", flat=True))


def test_every_team_owns_one_group_named_after_it():
    team = make_team(name="Oak Pod")
    assert team.group.name == "Team: Oak Pod"
    assert team.group.team == team


def test_a_worker_joining_a_team_today_is_in_its_group():
    team = make_team()
    worker = make_worker()
    services.membership_start(worker=worker, team=team, start=TODAY, today=TODAY)
    assert _team_groups(worker) == {team.name}


def test_a_future_membership_does_not_give_the_group_until_it_starts():
    team = make_team()
    worker = make_worker()
    start = TODAY + datetime.timedelta(days=10)
    services.membership_start(worker=worker, team=team, start=start, today=TODAY)
    assert _team_groups(worker) == set()
    services.sync_all_team_groups(today=start)
    assert _team_groups(worker) == {team.name}


def test_ending_a_membership_removes_the_group_once_it_has_ended():
    team = make_team()
    worker = make_worker()
    membership = services.membership_start(
        worker=worker, team=team, start=datetime.date(2025, 1, 1), today=TODAY
    )
    services.membership_end(membership=membership, end=TODAY, today=TODAY)
    assert _team_groups(worker) == {team.name}, "still a member on the last day"
    services.sync_all_team_groups(today=TODAY + datetime.timedelta(days=1))
    assert _team_groups(worker) == set()


def test_moving_pods_swaps_the_groups_and_keeps_the_history():
    oak, ash = make_team(name="Oak Pod"), make_team(name="Ash Pod")
    worker = make_worker()
    first = services.membership_start(
        worker=worker, team=oak, start=datetime.date(2024, 1, 1), today=TODAY
    )
    services.membership_end(membership=first, end=TODAY - datetime.timedelta(days=1), today=TODAY)
    services.membership_start(worker=worker, team=ash, start=TODAY, today=TODAY)
    assert _team_groups(worker) == {"Ash Pod"}
    assert list(worker.memberships.order_by("start").values_list("team__name", flat=True)) == [
        "Oak Pod",
        "Ash Pod",
    ]
    assert first.history.count() == 2  # created, then ended


def test_groups_that_belong_to_no_team_are_left_alone():
    from django.contrib.auth.models import Group

    auditors = Group.objects.create(name="Auditors")
    worker = make_worker()
    worker.user.groups.add(auditors)
    services.membership_start(worker=worker, team=make_team(), start=TODAY, today=TODAY)
    assert worker.user.groups.filter(name="Auditors").exists()


def test_a_worker_in_a_pod_and_a_specialist_team_at_once_is_allowed():
    pod = make_team()
    forum = make_team(kind=Team.Kind.SPECIALIST)
    worker = make_worker(team=pod)
    make_membership(worker=worker, team=forum)
    assert worker.memberships.count() == 2


def test_overlapping_memberships_of_one_team_are_refused_naming_the_start():
    team = make_team(name="Oak Pod")
    worker = make_worker(team=team, member_from=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        make_membership(worker=worker, team=team, start=datetime.date(2025, 3, 1))
    assert (
        "is already in Oak Pod from 1 January 2024 with no end date"
        in error.value.message_dict["start"][0]
    )
    assert worker.memberships.count() == 1


def test_a_worker_in_two_pods_at_once_is_refused_naming_the_team():
    oak, ash = make_team(name="Oak Pod"), make_team(name="Ash Pod")
    worker = make_worker(team=oak, member_from=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        make_membership(worker=worker, team=ash, start=datetime.date(2025, 3, 1))
    assert "already in Oak Pod" in error.value.message_dict["team"][0]
    assert "one pod at a time" in error.value.message_dict["team"][0]
    assert not worker.memberships.filter(team=ash).exists()
    assert _team_groups(worker) == {"Oak Pod"}


def test_the_database_itself_refuses_overlapping_memberships_of_one_team():
    team = make_team()
    worker = make_worker(team=team, member_from=datetime.date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(worker=worker, team=team, start=datetime.date(2024, 6, 1))


def test_a_membership_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as error:
        make_membership(
            worker=make_worker(),
            team=make_team(),
            start=datetime.date(2025, 1, 10),
            end=datetime.date(2025, 1, 1),
        )
    assert "end" in error.value.message_dict


def test_a_leaver_loses_the_team_groups_and_the_sign_in_after_the_last_day():
    team = make_team()
    worker = make_worker(leave_date=TODAY)
    services.membership_start(
        worker=worker, team=team, start=datetime.date(2024, 1, 1), today=TODAY
    )
    services.sync_all_team_groups(today=TODAY)
    worker.user.refresh_from_db()
    assert _team_groups(worker) == {team.name} and worker.user.is_active, (
        "still there on the last day"
    )

    services.sync_all_team_groups(today=TODAY + datetime.timedelta(days=1))
    worker.user.refresh_from_db()
    assert _team_groups(worker) == set()
    assert not worker.user.is_active


def test_the_daily_sync_never_switches_a_suspended_sign_in_back_on():
    worker = make_worker(team=make_team())
    worker.user.is_active = False
    worker.user.save()
    services.sync_all_team_groups(today=TODAY)
    worker.user.refresh_from_db()
    assert not worker.user.is_active
