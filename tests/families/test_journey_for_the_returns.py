"""The journey's forms ask what the statutory returns need at the moment the worker knows it:
the referral's finer source, no further action at the front door, why a social worker
changed, a child protection plan's category and previous plans, a period of care's legal
status, category of need and why it ended."""

import datetime

import pytest
from django.utils import timezone

from families import selectors, services
from families.forms import AllocateForm
from families.models import ChildStatus, Referral
from onestory import assessments
from tests.clients import client_for
from tests.factories import make_worker
from tests.families.conftest import REFERRED, refer

pytestmark = pytest.mark.django_db
DAY_AFTER = REFERRED + datetime.timedelta(days=1)


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


class TestTheReferral:
    def test_the_referral_form_groups_the_dfe_sources(self, front_door, social_worker):
        response = client_for(social_worker).get("/families/refer/")
        assert b'<optgroup label="Health">' in response.content
        assert b"Health: a school nurse" in response.content

    def test_a_re_referral_keeps_the_finer_source(self, family, social_worker):
        services.episode_close(family=family, end=DAY_AFTER, reason="needs_met")
        response = client_for(social_worker).post(
            f"/families/{family.pk}/re-refer/",
            {
                **date_fields("received", REFERRED + datetime.timedelta(days=30)),
                "source": "health_visitor",
                "reason": "Worried again",
            },
        )
        assert response.status_code == 302
        assert family.referrals.order_by("-received").first().source_code == "3B"

    def test_the_referral_page_records_the_primary_need_and_nfa(
        self, family, social_worker, pod_manager
    ):
        referral = family.referrals.get()
        response = client_for(social_worker).post(
            f"/families/{family.pk}/referral/",
            {"source": "police", "primary_need": "N1", "no_further_action": "no"},
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert (referral.source, referral.primary_need, referral.no_further_action) == (
            "police",
            "N1",
            False,
        )
        assert referral.history.latest().history_user == social_worker.user

    def test_a_source_outside_the_list_is_an_error_naming_the_field(self, family, social_worker):
        response = client_for(social_worker).post(
            f"/families/{family.pk}/referral/", {"source": "martians", "primary_need": "N11"}
        )
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert errors["source"] == ["Choose who made the referral from the list"]
        assert errors["primary_need"] == ["Choose a primary need from the list"]

    def test_another_familys_referral_is_404(self, family, social_worker):
        other = refer(name="The Byrne family")
        path = f"/families/{family.pk}/referrals/{other.referrals.get().pk}/"
        assert client_for(social_worker).get(path).status_code == 404


class TestClosing:
    def test_no_further_action_without_an_assessment_is_the_referrals_nfa(
        self, front_door, social_worker
    ):
        family = refer()  # at the front door, never allocated
        assert family.referrals.get().no_further_action is None
        services.episode_close(family=family, end=REFERRED, reason="no_further_action")
        assert family.referrals.get().no_further_action is True

    def test_no_further_action_after_an_assessment_is_not_the_referrals_nfa(
        self, family, social_worker
    ):
        assessments.assessment_start(family=family, started=REFERRED, author=social_worker.user)
        services.episode_close(family=family, end=DAY_AFTER, reason="no_further_action")
        assert family.referrals.get().no_further_action is False

    def test_allocating_a_worker_means_further_action(self, family):
        assert family.referrals.get().no_further_action is False

    def test_a_closure_before_the_referral_is_refused_in_plain_words(self, family, pod_manager):
        response = client_for(pod_manager).post(
            f"/families/{family.pk}/close/",
            {**date_fields("end", REFERRED - datetime.timedelta(days=1)), "reason": "needs_met"},
        )
        assert response.status_code == 400
        assert response.context["form"].errors["end"] == [
            "The episode cannot close before the referral on 3 March 2025"
        ]
        assert family.episodes.get().end is None

    def test_every_closure_reason_is_a_dfe_one_in_plain_words(self, family, pod_manager):
        response = client_for(pod_manager).get(f"/families/{family.pk}/close/")
        choices = dict(response.context["form"].fields["reason"].choices)
        from families.models import Episode

        assert set(choices) == set(Episode.CLOSURE_CODES)
        assert choices["no_further_action"] == "No further action"


class TestChangingWorker:
    def test_a_change_of_worker_asks_why(self, family, pod, pod_manager):
        other = make_worker(team=pod, username="second-sw")
        client = client_for(pod_manager)
        path = f"/families/{family.pk}/transfer/"
        data = {
            "holder": f"{pod.pk}:{other.pk}",
            **date_fields("start", DAY_AFTER),
            "reason": "Sam is on long-term leave",
        }
        refused = client.post(path, data)
        assert refused.status_code == 400
        assert refused.context["form"].errors["change_reason"] == [
            "Choose why the social worker is changing"
        ]
        assert client.post(path, {**data, "change_reason": "ABSENC"}).status_code == 302
        latest = family.allocations.order_by("-start").first()
        assert (latest.worker, latest.change_reason) == (other, "ABSENC")

    def test_the_first_worker_is_not_asked(self, family, front_door):
        waiting = refer(name="The Byrne family")
        assert selectors.is_change_of_worker(waiting) is False
        assert selectors.is_change_of_worker(family) is True
        form = AllocateForm(as_of=timezone.localdate(), change_of_worker=False)
        assert "change_reason" not in form.fields


class TestAChildProtectionPlan:
    def start(self, client, family, child, **fields):
        return client.post(
            f"/families/{family.pk}/statuses/add/",
            {"person": child.pk, "kind": "cp_plan", **fields},
        )

    def test_it_records_the_initial_category_and_the_plans_before(
        self, family, child, social_worker
    ):
        client = client_for(social_worker)
        form = client.get(f"/families/{family.pk}/statuses/add/").context["form"]
        assert form.fields["previous_cp_plans"].initial == 0  # one child, no plans here yet
        response = self.start(
            client, family, child, **date_fields("start", DAY_AFTER), cp_category="neglect"
        )
        assert response.status_code == 302
        plan = ChildStatus.objects.get(person=child, kind="cp_plan")
        assert (plan.initial_cp_category, plan.cp_category, plan.previous_cp_plans) == (
            "neglect",
            "neglect",
            0,
        )

    def test_previous_plans_default_to_those_recorded_here(self, family, child):
        first = services.child_status_start(
            family=family, person=child, kind="cp_plan", start=DAY_AFTER, cp_category="physical"
        )
        services.child_status_end(status=first, end=DAY_AFTER + datetime.timedelta(days=30))
        second = services.child_status_start(
            family=family,
            person=child,
            kind="cp_plan",
            start=DAY_AFTER + datetime.timedelta(days=60),
            cp_category="emotional",
        )
        assert second.previous_cp_plans == 1
        with pytest.raises(services.ValidationError) as error:
            services.child_status_update(status=second, previous_cp_plans=0)
        assert "previous_cp_plans" in error.value.message_dict

    def test_a_plan_cannot_start_before_the_referral(self, family, child, social_worker):
        response = self.start(
            client_for(social_worker),
            family,
            child,
            **date_fields("start", REFERRED - datetime.timedelta(days=2)),
            cp_category="neglect",
        )
        assert response.status_code == 400
        assert response.context["form"].errors["start"] == [
            "The plan cannot start before the referral on 3 March 2025"
        ]
        assert not ChildStatus.objects.filter(person=child).exists()

    def test_a_review_changes_the_latest_category(self, family, child, social_worker):
        plan = services.child_status_start(
            family=family, person=child, kind="cp_plan", start=DAY_AFTER, cp_category="neglect"
        )
        response = client_for(social_worker).post(
            f"/families/{family.pk}/statuses/{plan.pk}/",
            {"initial_cp_category": "neglect", "cp_category": "multiple", "previous_cp_plans": 2},
        )
        assert response.status_code == 302
        plan.refresh_from_db()
        assert (plan.initial_cp_category_code, plan.cp_category_code) == ("NEG", "MUL")
        assert plan.previous_cp_plans == 2


class TestAPeriodOfCare:
    def start(self, client, family, child, **fields):
        return client.post(
            f"/families/{family.pk}/statuses/add/",
            {"person": child.pk, "kind": "looked_after", **date_fields("start", DAY_AFTER)}
            | fields,
        )

    def test_the_category_of_need_comes_from_the_referrals_primary_need(
        self, family, social_worker
    ):
        Referral.objects.filter(family=family).update(primary_need="N4")
        form = client_for(social_worker).get(f"/families/{family.pk}/statuses/add/")
        assert form.context["form"].fields["care_need"].initial == "N4"

    def test_it_records_legal_status_need_uasc_and_previous_permanence(
        self, family, child, social_worker
    ):
        response = self.start(
            client_for(social_worker),
            family,
            child,
            legal_status="C2",
            care_need="N1",
            uasc="on",
            previous_permanence="P2",
            previous_permanence_council="sco",
            **date_fields("previous_permanence_date", datetime.date(2020, 5, 1)),
        )
        assert response.status_code == 302
        care = ChildStatus.objects.get(person=child, kind="looked_after")
        assert (care.legal_status, care.care_need, care.uasc) == ("C2", "N1", True)
        assert (care.previous_permanence, care.previous_permanence_council) == ("P2", "SCO")
        assert care.previous_permanence_date == datetime.date(2020, 5, 1)

    def test_a_council_that_is_not_a_dfe_code_is_an_error_on_that_field(
        self, family, child, social_worker
    ):
        response = self.start(
            client_for(social_worker),
            family,
            child,
            legal_status="C2",
            previous_permanence="P2",
            previous_permanence_council="123",
        )
        assert response.status_code == 400
        assert response.context["form"].errors["previous_permanence_council"] == [
            services.PERMANENCE_COUNCIL_UNKNOWN
        ]
        assert not ChildStatus.objects.filter(person=child).exists()

    def test_the_status_page_records_when_the_child_stopped_being_uasc(
        self, family, child, social_worker
    ):
        child.date_of_birth = datetime.date(2009, 2, 10)
        child.save()
        care = services.child_status_start(
            family=family, person=child, kind="looked_after", start=DAY_AFTER,
            legal_status="V2", uasc=True,
        )  # fmt: skip
        client = client_for(social_worker)
        path = f"/families/{family.pk}/statuses/{care.pk}/"
        page = {"legal_status": "V2", "uasc": "on"}

        after_18 = client.post(path, page | date_fields("uasc_ceased", datetime.date(2027, 3, 1)))
        assert after_18.status_code == 400
        assert after_18.context["form"].errors["uasc_ceased"] == [
            f"{child.first_name} stopped being an unaccompanied asylum-seeking child at 18, "
            "on 10 February 2027, at the latest"
        ]
        not_uasc = client.post(
            path, {"legal_status": "V2"} | date_fields("uasc_ceased", datetime.date(2026, 6, 1))
        )
        assert not_uasc.context["form"].errors["uasc_ceased"] == [services.UASC_CEASED_NOT_UASC]
        care.refresh_from_db()
        assert (care.uasc, care.uasc_ceased) == (True, None), "nothing saved"

        granted = client.post(path, page | date_fields("uasc_ceased", datetime.date(2026, 6, 1)))
        assert granted.status_code == 302
        care.refresh_from_db()
        assert care.uasc_ceased == datetime.date(2026, 6, 1)

    def test_ending_care_asks_why(self, family, child, social_worker):
        care = services.child_status_start(
            family=family, person=child, kind="looked_after", start=DAY_AFTER, legal_status="V2"
        )
        client = client_for(social_worker)
        path = f"/families/{family.pk}/statuses/{care.pk}/end/"
        assert "care_ended" in client.get(path).context["form"].fields
        end = date_fields("end", DAY_AFTER + datetime.timedelta(days=40))
        assert client.post(path, {**end, "care_ended": "E4A"}).status_code == 302
        care.refresh_from_db()
        assert (care.end, care.care_ended) == (DAY_AFTER + datetime.timedelta(days=40), "E4A")

    def test_ending_care_without_saying_why_is_saved_and_shown_as_missing(
        self, family, child, social_worker
    ):
        care = services.child_status_start(
            family=family, person=child, kind="looked_after", start=DAY_AFTER, legal_status="V2"
        )
        path = f"/families/{family.pk}/statuses/{care.pk}/end/"
        last_day = datetime.date(2026, 5, 1)  # inside the returns being made
        response = client_for(social_worker).post(path, date_fields("end", last_day))
        assert response.status_code == 302
        care.refresh_from_db()
        assert (care.end, care.care_ended) == (last_day, "")
        assert "care that ended on 1 May 2026: why it ended" in {
            gap.missing for gap in selectors.return_gaps(family)
        }

    def test_a_reason_outside_the_list_is_an_error_on_that_field(
        self, family, child, social_worker
    ):
        care = services.child_status_start(
            family=family, person=child, kind="looked_after", start=DAY_AFTER, legal_status="V2"
        )
        response = client_for(social_worker).post(
            f"/families/{family.pk}/statuses/{care.pk}/end/",
            {**date_fields("end", DAY_AFTER), "care_ended": "X1"},
        )
        assert response.status_code == 400
        assert response.context["form"].errors["care_ended"] == [
            "Choose why care is ending from the list"
        ]

    def test_a_change_of_legal_status_carries_care_on_the_next_day(
        self, family, child, social_worker
    ):
        care = services.child_status_start(
            family=family,
            person=child,
            kind="looked_after",
            start=DAY_AFTER,
            legal_status="C1",
            care_need="N1",
        )
        last_day = DAY_AFTER + datetime.timedelta(days=60)
        response = client_for(social_worker).post(
            f"/families/{family.pk}/statuses/{care.pk}/end/",
            {
                **date_fields("end", last_day),
                "care_ended": "legal_status_changed",
                "next_legal_status": "C2",
            },
        )
        assert response.status_code == 302
        rows = list(ChildStatus.objects.filter(person=child, kind="looked_after").order_by("start"))
        assert [(r.start, r.end, r.legal_status, r.care_ended) for r in rows] == [
            (DAY_AFTER, last_day, "C1", ""),
            (last_day + datetime.timedelta(days=1), None, "C2", ""),
        ]
        assert rows[1].care_need == "N1"

    def test_a_new_legal_status_outside_the_list_is_refused_and_nothing_ends(self, family, child):
        care = services.child_status_start(
            family=family, person=child, kind="looked_after", start=DAY_AFTER, legal_status="C1"
        )
        with pytest.raises(services.ValidationError):
            services.child_status_end(status=care, end=DAY_AFTER, next_legal_status="ZZ")
        care.refresh_from_db()
        assert care.end is None

    def test_a_status_page_is_404_outside_the_pod(self, family, child, outsider):
        care = services.child_status_start(
            family=family, person=child, kind="looked_after", start=DAY_AFTER, legal_status="C1"
        )
        client = client_for(outsider)
        assert client.get(f"/families/{family.pk}/statuses/{care.pk}/").status_code == 404
