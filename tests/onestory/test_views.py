"""One Story screens: record a visit in one form, the summary conflict, the chronology."""

import datetime

import pytest
from django.utils import timezone

from families import services as family_services
from families.models import ChildStatus
from onestory import services
from onestory.models import CaseSummary, Entry
from pods.models import Worker
from tests.clients import client_for
from tests.factories import make_worker

pytestmark = pytest.mark.django_db


def _visit_form(child, **changes):
    today = timezone.localdate()
    data = {
        "kind": "home_visit",
        "date_day": today.day,
        "date_month": today.month,
        "date_year": today.year,
        "time": "",
        f"child_{child.pk}_seen": "on",
        "what_happened": "Ada showed me her drawings",
        "childs_voice": "",
        "analysis": "",
        "next_steps": "",
        "save": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


class TestRecordAVisit:
    def test_the_form_opens_with_today_and_the_children_listed(self, family, child, social_worker):
        response = client_for(social_worker).get(f"/families/{family.pk}/record/")
        assert response.status_code == 200
        form = response.context["form"]
        assert form.initial["date"] == timezone.localdate()
        assert form.initial["kind"] == "home_visit"
        assert [row[0] for row in form.child_rows()] == [child]

    def test_one_post_records_it_and_lands_on_the_chronology(self, family, child, social_worker):
        response = client_for(social_worker).post(
            f"/families/{family.pk}/record/", _visit_form(child)
        )
        assert response.status_code == 302 and response.url == f"/families/{family.pk}/chronology/"
        entry = Entry.objects.get()
        assert (entry.status, entry.author) == (Entry.Status.FINAL, social_worker.user)
        assert [seen.person for seen in entry.children_seen.all()] == [child]

    def test_a_draft_is_kept_and_opens_again_in_the_same_form(self, family, child, social_worker):
        client = client_for(social_worker)
        client.post(
            f"/families/{family.pk}/record/",
            _visit_form(child, save=None, save_draft="1", what_happened="Half way"),
        )
        draft = Entry.objects.get()
        assert draft.status == Entry.Status.DRAFT
        page = client.get(f"/families/{family.pk}/entries/{draft.pk}/continue/")
        assert page.context["form"].initial["what_happened"] == "Half way"
        client.post(
            f"/families/{family.pk}/entries/{draft.pk}/continue/",
            _visit_form(child, what_happened="Done"),
        )
        assert Entry.objects.get().status == Entry.Status.FINAL

    def test_a_visit_in_the_future_is_refused(self, family, child, social_worker):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = client_for(social_worker).post(
            f"/families/{family.pk}/record/",
            _visit_form(
                child, date_day=tomorrow.day, date_month=tomorrow.month, date_year=tomorrow.year
            ),
        )
        assert response.status_code == 400
        assert "The date must be today or in the past" in response.content.decode()
        assert not Entry.objects.exists()

    def test_alone_without_seen_is_refused_and_what_was_typed_comes_back(
        self, family, child, social_worker
    ):
        response = client_for(social_worker).post(
            f"/families/{family.pk}/record/",
            _visit_form(child, **{f"child_{child.pk}_seen": None, f"child_{child.pk}_alone": "on"}),
        )
        assert response.status_code == 400
        assert "Ada cannot have been seen alone without being seen" in response.content.decode()
        assert "Ada showed me her drawings" in response.content.decode(), "nothing written is lost"
        assert not Entry.objects.exists()

    def test_an_empty_visit_asks_what_happened(self, family, child, social_worker):
        response = client_for(social_worker).post(
            f"/families/{family.pk}/record/", _visit_form(child, what_happened="")
        )
        assert "Enter what happened" in response.content.decode()

    def test_script_in_the_text_is_shown_as_text(self, family, child, social_worker):
        client = client_for(social_worker)
        client.post(
            f"/families/{family.pk}/record/",
            _visit_form(child, what_happened="<script>alert('x')</script> said hello"),
        )
        page = client.get(f"/families/{family.pk}/chronology/").content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; said hello" in page

    def test_business_support_cannot_record(self, family, child, business_support):
        response = client_for(business_support).post(
            f"/families/{family.pk}/record/", _visit_form(child)
        )
        assert response.status_code == 403
        assert not Entry.objects.exists()


class TestSummaryConflict:
    def test_the_second_save_is_shown_both_texts_and_saves_against_the_newer_version(
        self, family, social_worker, pod_manager
    ):
        mine, theirs = client_for(social_worker), client_for(pod_manager)
        empty = {name: "" for name in CaseSummary.SECTIONS}
        mine.get(f"/families/{family.pk}/summary/")
        theirs.post(
            f"/families/{family.pk}/summary/", {**empty, "version": 0, "plan": "Morgan's plan"}
        )
        response = mine.post(
            f"/families/{family.pk}/summary/", {**empty, "version": 0, "plan": "Sam's plan"}
        )
        assert response.status_code == 409
        content = response.content.decode()
        assert "Morgan&#x27;s plan" in content and "Sam&#x27;s plan" in content
        assert CaseSummary.objects.get(family=family).plan == "Morgan's plan"
        form = response.context["form"]
        assert form.initial["version"] == 1 and form.initial["plan"] == "Sam's plan"
        again = mine.post(
            f"/families/{family.pk}/summary/", {**empty, "version": 1, "plan": "Both plans"}
        )
        assert again.status_code == 302
        assert CaseSummary.objects.get(family=family).plan == "Both plans"


class TestChronology:
    def _entries(self, family, child, author, count, **extra):
        for n in range(count):
            services.entry_record(
                family=family,
                author=author.user,
                kind=extra.get("kind", Entry.Kind.HOME_VISIT),
                occurred=timezone.now() - datetime.timedelta(days=n + 1),
                children=[services.ChildSeenDetails(person=child, seen=True)],
                final=True,
                significant=extra.get("significant", False),
                what_happened=f"Visit {n}",
            )

    def test_it_merges_entries_and_status_changes_newest_first(self, family, child, social_worker):
        family_services.child_status_start(
            family=family,
            person=child,
            kind=ChildStatus.Kind.CIN_PLAN,
            start=timezone.localdate() - datetime.timedelta(days=2),
        )
        self._entries(family, child, social_worker, 3)
        items = (
            client_for(social_worker)
            .get(f"/families/{family.pk}/chronology/")
            .context["story"]
            .items
        )
        titles = [getattr(item, "title", None) or item.what_happened for item in items]
        assert titles == ["Visit 0", "Visit 1", "Ada: Child in need plan started", "Visit 2"]

    def test_significant_events_come_first_and_filters_work(self, family, child, social_worker):
        self._entries(family, child, social_worker, 2)
        self._entries(
            family, child, social_worker, 1, kind=Entry.Kind.SIGNIFICANT_EVENT, significant=True
        )
        client = client_for(social_worker)
        story = client.get(f"/families/{family.pk}/chronology/").context["story"]
        assert [e.kind for e in story.significant] == ["significant_event"]
        only = client.get(f"/families/{family.pk}/chronology/", {"significant": "on"}).context[
            "story"
        ]
        assert [e.kind for e in only.items] == ["significant_event"]
        visits = client.get(f"/families/{family.pk}/chronology/", {"kind": "home_visit"}).context[
            "story"
        ]
        assert len(visits.items) == 2

    def test_other_peoples_drafts_are_not_shown(self, family, child, social_worker, pod_manager):
        services.entry_record(
            family=family,
            author=pod_manager.user,
            kind=Entry.Kind.HOME_VISIT,
            occurred=timezone.now() - datetime.timedelta(hours=1),
            children=[],
            final=False,
            what_happened="Morgan's draft",
        )
        items = (
            client_for(social_worker)
            .get(f"/families/{family.pk}/chronology/")
            .context["story"]
            .items
        )
        assert items == []

    def test_the_query_count_does_not_grow_with_the_story(
        self, family, child, social_worker, django_assert_max_num_queries
    ):
        client = client_for(social_worker)
        self._entries(family, child, social_worker, 3)
        with django_assert_max_num_queries(20) as few:
            client.get(f"/families/{family.pk}/chronology/")
        self._entries(family, child, social_worker, 120)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(f"/families/{family.pk}/chronology/")
        assert response.context["story"].has_next


class TestVisitsDue:
    def test_the_home_page_lists_an_overdue_child_until_the_visit_is_recorded(
        self, family, child, social_worker
    ):
        family_services.child_status_start(
            family=family,
            person=child,
            kind=ChildStatus.Kind.CP_PLAN,
            cp_category="neglect",
            start=timezone.localdate() - datetime.timedelta(days=30),
        )
        client = client_for(social_worker)
        [due] = client.get("/").context["visits_due"]
        assert due.child == child and due.is_overdue

        form = client.get(f"/families/{family.pk}/record/", {"child": child.pk}).context["form"]
        assert form.initial[f"child_{child.pk}_seen"] is True, (
            "opened from the due list, Ada is ticked"
        )
        client.post(f"/families/{family.pk}/record/", _visit_form(child))

        [due] = client.get("/").context["visits_due"]
        assert not due.is_overdue and due.last_seen == timezone.localdate()

    def test_the_pod_page_lists_the_pods_children_due(self, family, child, pod_manager):
        family_services.child_status_start(
            family=family,
            person=child,
            kind=ChildStatus.Kind.CIN_PLAN,
            start=timezone.localdate() - datetime.timedelta(days=3),
        )
        [due] = client_for(pod_manager).get("/my-pod/").context["visits_due"]
        assert due.child == child and not due.is_overdue

    def test_the_family_lists_show_days_since_the_last_visit(self, family, child, social_worker):
        services.entry_record(
            family=family,
            author=social_worker.user,
            kind=Entry.Kind.HOME_VISIT,
            occurred=timezone.now() - datetime.timedelta(days=4),
            children=[services.ChildSeenDetails(person=child, seen=True)],
            final=True,
            what_happened="Seen",
        )
        response = client_for(social_worker).get("/families/")
        [listed] = response.context["families"]
        assert (timezone.localdate() - timezone.localtime(listed.last_visit).date()).days == 4
        assert 'data-sort-value="4"' in response.content.decode()


class TestCorrectAnEntry:
    @pytest.fixture
    def entry(self, family, child, social_worker):
        client_for(social_worker).post(
            f"/families/{family.pk}/record/",
            _visit_form(child, what_happened="Ada was at school"),
        )
        return Entry.objects.get()

    def url(self, entry):
        return f"/families/{entry.family_id}/entries/{entry.pk}/correct/"

    def test_the_author_corrects_it_and_both_versions_are_shown(self, entry, child, social_worker):
        client = client_for(social_worker)
        opened = client.get(self.url(entry))
        assert opened.context["form"].initial["what_happened"] == "Ada was at school"
        response = client.post(
            self.url(entry),
            _visit_form(child, what_happened="Ada was at home", reason="Wrong place", save=None),
        )
        assert response.status_code == 302
        entry.refresh_from_db()
        assert (entry.what_happened, entry.status) == ("Ada was at home", Entry.Status.FINAL)
        page = client.get(response.url).content.decode()
        assert "Corrected: Wrong place" in page
        assert "What happened changed" in page
        assert "When it happened changed" not in page, "the same minute is not a correction"
        assert "Ada was at school" in page and "Ada was at home" in page
        reasons = list(entry.history.values_list("history_change_reason", "history_user"))
        assert ("Corrected: Wrong place", social_worker.user.pk) in reasons

    def test_without_a_reason_nothing_changes(self, entry, child, social_worker):
        response = client_for(social_worker).post(
            self.url(entry), _visit_form(child, what_happened="Changed", reason="")
        )
        assert response.status_code == 400
        assert response.context["form"].errors["reason"] == ["Say what you corrected and why"]
        entry.refresh_from_db()
        assert entry.what_happened == "Ada was at school" and entry.history.count() == 1

    def test_a_long_reason_is_refused_and_nothing_changes(self, entry, child, social_worker):
        response = client_for(social_worker).post(
            self.url(entry), _visit_form(child, what_happened="Changed", reason="x" * 200)
        )
        assert response.status_code == 400
        assert "88 characters or fewer: it has 200" in response.context["form"].errors["reason"][0]
        entry.refresh_from_db()
        assert entry.what_happened == "Ada was at school"

    def test_a_colleague_in_the_pod_may_read_but_not_correct(self, entry, child, pod, pod_manager):
        colleague = make_worker(team=pod)
        client = client_for(colleague)
        assert (
            "Correct this entry"
            not in client.get(f"/families/{entry.family_id}/entries/{entry.pk}/").content.decode()
        )
        response = client.post(
            self.url(entry), _visit_form(child, what_happened="Changed", reason="Mine now")
        )
        assert response.status_code == 403
        entry.refresh_from_db()
        assert entry.what_happened == "Ada was at school"
        # The pod manager may correct it.
        response = client_for(pod_manager).post(
            self.url(entry), _visit_form(child, what_happened="Changed", reason="Typo")
        )
        assert response.status_code == 302

    def test_a_draft_is_not_corrected_but_carried_on_with(self, family, child, social_worker):
        client = client_for(social_worker)
        client.post(f"/families/{family.pk}/record/", _visit_form(child, save=None, save_draft="1"))
        draft = Entry.objects.get()
        assert client.get(self.url(draft)).status_code == 404

    def test_a_students_correction_is_countersigned_again(self, family, child, pod, social_worker):
        student = make_worker(role=Worker.Role.STUDENT_SOCIAL_WORKER, team=pod)
        client = client_for(student)
        client.post(f"/families/{family.pk}/record/", _visit_form(child))
        entry = Entry.objects.get()
        services.entry_countersign(entry=entry, by=social_worker.user)
        response = client.post(
            self.url(entry), _visit_form(child, what_happened="Fixed", reason="Spelling")
        )
        assert response.status_code == 302
        entry.refresh_from_db()
        assert (entry.status, entry.countersigned_by) == (
            Entry.Status.AWAITING_COUNTERSIGNATURE,
            None,
        )
