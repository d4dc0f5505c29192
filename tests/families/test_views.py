"""Family screens: the lists, search, the family page and its access log, and bad input on
the forms (a clear message, a 400, and nothing saved)."""

import datetime
import re

import pytest

from families import services
from families.models import AccessLogEntry, ChildStatus, Family, FamilyGrant, NeedAssessment
from tests.clients import client_for
from tests.factories import make_worker
from tests.families.conftest import REFERRED, refer

pytestmark = pytest.mark.django_db


def _families_in(response):
    return [family.display_name for family in response.context["families"]]


def _allocate_more(pod, worker, count):
    for n in range(count):
        family = refer(
            name=f"The Family {n}", child=(f"Child{n}", f"Surname{n}", datetime.date(2016, 1, 1))
        )
        services.family_allocate(family=family, team=pod, worker=worker, start=REFERRED)
        services.child_status_start(
            family=family,
            person=family.members.get(relationship="child").person,
            kind=ChildStatus.Kind.CIN_PLAN,
            start=REFERRED,
        )


class TestLists:
    def test_my_families_lists_the_families_i_hold(self, family, social_worker, pod):
        colleague = make_worker(team=pod)
        theirs = refer(name="The Colleague family")
        services.family_allocate(family=theirs, team=pod, worker=colleague, start=REFERRED)
        response = client_for(social_worker).get("/families/")
        assert _families_in(response) == ["The Okafor family"]

    def test_my_pods_families_lists_every_open_family_of_the_pod(
        self, family, social_worker, pod, other_pod, outsider
    ):
        colleague = make_worker(team=pod)
        services.family_allocate(
            family=refer(name="The Colleague family"), team=pod, worker=colleague, start=REFERRED
        )
        services.family_allocate(
            family=refer(name="The Ash family"), team=other_pod, worker=outsider, start=REFERRED
        )
        closed = refer(name="The Closed family")
        services.family_allocate(family=closed, team=pod, worker=colleague, start=REFERRED)
        services.episode_close(family=closed, end=REFERRED, reason="needs_met")
        response = client_for(social_worker).get("/families/pod/")
        assert _families_in(response) == ["The Colleague family", "The Okafor family"]
        assert b"Ada (" in response.content

    def test_the_list_pages_make_the_same_number_of_queries_for_more_families(
        self, family, social_worker, pod, django_assert_max_num_queries
    ):
        client = client_for(social_worker)
        # session, user, worker, home team (2), families, children, statuses, allocations,
        # navigation role checks, session save (savepoint, update, release)
        with django_assert_max_num_queries(14) as few:
            client.get("/families/pod/")
        _allocate_more(pod, social_worker, 12)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get("/families/pod/")
        assert len(response.context["families"]) == 13
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get("/families/")


