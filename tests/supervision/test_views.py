"""Supervision screens: running a session from the browser's point of view (one request per
step), the walk of every supervision URL as people outside the pod, and the private parts."""

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from onestory.models import Entry
from pods.models import Worker
from supervision import services
from supervision.models import Decision, GroupSupervision, ReflectivePracticeGroup
from tests.clients import client_for
from tests.factories import make_worker

pytestmark = pytest.mark.django_db


def _discussion_post(owner, **changes):
    due = timezone.localdate() + datetime.timedelta(days=7)
    data = {
        "presenting_worker": "",
        "question": "Is Ada safe at home?",
        "scaling_score": "5",
        "working_well": "Grandma collects Ada from school",
        "worries": "",
        "needs_to_happen": "",
        "hypotheses": "",
        "decision_1_text": "Joint visit with the health visitor",
        "decision_1_owner": str(owner.pk),
        "decision_1_due": due.isoformat(),
        "save": "1",
    }
    data.update(changes)
    return data


class TestRunningASession:
    def test_open_discuss_and_close(self, pod, pod_manager, social_worker, family):
        client = client_for(pod_manager)
        response = client.post(f"/supervision/pods/{pod.pk}/open/")
        session = GroupSupervision.objects.get()
        assert response.url == f"/supervision/group/{session.pk}/"
        page = client.get(response.url)
        assert page.status_code == 200 and family.display_name in page.content.decode()
        item = session.discussions.get()
        url = f"/supervision/group/{session.pk}/discussions/{item.pk}/"
        form = client.get(url)
        assert form.context["form"].initial["presenting_worker"] == social_worker.pk
        saved = client.post(url, _discussion_post(social_worker))
        assert saved.status_code == 302
        assert Entry.objects.filter(family=family, kind="supervision_decision").exists()
        assert client.post(f"/supervision/group/{session.pk}/close/").status_code == 302
        session.refresh_from_db()
        assert not session.is_open

    def test_a_bad_score_and_an_owner_outside_the_pod_are_named_and_nothing_saves(
        self, pod_manager, outsider, session
    ):
        item = session.discussions.get()
        url = f"/supervision/group/{session.pk}/discussions/{item.pk}/"
        response = client_for(pod_manager).post(url, _discussion_post(outsider, scaling_score="12"))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert errors["scaling_score"] == ["Enter a score from 0 to 10"]
        assert errors["decision_1_owner"] == ["Choose an owner from the pod"]
        assert not Decision.objects.exists() and not Entry.objects.exists()

    def test_a_half_filled_decision_is_named(self, pod_manager, social_worker, session):
        item = session.discussions.get()
        url = f"/supervision/group/{session.pk}/discussions/{item.pk}/"
        response = client_for(pod_manager).post(
            url, _discussion_post(social_worker, decision_1_owner="", decision_1_due="")
        )
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert errors["decision_1_owner"] == ["Choose who owns this decision"]
        assert errors["decision_1_due"] == ["Enter the date this decision is due"]
        assert not Decision.objects.exists()

    def test_a_member_reads_but_cannot_save(self, social_worker, session):
        item = session.discussions.get()
        client = client_for(social_worker)
        url = f"/supervision/group/{session.pk}/discussions/{item.pk}/"
        assert client.get(url).status_code == 200
        assert client.post(url, _discussion_post(social_worker)).status_code == 403
        assert client.post(f"/supervision/group/{session.pk}/close/").status_code == 403

    def test_opening_a_session_of_a_pod_you_do_not_manage_says_why(self, pod, social_worker):
        response = client_for(social_worker).post(f"/supervision/pods/{pod.pk}/open/")
        assert response.status_code == 403
        assert "Only a pod manager of this pod can run its group supervision" in (
            response.content.decode()
        )
        assert not GroupSupervision.objects.exists()

    def test_presenting_mode_shows_one_family_at_a_time(self, pod_manager, session, family):
        response = client_for(pod_manager).get(f"/supervision/group/{session.pk}/present/?n=1")
        page = response.content.decode()
        assert family.display_name in page and "family 1 of 1" in page
        assert 'rel="next"' not in page and "js/present.js" in page

    def test_an_action_is_done_in_one_click_from_the_home_page(
        self, pod_manager, social_worker, session
    ):
        item = session.discussions.get()
        services.discussion_save(
            discussion=item,
            by=pod_manager,
            decisions=[
                services.DecisionDetails(
                    text="Ring school", owner=social_worker, due=timezone.localdate()
                )
            ],
        )
        client = client_for(social_worker)
        home = client.get("/").content.decode()
        assert "Ring school" in home
        decision = Decision.objects.get()
        response = client.post(f"/supervision/actions/{decision.pk}/done/", {"next": "home"})
        assert response.url == "/"
        decision.refresh_from_db()
        assert decision.done is not None
        row = f'data-testid="action-{decision.pk}"'
        assert row not in client.get("/").content.decode(), "done: off the home page"
        assert row in client.get("/supervision/actions/").content.decode(), "listed as done"

    def test_a_worker_brings_a_family_to_the_next_session(
        self, pod, pod_manager, social_worker, family
    ):
        response = client_for(social_worker).post(f"/families/{family.pk}/bring-to-supervision/")
        assert response.status_code == 302
        client_for(pod_manager).post(f"/supervision/pods/{pod.pk}/open/")
        item = GroupSupervision.objects.get().discussions.get()
        assert item.reasons.startswith(f"{social_worker.name} asked to bring it")


