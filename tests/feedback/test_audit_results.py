"""Results: % of moderated audits good or better (after moderation), with n, per quarter, per
pod and per plan type, against figures counted by hand; who sees which pods."""

import pytest

from feedback.audits.results import audit_results, plan_type_totals
from feedback.models.audits import Audit, AuditProgramme, Grade
from pods.models import Worker
from tests.clients import client_for
from tests.factories import make_team, make_worker
from tests.families.conftest import refer

pytestmark = pytest.mark.django_db
G, RI = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT


def add(programme, team, family, plan, overall, status=Audit.Status.MODERATED):
    return Audit.objects.create(
        programme=programme, family=family, team=team, plan_type=plan, overall=overall,
        auditor_overall=overall, status=status,
    )  # fmt: skip


@pytest.fixture
def moderated(front_door, pod, other_pod):
    """Q1 2016: Oak Pod cin G, cin RI, cin RI, cp G; Ash Pod cp outstanding, cla inadequate.
    Q2 2016: Oak Pod other G. Not counted: one submitted (not moderated) in Oak Pod."""
    family = refer()
    q1 = AuditProgramme.objects.create(year=2016, quarter=1)
    q2 = AuditProgramme.objects.create(year=2016, quarter=2)
    for plan, grade in (("cin", G), ("cin", RI), ("cin", RI), ("cp", G)):
        add(q1, pod, family, plan, grade)
    add(q1, other_pod, family, "cp", Grade.OUTSTANDING)
    add(q1, other_pod, family, "cla", Grade.INADEQUATE)
    add(q2, pod, family, "other", G)
    add(q2, pod, family, "cin", Grade.OUTSTANDING, status=Audit.Status.SUBMITTED)


def test_figures_per_quarter_plan_type_and_pod(moderated, pod, other_pod):
    q2, q1 = audit_results()
    assert (q2.label, q1.label) == ("Q2 2016-17", "Q1 2016-17")
    assert (q1.overall.n, q1.overall.good, q1.overall.percent) == (6, 3, 50)
    plans = {label: (f.n, f.percent) for label, f in q1.plan_figures()}
    assert plans == {
        "Child protection": (2, 100),
        "Child looked after": (1, 0),
        "Child in need": (3, 33),
        "Assessment or other work": (0, None),
    }
    assert (q1.by_team[pod.pk].n, q1.by_team[pod.pk].percent) == (4, 50)
    assert (q1.by_team[other_pod.pk].n, q1.by_team[other_pod.pk].percent) == (2, 50)
    assert (q2.overall.n, q2.overall.percent) == (1, 100)  # the submitted one is not counted


def test_children_in_need_against_everyone_else(moderated):
    totals = dict(plan_type_totals(audit_results()))
    assert (totals["Child in need"].n, totals["Child in need"].good) == (3, 1)
    others = totals["Everyone but children in need"]
    assert (others.n, others.good, others.percent) == (4, 3, 75)


def test_a_pods_figures_are_its_own(moderated, pod):
    (q2, q1) = audit_results([pod])
    assert (q1.overall.n, q1.overall.percent) == (4, 50)
    assert set(q1.by_team) == {pod.pk}


def test_the_results_page_shows_every_pod_to_the_principal_social_worker(moderated, psw_client):
    response = psw_client.get("/feedback/audits/results/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ash Pod" in page and "Oak Pod" in page
    assert '50% <span class="govuk-body-s">(n=6)</span>' in page


def test_a_pod_manager_sees_only_their_pod(moderated, pod_manager_client):
    page = pod_manager_client.get("/feedback/audits/results/").content.decode()
    assert "Oak Pod" in page and "Ash Pod" not in page
    assert "(n=4)" in page and "(n=6)" not in page


def test_senior_leaders_see_the_results(moderated, senior_leader_client):
    page = senior_leader_client.get("/feedback/audits/results/").content.decode()
    assert "Ash Pod" in page and "(n=6)" in page


def test_social_workers_do_not_see_the_results(moderated, outsider_client, social_worker_client):
    assert outsider_client.get("/feedback/audits/results/").status_code == 403
    assert social_worker_client.get("/feedback/audits/results/").status_code == 403


def test_business_support_do_not_see_the_results(business_support_client):
    assert business_support_client.get("/feedback/audits/results/").status_code == 403


def test_a_pod_manager_of_no_pod_with_audits_sees_none(moderated, db):
    elm = make_team(name="Elm Pod")
    manager = make_worker(role=Worker.Role.POD_MANAGER, team=elm)
    page = client_for(manager).get("/feedback/audits/results/").content.decode()
    assert "No audit has been moderated yet" in page
