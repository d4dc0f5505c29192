"""The audit screens: drawing and reading the programme (a family named only to those who can
see it), assigning an auditor, the auditor's form with its bad input, moderation, the worker's
action on their home page, and outsiders refused on every page that is not family-scoped
(the family-scoped ones are in tests/families/test_visibility_walk.py)."""

import datetime

import pytest
from django.utils import timezone

from families.models import FamilyGrant
from feedback.audits import sampling
from feedback.models.audits import AREAS, Audit, AuditAction, AuditGrade, AuditProgramme
from pods.models import Worker
from tests.clients import client_for
from tests.factories import make_worker

pytestmark = pytest.mark.django_db


def grade_form(grade="2", *, overall="2", findings="The child's voice is clear", submit=True):
    due = timezone.localdate() + datetime.timedelta(days=10)
    data = {f"grade_{area.value}": grade for area in AREAS}
    data |= {f"comment_{area.value}": "Seen in the record" for area in AREAS}
    data |= {
        "overall": overall,
        "findings": findings,
        "learning": "Record the child's words",
        "action_1_text": "Add the school's view to the plan",
        "action_1_due_day": str(due.day),
        "action_1_due_month": str(due.month),
        "action_1_due_year": str(due.year),
    }
    data["submit" if submit else "save"] = "1"
    return data


def test_the_principal_social_worker_draws_the_quarter(family, pod, psw_client):
    page = psw_client.get("/feedback/audits/")
    assert page.status_code == 200 and "Draw a quarter" in page.content.decode()
    year, quarter = sampling.quarter_of(timezone.localdate())
    response = psw_client.post(
        "/feedback/audits/draw/", {"year": year, "quarter": quarter, "per_pod": 2}
    )
    programme = AuditProgramme.objects.get()
    assert response.status_code == 302 and response.url == f"/feedback/audits/{programme.pk}/"
    assert list(programme.audits.values_list("family_id", flat=True)) == [family.pk]
    # The principal social worker is not in Oak Pod: the family is not named to them.
    page = psw_client.get(response.url).content.decode()
    assert family.reference not in page and family.display_name not in page
    assert "Oak Pod" in page and "Assign an auditor" in page


def test_a_bad_number_per_pod_is_a_clear_error(psw_client):
    response = psw_client.post("/feedback/audits/draw/", {"year": 2026, "quarter": 3, "per_pod": 0})
    assert response.status_code == 400
    assert "Enter a number of families per pod between 1 and 50" in response.content.decode()
    assert not AuditProgramme.objects.exists()


def test_the_pod_manager_sees_their_pods_sample_by_family(
    sampled_audit, family, pod_manager_client
):
    page = pod_manager_client.get(f"/feedback/audits/{sampled_audit.programme_id}/")
    assert page.status_code == 200
    assert family.reference in page.content.decode()
    assert "Draw a quarter" not in pod_manager_client.get("/feedback/audits/").content.decode()


def test_outsiders_are_refused_every_programme_page(sampled_audit, outsider_client):
    programme = sampled_audit.programme_id
    for method, path in (
        ("get", "/feedback/audits/"),
        ("post", "/feedback/audits/draw/"),
        ("get", f"/feedback/audits/{programme}/"),
        ("get", f"/feedback/audits/audit/{sampled_audit.pk}/assign/"),
        ("post", f"/feedback/audits/audit/{sampled_audit.pk}/assign/"),
        ("get", "/feedback/audits/results/"),
    ):
        assert getattr(outsider_client, method)(path).status_code == 403, path


def test_another_pods_manager_cannot_assign_an_auditor(sampled_audit, other_pod):
    manager = make_worker(role=Worker.Role.POD_MANAGER, team=other_pod)
    path = f"/feedback/audits/audit/{sampled_audit.pk}/assign/"
    assert client_for(manager).get(path).status_code == 403
    page = client_for(manager).get(f"/feedback/audits/{sampled_audit.programme_id}/")
    assert "No families in your pods" in page.content.decode()


def test_assigning_the_familys_worker_is_refused_on_the_form(
    sampled_audit, social_worker, pod_manager_client
):
    path = f"/feedback/audits/audit/{sampled_audit.pk}/assign/"
    response = pod_manager_client.post(path, {"auditor": social_worker.pk})
    assert response.status_code == 400
    assert (
        "is the family&#x27;s worker, so cannot audit the record alone" in response.content.decode()
    )
    sampled_audit.refresh_from_db()
    assert sampled_audit.auditor is None and not FamilyGrant.objects.exists()