class TestOneToOneScreens:
    def test_the_wellbeing_section_is_not_for_colleagues(
        self, pod, pod_manager, social_worker, family
    ):
        client = client_for(pod_manager)
        today = timezone.localdate()
        response = client.post(
            f"/supervision/one-to-one/new/{social_worker.pk}/",
            {
                "date_day": today.day,
                "date_month": today.month,
                "date_year": today.year,
                "practice_notes": "Court skills training booked",
                "wellbeing": "Tired after the Okafor strategy meeting",
                "families": [family.pk],
            },
        )
        assert response.status_code == 302
        url = response.url
        assert "Tired after" in client.get(url).content.decode()
        assert "Tired after" in client_for(social_worker).get(url).content.decode()
        colleague = make_worker(role=Worker.Role.SENIOR_SOCIAL_WORKER, team=pod)
        assert client_for(colleague).get(url).status_code == 404

    def test_a_1_to_1_for_someone_you_do_not_supervise_is_404(self, pod_manager, outsider):
        response = client_for(pod_manager).get(f"/supervision/one-to-one/new/{outsider.pk}/")
        assert response.status_code == 404


class TestRPGScreens:
    def test_notes_naming_a_child_are_held_back_until_confirmed(
        self, lead_practitioner, social_worker, pod_manager, family
    ):
        group = ReflectivePracticeGroup.objects.create(name="Tuesday RPG")
        group.facilitators.add(lead_practitioner)
        group.members.add(social_worker)
        # The facilitator can see the family (a grant), so Ada's name is recognised.
        from families import services as family_services

        family_services.grant_give(
            family=family, user=lead_practitioner.user, kind="lead_practitioner",
            reason="Domestic abuse advice", expires=timezone.now() + datetime.timedelta(days=30),
            granted_by=pod_manager.user,
        )  # fmt: skip
        today = timezone.localdate()
        data = {
            "date_day": today.day, "date_month": today.month, "date_year": today.year,
            "minutes": "75", "attendees": [social_worker.pk], "themes": "Endings",
            "notes": "Ada's worker spoke about endings",
        }  # fmt: skip
        client = client_for(lead_practitioner)
        response = client.post(f"/supervision/rpg/{group.pk}/record/", data)
        assert response.status_code == 400
        assert "may name someone on a case: Ada" in response.context["form"].errors["notes"][0]
        assert not group.sessions.exists()
        response = client.post(
            f"/supervision/rpg/{group.pk}/record/", {**data, "about_practice": "on"}
        )
        assert response.status_code == 302 and group.sessions.count() == 1


# --- the walk --------------------------------------------------------------------------------

ARGUMENT = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")


def supervision_routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from supervision_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("supervision/") and "<" in route:
            yield "/" + route


