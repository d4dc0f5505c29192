"""Role and team changes go to the security log (DESIGN §5), with the actor when known:
ROLE_CHANGED whenever a worker's role is given or changed, TEAM_CHANGED whenever a membership
starts, ends, is changed or is deleted, from the services, admin and the seed alike."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from accounts.models import SecurityEvent
from pods import services
from pods.models import TeamMembership, Worker
from tests.clients import signed_in_client
from tests.factories import PASSWORD, make_team, make_worker

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def root():
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


def _events(kind, worker):
    return SecurityEvent.objects.filter(
        kind=kind, target_type="pods.worker", target_id=str(worker.pk)
    ).order_by("pk")


class TestAccessChangesToAWorker:
    def test_a_new_line_manager_is_logged_as_they_may_then_read_wellbeing_notes(self, root):
        manager = make_worker(role=Worker.Role.POD_MANAGER)
        worker = make_worker(role=Worker.Role.SOCIAL_WORKER)
        worker.line_manager = manager
        services.worker_save(worker=worker, actor=root)
        event = _events(Kind.USER_CHANGED, worker).get()
        assert event.user == root
        assert event.detail == f"Line manager changed from nobody to {manager}"

    def test_a_new_leave_date_is_logged(self, root):
        worker = make_worker(role=Worker.Role.SOCIAL_WORKER)
        worker.leave_date = TODAY
        services.worker_save(worker=worker, actor=root)
        assert f"Leave date changed from None to {TODAY}" in (
            _events(Kind.USER_CHANGED, worker).get().detail
        )

    def test_a_change_to_neither_logs_nothing(self):
        worker = make_worker(role=Worker.Role.SOCIAL_WORKER)
        worker.fte = "0.8"
        services.worker_save(worker=worker)
        assert not _events(Kind.USER_CHANGED, worker).exists()


class TestRoleChanged:
    def test_a_new_worker_is_given_their_role_in_the_log(self, root):
        worker = services.worker_create(
            username="new",
            first_name="New",
            last_name="Starter",
            role=Worker.Role.SOCIAL_WORKER,
            fte=1,
            start_date=TODAY,
            actor=root,
        )
        event = _events(Kind.ROLE_CHANGED, worker).get()
        assert event.user == root
        assert event.detail == "Role given: Social worker"

    def test_a_change_of_role_is_logged_with_both_roles_and_who_made_it(self, root):
        worker = make_worker(role=Worker.Role.SOCIAL_WORKER)
        worker.role = Worker.Role.SENIOR_SOCIAL_WORKER
        services.worker_save(worker=worker, actor=root)
        event = _events(Kind.ROLE_CHANGED, worker).last()
        assert event.user == root
        assert event.detail == "Role changed from Social worker to Senior social worker"

    def test_saving_a_worker_without_changing_the_role_logs_no_role_change(self):
        worker = make_worker(role=Worker.Role.SOCIAL_WORKER)
        before = _events(Kind.ROLE_CHANGED, worker).count()
        worker.fte = "0.8"
        services.worker_save(worker=worker)
        assert _events(Kind.ROLE_CHANGED, worker).count() == before

    def test_a_role_changed_in_admin_is_logged_with_the_administrator(self, root):
        worker = make_worker(role=Worker.Role.SOCIAL_WORKER)
        response = signed_in_client(root).post(
            f"/admin/pods/worker/{worker.pk}/change/",
            {
                "user": worker.user_id,
                "role": "pod_manager",
                "specialism": "",
                "fte": "1",
                "employment": "permanent",
                "start_date": "2020-01-01",
                "leave_date": "",
                "line_manager": "",
            },
        )
        assert response.status_code == 302
        event = _events(Kind.ROLE_CHANGED, worker).last()
        assert event.user == root
        assert event.detail == "Role changed from Social worker to Pod manager"
        assert event.address is not None, "the request's address is kept"


class TestTeamChanged:
    def test_starting_a_membership_is_logged(self, root):
        team, worker = make_team(name="Oak Pod"), make_worker()
        services.membership_start(worker=worker, team=team, start=TODAY, today=TODAY, actor=root)
        event = _events(Kind.TEAM_CHANGED, worker).get()
        assert event.user == root
        assert event.detail == "Joined Oak Pod from 15 June 2026 with no end date"

    def test_ending_a_membership_is_logged(self):
        team, worker = make_team(name="Oak Pod"), make_worker()
        membership = services.membership_start(
            worker=worker, team=team, start=datetime.date(2025, 1, 1), today=TODAY
        )
        services.membership_end(membership=membership, end=TODAY, today=TODAY)
        event = _events(Kind.TEAM_CHANGED, worker).last()
        assert event.user is None
        assert event.detail == (
            "Membership of Oak Pod changed: end from none to 15 June 2026 "
            "(now 1 January 2025 to 15 June 2026)"
        )

    def test_deleting_a_membership_is_logged(self, root):
        team, worker = make_team(name="Oak Pod"), make_worker()
        membership = services.membership_start(
            worker=worker, team=team, start=datetime.date(2025, 1, 1), today=TODAY
        )
        services.membership_delete(membership=membership, today=TODAY, actor=root)
        event = _events(Kind.TEAM_CHANGED, worker).last()
        assert event.user == root
        assert event.detail == "Membership of Oak Pod deleted (1 January 2025 with no end date)"

    def test_saving_a_membership_unchanged_logs_nothing(self):
        team, worker = make_team(), make_worker()
        membership = services.membership_start(worker=worker, team=team, start=TODAY, today=TODAY)
        services.membership_save(membership=membership, today=TODAY)
        assert _events(Kind.TEAM_CHANGED, worker).count() == 1

    def test_a_membership_refused_by_validation_is_not_logged(self):
        team, worker = make_team(), make_worker()
        services.membership_start(worker=worker, team=team, start=TODAY, today=TODAY)
        with pytest.raises(Exception, match="already in"):
            services.membership_start(worker=worker, team=team, start=TODAY, today=TODAY)
        assert _events(Kind.TEAM_CHANGED, worker).count() == 1

    def test_memberships_changed_in_admin_are_logged_with_the_administrator(self, root):
        team, worker = make_team(name="Oak Pod"), make_worker()
        client = signed_in_client(root)
        response = client.post(
            "/admin/pods/teammembership/add/",
            {"worker": worker.pk, "team": team.pk, "start": "2025-01-01", "end": ""},
        )
        assert response.status_code == 302
        membership = TeamMembership.objects.get(worker=worker)
        response = client.post(
            f"/admin/pods/teammembership/{membership.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 302
        details = list(_events(Kind.TEAM_CHANGED, worker).values_list("user__username", "detail"))
        assert details == [
            ("root", "Joined Oak Pod from 1 January 2025 with no end date"),
            ("root", "Membership of Oak Pod deleted (1 January 2025 with no end date)"),
        ]
