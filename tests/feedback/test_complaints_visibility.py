"""Who sees which complaint: the complaints officer every one; the pod manager of the team
concerned their team's; the worker a complaint is about that it exists and its outcome, not
the complainant's words when it is about a family they cannot see; everyone else a 404 for
the complaint and no count. A family's complaints go through the family's door."""

import pytest

from families import services as family_services
from feedback.complaints import selectors, services
from pods.models import Worker
from tests.clients import client_for
from tests.factories import make_team, make_worker
from tests.families.conftest import REFERRED, refer
from tests.feedback.conftest import COMPLAINT_RECEIVED

pytestmark = pytest.mark.django_db
WORDS = "Nobody called me back for three weeks about the meeting."


def test_the_complaints_officer_sees_every_complaint(complaints_officer, family_complaint):
    assert list(selectors.complaints_visible_to(complaints_officer.user)) == [family_complaint]


def test_the_pod_manager_of_the_team_sees_its_complaint_in_the_list_and_its_page(
    pod_manager_client, family_complaint
):
    listed = pod_manager_client.get("/feedback/complaints/")
    page = pod_manager_client.get(f"/feedback/complaints/{family_complaint.pk}/")
    assert family_complaint.reference in listed.content.decode()
    assert WORDS in page.content.decode()
    # The complainant's address is for the officer, who writes to them.
    assert "Acacia Road" not in page.content.decode()


def test_a_pod_manager_sees_a_complaint_about_a_worker_of_their_pod(
    pod_manager, social_worker, complaints_officer
):
    complaint = services.complaint_record(
        received=COMPLAINT_RECEIVED,
        received_by="letter",
        from_kind="professional",
        from_name="A school",
        from_email="head@school.example",
        worker=social_worker,
        summary="The social worker missed the meeting.",
        by=complaints_officer.user,
    )
    assert list(selectors.complaints_visible_to(pod_manager.user)) == [complaint]


def test_another_pods_manager_gets_404_and_no_count(other_pod, family_complaint):
    manager = make_worker(role=Worker.Role.POD_MANAGER, team=other_pod)
    client = client_for(manager)
    assert client.get(f"/feedback/complaints/{family_complaint.pk}/").status_code == 404
    listed = client.get("/feedback/complaints/")
    assert family_complaint.reference not in listed.content.decode()
    assert "0 complaints" in listed.content.decode()


def test_an_outsider_gets_404_on_the_complaint_and_on_the_list(outsider_client, family_complaint):
    assert outsider_client.get(f"/feedback/complaints/{family_complaint.pk}/").status_code == 404
    assert outsider_client.get("/feedback/complaints/").status_code == 404
    assert (
        outsider_client.get(f"/feedback/complaints/{family_complaint.pk}/extend/").status_code
        == 404
    )


def test_the_worker_concerned_who_cannot_see_the_family_sees_only_that_it_exists_and_its_outcome(
    front_door, other_pod, outsider, complaints_officer, complaint_themes
):
    elsewhere = refer(name="The Hill family", child=("Ben", "Hill", REFERRED))
    family_services.family_allocate(
        family=elsewhere, team=other_pod, worker=outsider, start=REFERRED
    )
    worker = make_worker(role=Worker.Role.SOCIAL_WORKER, team=make_team(name="Elm Pod"))
    complaint = services.complaint_record(
        received=COMPLAINT_RECEIVED,
        received_by="phone",
        from_kind="parent",
        from_name="Mary Hill",
        from_email="mary@example.org",
        family=elsewhere,
        worker=worker,
        summary="The worker I had before was rude to me.",
        by=complaints_officer.user,
    )
    services.complaint_stage_respond(
        stage=complaint.stages.get(),
        responded=COMPLAINT_RECEIVED,
        outcome="not_upheld",
        response="We listened to the recording of the call.",
        by=complaints_officer.user,
    )
    home = client_for(worker).get("/").content.decode()
    assert "There is a complaint about your work, 1 still open." in home
    assert 'href="/feedback/complaints/"' in home
    page = client_for(worker).get(f"/feedback/complaints/{complaint.pk}/").content.decode()
    assert complaint.reference in page and "Not upheld" in page
    for hidden in ("rude to me", "Mary Hill", "recording of the call", "Hill family", "Ben"):
        assert hidden not in page


def test_a_family_s_complaints_are_listed_behind_its_door(
    social_worker_client, outsider_client, family_complaint
):
    url = f"/families/{family_complaint.family_id}/complaints/"
    family_page = social_worker_client.get(f"/families/{family_complaint.family_id}/")
    assert f'href="{url}"' in family_page.content.decode(), "linked from the family's page"
    assert WORDS in social_worker_client.get(url).content.decode()
    assert outsider_client.get(url).status_code == 404


COMPLAINT_PAGES = [
    ("get", "/feedback/complaints/{pk}/"),
    ("get", "/feedback/complaints/{pk}/extend/"),
    ("post", "/feedback/complaints/{pk}/extend/"),
    ("get", "/feedback/complaints/{pk}/respond/"),
    ("post", "/feedback/complaints/{pk}/respond/"),
    ("get", "/feedback/complaints/{pk}/escalate/"),
    ("post", "/feedback/complaints/{pk}/escalate/"),
    ("get", "/feedback/complaints/{pk}/close/"),
    ("get", "/feedback/complaints/{pk}/actions/new/"),
    ("post", "/feedback/complaints/{pk}/actions/1/done/"),
    ("get", "/feedback/complaints/{pk}/stages/1/letter.pdf"),
    ("post", "/feedback/complaints/{pk}/stages/1/letter/sent/"),
]


@pytest.mark.parametrize(("method", "url"), COMPLAINT_PAGES)
def test_every_page_of_a_complaint_is_404_to_someone_who_may_not_see_it(
    outsider_client, family_complaint, method, url
):
    response = getattr(outsider_client, method)(url.format(pk=family_complaint.pk))
    assert response.status_code == 404
    assert family_complaint.reference not in response.content.decode()
