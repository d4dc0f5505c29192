"""The list behind a feedback figure: what the figure counts (for a percentage, the misses),
as far as the viewer may open it, with the count of the rest."""

import datetime

import pytest

from families import services as family_services
from reporting.kpis import Period, Scope
from reporting.kpis.feedback_behind import ids_behind
from tests.clients import client_for
from tests.factories import make_complaint
from tests.families.conftest import REFERRED, refer

pytestmark = pytest.mark.django_db
D = datetime.date
MARCH = Period(2026, 3)
URL = "/reports/feedback/{key}/2026-03/{scope}/"


@pytest.fixture
def complaints(family, pod, other_pod, outsider, senior_leader):
    """Two of the pod's in March (one answered late, one in time), one of another pod's
    answered late, and one in April."""
    does = refer(name="The Doe family", child=("Sam", "Doe", D(2014, 2, 2)))
    family_services.family_allocate(family=does, team=other_pod, worker=outsider, start=REFERRED)
    by = senior_leader.user
    return {
        "ours_late": make_complaint(received=D(2026, 3, 2), family=family,
                                    responded=D(2026, 3, 27), recorded_by=by),
        "ours_in_time": make_complaint(received=D(2026, 3, 3), team=pod,
                                       responded=D(2026, 3, 10), recorded_by=by),
        "theirs_late": make_complaint(received=D(2026, 3, 4), family=does,
                                      responded=D(2026, 3, 31), recorded_by=by),
        "april": make_complaint(received=D(2026, 4, 1), family=family, recorded_by=by),
    }  # fmt: skip


def test_behind_a_count_are_the_months_complaints(complaints):
    ids = set(ids_behind("stage_1_complaints", MARCH, Scope.authority()))
    assert ids == {complaints[key].pk for key in ("ours_late", "ours_in_time", "theirs_late")}


def test_behind_a_percentage_are_the_responses_not_in_time(complaints):
    ids = set(ids_behind("stage_1_responses_in_time", MARCH, Scope.authority()))
    assert ids == {complaints[key].stages.get().pk for key in ("ours_late", "theirs_late")}


def test_a_teams_list_is_the_teams(complaints, pod):
    ids = set(ids_behind("stage_1_complaints", MARCH, Scope.of_team(pod)))
    assert ids == {complaints["ours_late"].pk, complaints["ours_in_time"].pk}


def test_the_pod_manager_sees_their_pods_complaints_listed_and_no_other(
    complaints, pod, pod_manager
):
    content = _page(pod_manager, "stage_1_complaints", f"team-{pod.pk}")
    assert complaints["ours_late"].reference in content
    assert complaints["ours_in_time"].reference in content
    assert complaints["theirs_late"].reference not in content


def test_a_senior_leader_sees_the_count_and_no_complaint(complaints, senior_leader):
    # A reader of every figure, but not of complaints: the count includes them all, none is
    # listed, no family is named.
    content = _page(senior_leader, "stage_1_complaints", "authority")
    assert 'data-testid="hidden">3 of these' in content
    for complaint in complaints.values():
        assert complaint.reference not in content
    assert "Doe" not in content and "Okafor" not in content


def test_a_figure_without_such_a_list_is_404(senior_leader):
    response = client_for(senior_leader).get(URL.format(key="open_children", scope="authority"))
    assert response.status_code == 404


def test_an_outsider_gets_404_for_another_pods_list(complaints, pod, outsider):
    response = client_for(outsider).get(
        URL.format(key="stage_1_complaints", scope=f"team-{pod.pk}")
    )
    assert response.status_code == 404


def _page(worker, key, scope) -> str:
    response = client_for(worker).get(URL.format(key=key, scope=scope))
    assert response.status_code == 200
    return response.content.decode()
