"""The wellbeing section of a 1:1 (DESIGN §4): read only by the supervisor, the supervisee and
the supervisor's own line manager at the time of the request; everyone else who may open the
1:1 sees it without that section; each read of the section is in the security log."""

import datetime

import pytest

from accounts.models import SecurityEvent
from pods import services as pod_services
from pods.models import Team, Worker
from supervision import permissions, services
from tests.clients import client_for
from tests.factories import make_team, make_worker

pytestmark = pytest.mark.django_db

NOTES = "Finding the Okafor visits hard after her own loss"


@pytest.fixture
def leadership(db):
    return make_team(name="Leadership Team", kind=Team.Kind.LEADERSHIP)


@pytest.fixture
def line_manager(leadership, pod_manager):
    """The senior leader who line manages the pod manager."""
    leader = make_worker(role=Worker.Role.SENIOR_LEADER, team=leadership, username="lm")
    pod_manager.line_manager = leader
    pod_services.worker_save(worker=pod_manager)
    return leader


@pytest.fixture
def another_senior_leader(leadership):
    return make_worker(role=Worker.Role.SENIOR_LEADER, team=leadership, username="other-leader")


@pytest.fixture
def one_to_one(pod_manager, social_worker, today):
    return services.one_to_one_record(
        supervisor=pod_manager, supervisee=social_worker, date=today, wellbeing=NOTES
    )


def _url(one_to_one):
    return f"/supervision/one-to-one/{one_to_one.pk}/"


def _wellbeing_reads():
    return SecurityEvent.objects.filter(kind=SecurityEvent.Kind.WELLBEING_READ)


class TestWhoReadsTheWellbeingSection:
    def test_the_supervisor_the_supervisee_and_the_supervisors_line_manager_only(
        self, pod, pod_manager, social_worker, line_manager, another_senior_leader, one_to_one
    ):
        colleague = make_worker(role=Worker.Role.SENIOR_SOCIAL_WORKER, team=pod)
        readers = {
            worker.user.username: permissions.can_user_read_wellbeing(worker.user, one_to_one)
            for worker in (social_worker, pod_manager, line_manager, another_senior_leader)
        } | {"colleague": permissions.can_user_read_wellbeing(colleague.user, one_to_one)}
        assert readers == {
            "sw": True,
            "pm": True,
            "lm": True,
            "other-leader": False,
            "colleague": False,
        }

    def test_it_follows_the_line_manager_at_the_time_of_the_request(
        self, pod_manager, line_manager, another_senior_leader, one_to_one
    ):
        pod_manager.line_manager = another_senior_leader
        pod_services.worker_save(worker=pod_manager)
        assert not permissions.can_user_read_wellbeing(line_manager.user, one_to_one)
        assert permissions.can_user_read_wellbeing(another_senior_leader.user, one_to_one)

    def test_a_line_manager_who_has_left_reads_it_no_more(
        self, pod_manager, line_manager, one_to_one, today
    ):
        line_manager.leave_date = today - datetime.timedelta(days=1)
        pod_services.worker_save(worker=line_manager)
        assert not permissions.can_user_read_wellbeing(line_manager.user, one_to_one)

    def test_an_account_with_no_worker_reads_it_never(self, one_to_one, django_user_model):
        root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
        assert not permissions.can_user_read_wellbeing(root, one_to_one)


class TestTheOneToOnePage:
    def test_the_line_manager_reads_the_section_and_the_read_is_logged(
        self, line_manager, one_to_one
    ):
        response = client_for(line_manager).get(_url(one_to_one))
        assert response.status_code == 200
        assert NOTES in response.content.decode()
        event = _wellbeing_reads().get()
        assert event.user == line_manager.user
        assert (event.target_type, event.target_id) == (
            "supervision.onetoonesupervision",
            str(one_to_one.pk),
        )

    def test_each_read_is_logged_also_by_the_two_people_in_it(
        self, pod_manager, social_worker, one_to_one
    ):
        client_for(social_worker).get(_url(one_to_one))
        client_for(pod_manager).get(_url(one_to_one))
        client_for(pod_manager).get(_url(one_to_one))
        users = sorted(_wellbeing_reads().values_list("user__username", flat=True))
        assert users == ["pm", "pm", "sw"]

    def test_another_senior_leader_sees_the_1_to_1_without_the_wellbeing_section(
        self, line_manager, another_senior_leader, one_to_one
    ):
        response = client_for(another_senior_leader).get(_url(one_to_one))
        assert response.status_code == 200
        page = response.content.decode()
        assert NOTES not in page
        assert 'data-testid="wellbeing"' not in page
        assert not _wellbeing_reads().exists(), "nothing was read, so nothing is logged"

    def test_a_colleague_in_the_pod_still_gets_404(self, pod, one_to_one):
        colleague = make_worker(role=Worker.Role.SENIOR_SOCIAL_WORKER, team=pod)
        assert client_for(colleague).get(_url(one_to_one)).status_code == 404
        assert not _wellbeing_reads().exists()

    def test_the_line_manager_may_open_the_1_to_1_even_when_not_a_senior_leader(
        self, pod, pod_manager, social_worker, today
    ):
        """A line manager outside the supervisor's supervisors still gets in (DESIGN: the
        supervisor's own supervisor is the named line manager)."""
        principal = make_worker(role=Worker.Role.PRINCIPAL_SOCIAL_WORKER)
        pod_manager.line_manager = principal
        pod_services.worker_save(worker=pod_manager)
        supervision = services.one_to_one_record(
            supervisor=pod_manager, supervisee=social_worker, date=today, wellbeing=NOTES
        )
        response = client_for(principal).get(_url(supervision))
        assert response.status_code == 200
        assert NOTES in response.content.decode()