class TestSearch:
    def test_a_misspelt_surname_finds_the_family(self, family, social_worker):
        response = client_for(social_worker).post("/families/search/", {"q": "Okafer"})
        assert _families_in(response) == ["The Okafor family"]

    def test_a_first_and_last_name_together_find_it(self, family, social_worker):
        response = client_for(social_worker).post("/families/search/", {"q": "ada okafor"})
        assert _families_in(response) == ["The Okafor family"]

    def test_a_date_of_birth_or_reference_finds_it(self, family, social_worker):
        client = client_for(social_worker)
        assert _families_in(client.post("/families/search/", {"q": "01/06/2015"})) == [
            "The Okafor family"
        ]
        assert _families_in(client.post("/families/search/", {"q": family.reference})) == [
            "The Okafor family"
        ]
        assert _families_in(client.post("/families/search/", {"q": family.reference.lower()})) == [
            "The Okafor family"
        ]

    def test_search_never_shows_a_family_outside_visibility(self, family, outsider, senior_leader):
        for worker in (outsider, senior_leader):
            client = client_for(worker)
            for query in ("Okafor", "01/06/2015", family.reference):
                response = client.post("/families/search/", {"q": query})
                assert _families_in(response) == [], (worker, query)
                assert b"Okafor" not in response.content.split(b'id="q"')[1].split(b"</main>")[
                    0
                ].replace(query.encode(), b"")

    def test_an_unrelated_name_finds_nothing(self, family, social_worker):
        response = client_for(social_worker).post("/families/search/", {"q": "Zebedee"})
        assert _families_in(response) == []

    # Names and dates of birth never go into URLs (DESIGN §5): search posts its terms.
    def test_the_search_form_posts_its_terms_with_a_csrf_token(self, social_worker):
        content = client_for(social_worker).get("/families/search/").content.decode()
        form = content.split('role="search"')[0].rsplit("<form", 1)[1]
        assert 'method="post"' in form
        assert 'name="csrfmiddlewaretoken"' in content

    def test_a_get_with_the_terms_in_the_url_does_not_search(self, family, social_worker):
        response = client_for(social_worker).get("/families/search/", {"q": "Okafor"})
        assert response.status_code == 200
        assert _families_in(response) == [] and not response.context["searched"]
        assert b'value="Okafor"' not in response.content

    def test_a_search_posted_without_the_csrf_token_is_refused(self, family, social_worker):
        client = client_for(social_worker)
        client.handler.enforce_csrf_checks = True
        assert client.post("/families/search/", {"q": "Okafor"}).status_code == 403

    def test_no_link_on_the_results_page_carries_the_terms(self, family, social_worker):
        response = client_for(social_worker).post("/families/search/", {"q": "01/06/2015"})
        assert _families_in(response) == ["The Okafor family"]
        links = re.findall(r'(?:href|action)="([^"]*)"', response.content.decode())
        assert links and not [link for link in links if "q=" in link or "2015" in link]


class TestFamilyPageAndAccessLog:
    def test_every_view_of_a_family_page_is_logged(self, family, social_worker, pod_manager):
        client_for(social_worker).get(f"/families/{family.pk}/")
        client_for(pod_manager).get(f"/families/{family.pk}/people/add/")
        entries = AccessLogEntry.objects.filter(family=family).order_by("viewed")
        assert [(e.user, e.path) for e in entries] == [
            (social_worker.user, f"/families/{family.pk}/"),
            (pod_manager.user, f"/families/{family.pk}/people/add/"),
        ]

    def test_the_log_records_the_grant_that_let_someone_in(self, family, outsider, pod_manager):
        grant = services.grant_give(
            family=family,
            user=outsider.user,
            kind=FamilyGrant.Kind.COVER,
            reason="Cover for Sam",
            expires=services.timezone.now() + datetime.timedelta(days=1),
            granted_by=pod_manager.user,
        )
        client_for(outsider).get(f"/families/{family.pk}/")
        assert AccessLogEntry.objects.get(user=outsider.user).grant == grant
        page = client_for(pod_manager).get(f"/families/{family.pk}/access-log/")
        assert b"Cover for Sam" in page.content

    def test_the_log_is_for_the_pod_manager_and_the_familys_worker_only(
        self, family, social_worker, business_support, pod_manager
    ):
        assert (
            client_for(social_worker).get(f"/families/{family.pk}/access-log/").status_code == 200
        )
        assert client_for(pod_manager).get(f"/families/{family.pk}/access-log/").status_code == 200
        assert (
            client_for(business_support).get(f"/families/{family.pk}/access-log/").status_code
            == 403
        )

    def test_the_family_page_shows_continuity(self, family, social_worker, pod):
        response = client_for(social_worker).get(f"/families/{family.pk}/")
        assert response.context["page"].current_allocation.worker == social_worker
        assert b"1 social worker in this episode" in response.content

    def test_the_family_page_query_count_does_not_grow_with_its_story(
        self, family, child, social_worker, django_assert_max_num_queries
    ):
        from onestory import services as story_services
        from onestory.models import Entry

        def visit():
            story_services.entry_record(
                family=family,
                author=social_worker.user,
                kind=Entry.Kind.HOME_VISIT,
                occurred=services.timezone.now() - datetime.timedelta(days=1),
                children=[story_services.ChildSeenDetails(person=child, seen=True)],
                final=True,
                what_happened="Seen at home",
            )

        client = client_for(social_worker)
        visit()
        # session, user, family (visible_to), grant, log insert, worker, 7 page reads,
        # permission checks (team, membership, allocation), the summary, the latest entries
        # and the children they saw, visits due (statuses, last seen), the appointments coming
        # up and the statutory meetings due (statuses, meetings), navigation, session save
        with django_assert_max_num_queries(32) as few:
            client.get(f"/families/{family.pk}/")
        for _ in range(30):
            visit()
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(f"/families/{family.pk}/")

    def test_business_support_can_read_but_not_write_the_story(self, family, business_support):
        client = client_for(business_support)
        assert client.get(f"/families/{family.pk}/").status_code == 200
        assert client.get(f"/families/{family.pk}/statuses/add/").status_code == 403


