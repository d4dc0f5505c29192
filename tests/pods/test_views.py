"""The organisation screens: home pages by role, my pod, all teams and the duty rota."""

import datetime

import pytest
from django.utils import timezone

from pods.models import Absence, DutyRota, Worker
from pods.working_days import working_days_from
from tests.clients import signed_in_client
from tests.factories import make_pod_to_model, make_team, make_worker

pytestmark = pytest.mark.django_db


def _nav(response):
    return [item["text"] for item in response.context["navigation"]]


class TestNavigationDependsOnRole:
    def test_a_social_worker_sees_their_families_search_and_pod(self, social_worker_client):
        assert _nav(social_worker_client.get("/")) == [
            "Home",
            "My families",
            "Pod's families",
            "Find a family",
            "My pod",
            "Calendar",
            "Supervision",
            "Figures",
        ]

    def test_business_support_also_keeps_the_duty_rota(self, business_support_client):
        assert _nav(business_support_client.get("/")) == [
            "Home",
            "Pod's families",
            "Find a family",
            "My pod",
            "Calendar",
            "Supervision",
            "Figures",
            "Duty rota",
        ]

    def test_a_pod_manager_also_keeps_the_duty_rota(self, pod_manager_client):
        assert _nav(pod_manager_client.get("/")) == [
            "Home",
            "My families",
            "Pod's families",
            "Find a family",
            "My pod",
            "Calendar",
            "Supervision",
            "Figures",
            "Duty rota",
            "Audits",
            "Data quality",
            "Complaints",
            "Surveys",
        ]

    def test_a_senior_leader_sees_all_teams_and_break_glass_but_no_family_lists(
        self, senior_leader_client
    ):
        assert _nav(senior_leader_client.get("/")) == [
            "Home",
            "My team",
            "Supervision",
            "Figures",
            "Audits",
            "Surveys",
            "All teams",
            "Open a record",
        ]

    def test_an_administrator_also_sees_administration_and_the_security_log(self, admin_user):
        assert _nav(signed_in_client(admin_user).get("/")) == [
            "Home",
            "All teams",
            "Administration",
            "Security log",
        ]

    def test_the_current_page_is_marked_for_assistive_technology(self, social_worker_client):
        response = social_worker_client.get("/my-pod/")
        assert b'aria-current="page"' in response.content
        assert [i["text"] for i in response.context["navigation"] if i["active"]] == ["My pod"]


class TestHomePages:
    def test_a_social_worker_is_told_who_is_on_duty_today(
        self, social_worker_client, pod, social_worker
    ):
        today = timezone.localdate()
        colleague = make_worker(team=pod)
        DutyRota.objects.create(team=pod, date=today, worker=colleague)
        response = social_worker_client.get("/")
        assert response.templates[0].name == "home/practitioner.html"
        assert response.context["on_duty"].worker == colleague

    def test_a_pod_manager_sees_how_the_pod_differs_from_the_model(self, pod_manager_client):
        response = pod_manager_client.get("/")
        assert response.templates[0].name == "home/pod_manager.html"
        assert (
            "Social workers in training: 0 people, 1 below the model"
            in response.context["team_deviations"]
        )

    def test_business_support_sees_the_week_of_duty(self, business_support_client):
        response = business_support_client.get("/")
        assert response.templates[0].name == "home/business_support.html"
        assert len(response.context["rota"]) == 5

    def test_a_senior_leader_sees_the_service_and_its_agency_rate(self, senior_leader_client, pod):
        make_worker(team=pod, employment=Worker.Employment.AGENCY)
        make_worker(team=pod)
        make_worker(team=pod)
        make_worker(team=pod)
        response = senior_leader_client.get("/")
        assert response.templates[0].name == "home/service.html"
        assert response.context["agency_rate"] == 25
        assert response.context["pod_count"] == 1


class TestMyPod:
    def test_it_lists_members_with_roles_fte_leave_and_duty(
        self, social_worker_client, pod, social_worker
    ):
        today = timezone.localdate()
        away = make_worker(team=pod, fte="0.6")
        Absence.objects.create(worker=away, kind=Absence.Kind.SICKNESS, start=today, end=today)
        DutyRota.objects.create(team=pod, date=today, worker=social_worker)
        response = social_worker_client.get("/my-pod/")
        rows = {row.worker: row for row in response.context["roster"]}
        assert rows[away].absence.kind == Absence.Kind.SICKNESS
        assert rows[social_worker].on_duty
        assert b"0.6" in response.content
        assert b"Sickness" not in response.content, "a colleague sees Away, not why"

    def test_it_leaves_out_people_who_have_left(self, social_worker_client, pod):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        leaver = make_worker(team=pod, leave_date=yesterday)
        response = social_worker_client.get("/my-pod/")
        assert leaver not in [row.worker for row in response.context["roster"]]

    def test_its_query_count_does_not_grow_with_the_pod(self, django_assert_max_num_queries, db):
        pod = make_pod_to_model()
        manager = pod.memberships.get(worker__role=Worker.Role.POD_MANAGER).worker
        for _ in range(10):
            make_worker(team=pod)
        client = signed_in_client(manager.user)
        # session, user, worker, home team (2), establishment, roster, absences, duty,
        # rota permission (2), visits due (statuses, last seen), and the session save.
        with django_assert_max_num_queries(15):
            client.get("/my-pod/")

    def test_someone_with_no_team_is_told_so(self, db):
        lonely = make_worker()
        client = signed_in_client(lonely.user)
        response = client.get("/my-pod/")
        assert response.status_code == 404
        assert b"You are not in a team" in response.content