def test_an_auditor_from_another_pod_is_assigned_and_opens_the_record(
    sampled_audit, family, auditor, auditor_client, pod_manager_client
):
    path = f"/feedback/audits/audit/{sampled_audit.pk}/assign/"
    response = pod_manager_client.post(path, {"auditor": auditor.pk})
    assert response.status_code == 302
    assert FamilyGrant.objects.get(kind=FamilyGrant.Kind.AUDIT).user == auditor.user
    home = auditor_client.get("/").content.decode()
    assert f"/families/{family.pk}/audits/{sampled_audit.pk}/" in home
    assert auditor_client.get(f"/families/{family.pk}/").status_code == 200


def test_the_form_refuses_missing_grades_and_saves_nothing(assigned_audit, family, auditor_client):
    path = f"/families/{family.pk}/audits/{assigned_audit.pk}/grade/"
    data = grade_form(overall="")
    del data["grade_childs_voice"]
    response = auditor_client.post(path, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose a grade for the child&#x27;s voice" in page
    assert "Choose the overall grade" in page
    assert not AuditGrade.objects.exists() and not AuditAction.objects.exists()


def test_the_form_refuses_a_grade_off_the_scale(assigned_audit, family, auditor_client):
    path = f"/families/{family.pk}/audits/{assigned_audit.pk}/grade/"
    response = auditor_client.post(path, grade_form(grade="7"))
    assert response.status_code == 400
    assert "Choose a grade for planning from the four-point scale" in response.content.decode()
    assigned_audit.refresh_from_db()
    assert assigned_audit.status == Audit.Status.ASSIGNED


def test_only_the_auditor_fills_in_the_form(assigned_audit, family, social_worker_client):
    path = f"/families/{family.pk}/audits/{assigned_audit.pk}/grade/"
    assert social_worker_client.get(path).status_code == 403


def test_submit_moderate_and_the_worker_sees_the_action(
    assigned_audit, family, auditor_client, pod_manager_client, social_worker_client
):
    base = f"/families/{family.pk}/audits/{assigned_audit.pk}/"
    assert auditor_client.post(base + "grade/", grade_form()).status_code == 302
    # The auditor cannot moderate their own audit.
    assert auditor_client.get(base + "moderate/").status_code == 403
    home = social_worker_client.get("/").content.decode()
    assert "My actions from audits" in home and "Add the school&#x27;s view to the plan" in home
    response = pod_manager_client.post(base + "moderate/", {"grade": "3", "note": ""})
    assert response.status_code == 400
    assert "Say why you changed the overall grade" in response.content.decode()
    response = pod_manager_client.post(
        base + "moderate/", {"grade": "3", "note": "The plan has no timescales"}
    )
    assert response.status_code == 302
    page = social_worker_client.get(base).content.decode()
    assert "Requires improvement (the auditor graded it good)" in page
    # The grant ended with moderation: the auditor no longer opens the record.
    assert auditor_client.get(base).status_code == 404
    action = AuditAction.objects.get()
    done = social_worker_client.post(f"/families/{family.pk}/audit-actions/{action.pk}/done/")
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.done == timezone.localdate()
    assert "My actions from audits" not in social_worker_client.get("/").content.decode()


def test_the_family_page_links_its_audits(submitted_audit, family, social_worker_client):
    page = social_worker_client.get(f"/families/{family.pk}/").content.decode()
    assert f"/families/{family.pk}/audits/" in page
    listing = social_worker_client.get(f"/families/{family.pk}/audits/").content.decode()
    assert "Waiting for moderation" in listing and "Good" in listing


def test_the_worker_starts_a_self_audit_from_the_familys_audits_and_grades_it(
    family, social_worker_client, pod_manager_client
):
    listed = social_worker_client.get(f"/families/{family.pk}/audits/").content.decode()
    assert "Start a self-audit" in listed
    assert (
        "Start a self-audit"
        not in pod_manager_client.get(f"/families/{family.pk}/audits/").content.decode()
    ), "only for the family's worker"
    started = social_worker_client.post(f"/families/{family.pk}/audits/self/")
    audit = Audit.objects.get()
    assert started.status_code == 302
    assert started.url == f"/families/{family.pk}/audits/{audit.pk}/grade/"
    assert social_worker_client.get(started.url).status_code == 200
    again = social_worker_client.post(f"/families/{family.pk}/audits/self/", follow=True)
    assert "already has an audit under way" in again.content.decode()
    assert Audit.objects.count() == 1