class TestBadInput:
    def test_a_referral_with_a_date_of_birth_in_the_future(self, front_door, social_worker):
        tomorrow = datetime.date.today() + datetime.timedelta(days=1)
        response = client_for(social_worker).post(
            "/families/refer/",
            {
                "display_name": "The New family",
                "received_day": "1",
                "received_month": "3",
                "received_year": "2025",
                "source": "school",
                "reason": "Worried",
                "child_first_name": "Kim",
                "child_last_name": "New",
                "child_date_of_birth_day": tomorrow.day,
                "child_date_of_birth_month": tomorrow.month,
                "child_date_of_birth_year": tomorrow.year,
                "child_gender": "not_known",
            },
        )
        assert response.status_code == 400
        assert (
            "Child&#x27;s date of birth must be today or in the past" in response.content.decode()
        )
        assert not Family.objects.exists()

    def test_a_referral_with_half_a_date(self, front_door, social_worker):
        response = client_for(social_worker).post(
            "/families/refer/",
            {
                "display_name": "The New family",
                "received_day": "1",
                "received_year": "2025",
                "source": "school",
                "reason": "Worried",
                "child_first_name": "Kim",
                "child_last_name": "New",
                "child_gender": "not_known",
            },
        )
        assert "Date the referral was received must include a month" in response.content.decode()
        assert not Family.objects.exists()

    def test_an_overlapping_status(self, family, child, social_worker):
        services.child_status_start(
            family=family,
            person=child,
            kind=ChildStatus.Kind.CP_PLAN,
            start=REFERRED,
            cp_category="neglect",
        )
        response = client_for(social_worker).post(
            f"/families/{family.pk}/statuses/add/",
            {
                "person": child.pk,
                "kind": "cp_plan",
                "start_day": "1",
                "start_month": "6",
                "start_year": "2025",
                "cp_category": "physical",
            },
        )
        assert response.status_code == 400
        assert "Ada already has a child protection plan" in response.content.decode()
        assert ChildStatus.objects.count() == 1

    def test_an_allocation_to_a_worker_not_in_the_pod_on_the_day(self, family, pod, pod_manager):
        from pods import services as pod_services

        today = datetime.date.today()
        moving_on = make_worker(team=pod)
        pod_services.membership_end(
            membership=moving_on.memberships.get(), end=today + datetime.timedelta(days=10)
        )
        start = today + datetime.timedelta(days=20)
        response = client_for(pod_manager).post(
            f"/families/{family.pk}/transfer/",
            {
                "holder": f"{pod.pk}:{moving_on.pk}",
                "start_day": start.day,
                "start_month": start.month,
                "start_year": start.year,
                "reason": "Sam is on leave",
                "change_reason": "ABSENC",
            },
        )
        assert response.status_code == 400
        assert "is not in Oak Pod on" in response.content.decode()
        assert family.allocations.count() == 1

    def test_a_tampered_worker_choice_is_refused(self, family, pod, outsider, pod_manager):
        response = client_for(pod_manager).post(
            f"/families/{family.pk}/transfer/",
            {
                "holder": f"{pod.pk}:{outsider.pk}",
                "start_day": "1",
                "start_month": "9",
                "start_year": "2025",
                "reason": "Cover",
            },
        )
        assert response.status_code == 400
        assert "Choose a social worker from the list" in response.content.decode()
        assert family.allocations.count() == 1

    def test_closing_with_an_open_plan(self, family, child, pod_manager):
        services.child_status_start(
            family=family, person=child, kind=ChildStatus.Kind.CIN_PLAN, start=REFERRED
        )
        response = client_for(pod_manager).post(
            f"/families/{family.pk}/close/",
            {
                "end_day": "1",
                "end_month": "9",
                "end_year": "2025",
                "reason": "needs_met",
            },
        )
        assert response.status_code == 400
        assert "Ada still has an open plan or status" in response.content.decode()
        assert family.episodes.get().is_open

    def test_re_referring_an_open_family(self, family, social_worker):
        response = client_for(social_worker).post(
            f"/families/{family.pk}/re-refer/",
            {
                "received_day": "1",
                "received_month": "9",
                "received_year": "2025",
                "source": "police",
                "reason": "x",
            },
        )
        assert response.status_code == 400
        assert "is already open to social work" in response.content.decode()
        assert family.episodes.count() == 1

    def test_a_grant_without_a_reason_or_expiry(self, family, outsider, pod_manager):
        response = client_for(pod_manager).post(
            f"/families/{family.pk}/access/",
            {
                "worker": outsider.pk,
                "kind": "cover",
                "reason": "",
            },
        )
        content = response.content.decode()
        assert response.status_code == 400
        assert "Enter the reason" in content and "Enter when this access ends" in content
        assert not FamilyGrant.objects.exists()