class TestTeams:
    def test_all_teams_is_for_leaders_only(self, social_worker_client, pod_manager_client):
        assert social_worker_client.get("/teams/").status_code == 403
        assert pod_manager_client.get("/teams/").status_code == 403

    def test_all_teams_shows_every_team_with_deviations(self, senior_leader_client):
        make_pod_to_model("Oak Pod")
        short = make_team(name="Ash Pod")
        make_worker(role=Worker.Role.POD_MANAGER, team=short)
        response = senior_leader_client.get("/teams/")
        teams = {team.name: deviation_list for team, deviation_list in response.context["teams"]}
        assert teams["Oak Pod"] == []
        assert "Business support officer: 0 people, 1 below the model" in teams["Ash Pod"]
        assert teams["Leadership Team"] == []

    def test_all_teams_makes_the_same_number_of_queries_for_more_teams(
        self, senior_leader_client, django_assert_max_num_queries
    ):
        for _ in range(15):
            make_pod_to_model(name=None)
        # session, user, the second factor's device (django-otp, every request), worker,
        # teams with their establishment, and the session save (an UPDATE between a
        # SAVEPOINT and its RELEASE)
        with django_assert_max_num_queries(8):
            senior_leader_client.get("/teams/")

    def test_a_team_page_is_open_to_its_members_and_leaders_only(
        self, social_worker_client, outsider_client, senior_leader_client, pod
    ):
        assert social_worker_client.get(f"/teams/{pod.pk}/").status_code == 200
        assert senior_leader_client.get(f"/teams/{pod.pk}/").status_code == 200
        assert outsider_client.get(f"/teams/{pod.pk}/").status_code == 403


class TestDutyRota:
    def _day(self):
        return working_days_from(timezone.localdate(), 3)[2]

    def test_it_is_kept_by_business_support_and_pod_managers_only(self, social_worker_client):
        assert social_worker_client.get("/duty-rota/").status_code == 403
        assert social_worker_client.post("/duty-rota/", {}).status_code == 403

    def test_business_support_puts_a_colleague_on_duty(
        self, business_support_client, social_worker, pod
    ):
        day = self._day()
        response = business_support_client.post(
            "/duty-rota/", {"date": day.isoformat(), "worker": social_worker.pk}
        )
        assert response.status_code == 302
        assert DutyRota.objects.get(team=pod, date=day).worker == social_worker

    def test_a_day_can_be_cleared(self, business_support_client, social_worker, pod):
        day = self._day()
        DutyRota.objects.create(team=pod, date=day, worker=social_worker)
        business_support_client.post("/duty-rota/", {"date": day.isoformat(), "worker": ""})
        assert not DutyRota.objects.filter(team=pod, date=day).exists()

    def test_someone_from_another_pod_cannot_be_put_on_duty(
        self, business_support_client, outsider, pod
    ):
        response = business_support_client.post(
            "/duty-rota/", {"date": self._day().isoformat(), "worker": outsider.pk}
        )
        assert response.status_code == 400
        assert b"Choose a member of the team" in response.content
        assert not DutyRota.objects.filter(team=pod).exists()

    def test_someone_on_leave_that_day_cannot_be_put_on_duty(
        self, business_support_client, social_worker, pod
    ):
        day = self._day()
        Absence.objects.create(
            worker=social_worker, kind=Absence.Kind.ANNUAL_LEAVE, start=day, end=day
        )
        response = business_support_client.post(
            "/duty-rota/", {"date": day.isoformat(), "worker": social_worker.pk}
        )
        assert response.status_code == 400
        assert "is away on" in response.content.decode()
        assert b"There is a problem" in response.content
        assert not DutyRota.objects.filter(team=pod).exists()

    def test_a_day_not_on_the_rota_is_refused(self, business_support_client, social_worker, pod):
        response = business_support_client.post(
            "/duty-rota/", {"date": "2001-01-01", "worker": social_worker.pk}
        )
        assert response.status_code == 400
        assert b"Choose a day shown on the rota" in response.content
        assert not DutyRota.objects.exists()