@pytest.fixture
def walk_values(pod, pod_manager, social_worker, lead_practitioner, family, session):
    item = session.discussions.get()
    services.discussion_save(
        discussion=item,
        by=pod_manager,
        decisions=[
            services.DecisionDetails(text="Visit", owner=social_worker, due=timezone.localdate())
        ],
    )
    one_to_one = services.one_to_one_record(
        supervisor=pod_manager, supervisee=social_worker, date=timezone.localdate(),
        families=[family],
    )  # fmt: skip
    group = ReflectivePracticeGroup.objects.create(name="Tuesday RPG")
    group.facilitators.add(lead_practitioner)
    group.members.add(social_worker)
    return {
        "pod_id": pod.pk,
        "session_id": session.pk,
        "discussion_id": item.pk,
        "decision_id": Decision.objects.get().pk,
        "worker_id": social_worker.pk,
        "supervision_id": one_to_one.pk,
        "group_id": group.pk,
        "one_to_one_discussion_id": one_to_one.discussions.get().pk,
    }


def _fill(route, values):
    def replace(match):
        name = match.group("name")
        if name == "discussion_id" and "one-to-one" in route:
            name = "one_to_one_discussion_id"
        assert name in values, f"the supervision walk cannot fill <{name}> in {route}"
        return str(values[name])

    return ARGUMENT.sub(replace, route)


def test_the_walk_covers_the_supervision_screens():
    routes = set(supervision_routes())
    assert "/supervision/group/<int:session_id>/" in routes
    assert len(routes) >= 14


@pytest.mark.parametrize("who", ["outsider", "other_pod_manager"])
def test_people_outside_the_pod_get_404_on_every_supervision_url(request, walk_values, who):
    if who == "other_pod_manager":
        worker = make_worker(
            role=Worker.Role.POD_MANAGER, team=request.getfixturevalue("other_pod")
        )
    else:
        worker = request.getfixturevalue(who)
    client = client_for(worker)
    for route in supervision_routes():
        path = _fill(route, walk_values)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 404, (
                f"{who} {method.upper()} {path}: {response.status_code}"
            )
    assert Decision.objects.filter(done__isnull=False).count() == 0


def test_the_pod_manager_opens_every_supervision_url(walk_values, pod_manager):
    client = client_for(pod_manager)
    for route in supervision_routes():
        path = _fill(route, walk_values)
        if "/rpg/" in path:
            continue  # the pod manager is not in the group: covered by the RPG tests
        response = client.get(path)
        if response.status_code == 405:
            response = client.post(path)
            assert response.status_code == 302, f"POST {path}: {response.status_code}"
        else:
            assert response.status_code == 200, f"GET {path}: {response.status_code}"


class TestQueryCounts:
    """The session, presenting mode and the actions page read in a fixed number of queries,
    however many families are on the agenda and however many actions the pod has."""

    @staticmethod
    def _discuss_more(pod, pod_manager, social_worker, session, number):
        from tests.families.conftest import refer

        for index in range(number):
            family = refer(
                name=f"The Family{index}",
                child=("Kit", f"Family{index}", datetime.date(2015, 1, 1)),
            )  # noqa: E501
            from families import services as family_services

            family_services.family_allocate(
                family=family, team=pod, worker=social_worker, start=timezone.localdate()
            )
            item = services.agenda_add(session=session, family=family, by=pod_manager)
            services.discussion_save(
                discussion=item, by=pod_manager, scaling_score=index % 11,
                presenting_worker=social_worker,
                decisions=[
                    services.DecisionDetails(text=f"Act {index}.{n}", owner=social_worker, due=timezone.localdate())  # noqa: E501
                    for n in range(2)
                ],
            )  # fmt: skip

    def test_they_do_not_grow_with_the_agenda(
        self, pod, pod_manager, social_worker, session, django_assert_max_num_queries
    ):
        client = client_for(pod_manager)
        paths = [
            f"/supervision/group/{session.pk}/",
            f"/supervision/group/{session.pk}/present/?n=2",
            "/supervision/actions/",
            "/",
        ]
        self._discuss_more(pod, pod_manager, social_worker, session, 2)
        counts = {}
        for path in paths:
            with django_assert_max_num_queries(40) as few:
                assert client.get(path).status_code == 200
            counts[path] = len(few.captured_queries)
        self._discuss_more(pod, pod_manager, social_worker, session, 12)
        for path in paths:
            with django_assert_max_num_queries(counts[path]):
                assert client.get(path).status_code == 200