class TestLevelOfNeed:
    def test_ticking_indicators_suggests_a_level_and_the_worker_saves_one(
        self, family, social_worker
    ):
        client = client_for(social_worker)
        url = f"/families/{family.pk}/level-of-need/"
        date = {"date_day": "1", "date_month": "9", "date_year": "2025"}
        suggested = client.post(url, {**date, "indicators": ["L2-C-01", "L4-F-01"], "suggest": "1"})
        assert suggested.context["suggestion"] == 4
        assert not NeedAssessment.objects.exists()
        saved = client.post(url, {**date, "indicators": ["L2-C-01", "L4-F-01"], "level": "4"})
        assert saved.status_code == 302
        assessment = NeedAssessment.objects.get()
        assert (assessment.level, assessment.indicators) == (4, ["L2-C-01", "L4-F-01"])

    def test_saving_without_a_level_asks_for_one(self, family, social_worker):
        response = client_for(social_worker).post(
            f"/families/{family.pk}/level-of-need/",
            {"date_day": "1", "date_month": "9", "date_year": "2025"},
        )
        assert response.status_code == 400
        assert "Choose the level of need" in response.content.decode()


class TestBreakGlass:
    def test_a_senior_leader_opens_a_record_with_a_reason_and_it_is_logged(
        self, family, senior_leader
    ):
        client = client_for(senior_leader)
        assert client.get(f"/families/{family.pk}/").status_code == 404
        response = client.post(
            "/families/break-glass/",
            {"reference": family.reference, "reason": "Complaint from the MP"},
        )
        assert response.status_code == 302 and response.url == f"/families/{family.pk}/"
        assert client.get(f"/families/{family.pk}/").status_code == 200
        entry = AccessLogEntry.objects.get(user=senior_leader.user)
        assert entry.grant.kind == FamilyGrant.Kind.BREAK_GLASS
        assert entry.grant.reason == "Complaint from the MP"

    def test_break_glass_needs_a_reason(self, family, senior_leader):
        response = client_for(senior_leader).post(
            "/families/break-glass/", {"reference": family.reference}
        )
        assert response.status_code == 400
        assert b"Enter why you need to open this record" in response.content
        assert not FamilyGrant.objects.exists()

    def test_only_senior_leaders_can_break_glass(self, family, outsider):
        response = client_for(outsider).post(
            "/families/break-glass/", {"reference": family.reference, "reason": "Curious"}
        )
        assert response.status_code == 403
        assert not FamilyGrant.objects.exists()
