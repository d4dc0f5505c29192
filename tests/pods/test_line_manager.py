"""A worker's named line manager: kept with its history, never oneself, set in admin and by
the demo seed (pod staff to their pod manager, team leads to a senior leader)."""

import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from pods import demo, services
from pods.models import Team, TeamMembership, Worker
from tests.clients import signed_in_client
from tests.factories import PASSWORD, make_team, make_worker

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


def test_a_worker_can_be_created_with_a_line_manager():
    manager = make_worker(role=Worker.Role.POD_MANAGER)
    worker = make_worker(line_manager=manager)
    worker.refresh_from_db()
    assert worker.line_manager == manager
    assert list(manager.line_reports.all()) == [worker]


def test_a_change_of_line_manager_is_kept_in_the_workers_history():
    first, second = (
        make_worker(role=Worker.Role.POD_MANAGER),
        make_worker(role=Worker.Role.POD_MANAGER),
    )
    worker = make_worker(line_manager=first)
    worker.line_manager = second
    services.worker_save(worker=worker)
    managers = [row.line_manager_id for row in worker.history.order_by("history_id")]
    assert managers == [first.pk, second.pk]


def test_a_worker_cannot_be_their_own_line_manager():
    worker = make_worker()
    worker.line_manager = worker
    with pytest.raises(ValidationError) as error:
        services.worker_save(worker=worker)
    assert error.value.message_dict["line_manager"] == ["A worker cannot be their own line manager"]
    worker.refresh_from_db()
    assert worker.line_manager is None


def test_an_administrator_sets_the_line_manager_in_admin():
    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    manager = make_worker(role=Worker.Role.POD_MANAGER)
    worker = make_worker()
    response = signed_in_client(root).post(
        f"/admin/pods/worker/{worker.pk}/change/",
        {
            "user": worker.user_id,
            "role": worker.role,
            "specialism": "",
            "fte": "1",
            "employment": "permanent",
            "start_date": "2020-01-01",
            "leave_date": "",
            "line_manager": manager.pk,
        },
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.line_manager == manager


class TestTheDemoSeed:
    @pytest.fixture
    def built(self):
        demo.build(rng=random.Random(7), today=TODAY, scale=0.1)

    def _current_team(self, worker):
        return TeamMembership.objects.current_on(TODAY).filter(worker=worker).get().team

    def test_pod_staff_in_post_are_line_managed_by_their_pod_manager(self, built):
        for pod in Team.objects.pods():
            staff = Worker.objects.employed_on(TODAY).filter(
                memberships__in=TeamMembership.objects.current_on(TODAY).filter(team=pod)
            )
            manager = staff.filter(role=Worker.Role.POD_MANAGER).first()
            for worker in staff.exclude(role=Worker.Role.POD_MANAGER):
                if manager is not None:
                    assert worker.line_manager == manager, worker
                else:  # the post is vacant today: a senior leader steps in
                    assert worker.line_manager.role == Worker.Role.SENIOR_LEADER, worker

    def test_pod_managers_and_other_team_leads_are_line_managed_by_a_senior_leader(self, built):
        leads = Worker.objects.employed_on(TODAY).filter(
            role__in=[Worker.Role.POD_MANAGER, Worker.Role.PRINCIPAL_SOCIAL_WORKER]
        )
        assert leads.exists()
        for lead in leads:
            assert lead.line_manager is not None, lead
            assert lead.line_manager.role == Worker.Role.SENIOR_LEADER, lead

    def test_the_demo_pod_manager_is_line_managed_by_the_demo_senior_leader(self, built):
        pod_manager = Worker.objects.get(user__username="pod-manager")
        assert pod_manager.line_manager.user.username == "senior-leader"
        social_worker = Worker.objects.get(user__username="social-worker")
        assert social_worker.line_manager == pod_manager

    def test_everyone_in_post_but_the_head_of_service_has_a_line_manager(self, built):
        without = Worker.objects.employed_on(TODAY).filter(line_manager__isnull=True)
        assert [worker.user.username for worker in without] == ["senior-leader"]

    def test_the_same_seed_names_the_same_line_managers(self):
        def fingerprint():
            return sorted(
                Worker.objects.values_list("user__username", "line_manager__user__username")
            )

        with transaction.atomic():
            demo.build(rng=random.Random(11), today=TODAY, scale=0.1)
            first = fingerprint()
            transaction.set_rollback(True)
        demo.build(rng=random.Random(11), today=TODAY, scale=0.1)
        assert fingerprint() == first
        assert any(manager for _worker, manager in first)


def test_make_team_and_worker_still_work_without_a_line_manager():
    worker = make_worker(team=make_team())
    assert worker.line_manager is None
