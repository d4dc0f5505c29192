"""Break glass: a senior leader opens a record outside their visibility for a reason, after
confirming it is them; a restricted record is refused without a grant; each attempt is in the
security log."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import SecurityEvent
from families import services
from families.models import FamilyGrant
from tests.clients import signed_in_client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/families/break-glass/"


def _restrict(family, pod_manager, named=()):
    return services.family_restrict(
        family=family,
        reason="Adoption",
        review_date=timezone.localdate() + datetime.timedelta(days=90),
        named_users=list(named),
        by=pod_manager.user,
    )


def _break_glass_events():
    return SecurityEvent.objects.filter(kind=SecurityEvent.Kind.BREAK_GLASS)


class TestConfirmingItIsThem:
    def test_the_form_asks_a_leader_who_confirmed_long_ago_to_confirm_first(self, senior_leader):
        response = signed_in_client(senior_leader.user, recently_authenticated=False).get(URL)
        assert response.status_code == 302
        assert response.url.startswith("/account/confirm/?next=")

    def test_a_late_post_opens_nothing(self, family, senior_leader):
        client = signed_in_client(senior_leader.user, recently_authenticated=False)
        response = client.post(URL, {"reference": family.reference, "reason": "Complaint"})
        assert response.status_code == 302
        assert response.url.startswith("/account/confirm/")
        assert not FamilyGrant.objects.exists()
        assert not _break_glass_events().exists()
        assert client.get(f"/families/{family.pk}/").status_code == 404

    def test_after_confirming_with_the_password_the_record_opens(self, family, senior_leader):
        senior_leader.user.set_password(PASSWORD)
        senior_leader.user.save()
        client = signed_in_client(senior_leader.user, recently_authenticated=False)
        confirmed = client.post("/account/confirm/", {"secret": PASSWORD, "next": URL})
        assert confirmed.status_code == 302 and confirmed.url == URL
        response = client.post(URL, {"reference": family.reference, "reason": "Complaint"})
        assert response.status_code == 302 and response.url == f"/families/{family.pk}/"
        assert FamilyGrant.objects.get().kind == FamilyGrant.Kind.BREAK_GLASS


class TestTheSecurityLog:
    def test_opening_a_record_is_logged_against_the_familys_reference(self, family, senior_leader):
        signed_in_client(senior_leader.user).post(
            URL,
            {"reference": family.reference, "reason": "Complaint from the MP"},
            REMOTE_ADDR="10.1.2.3",
        )
        event = _break_glass_events().get()
        assert (event.outcome, event.user, event.address) == (
            SecurityEvent.Outcome.SUCCESS,
            senior_leader.user,
            "10.1.2.3",
        )
        assert (event.target_type, event.target_id) == ("families.family", str(family.pk))
        assert event.target_label == family.reference
        # The reason is free text about the family: it stays on the grant, not in the log.
        assert "MP" not in event.detail and "Okafor" not in event.detail
        assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.GRANT_GIVEN).exists()

    def test_a_reference_that_does_not_exist_is_logged_as_a_failure(self, family, senior_leader):
        response = signed_in_client(senior_leader.user).post(
            URL, {"reference": "F999999", "reason": "Complaint"}
        )
        assert response.status_code == 400
        assert b"No family has this reference" in response.content
        event = _break_glass_events().get()
        assert event.outcome == SecurityEvent.Outcome.FAILURE
        assert "F999999" in event.detail and event.target_id == ""

    def test_a_name_typed_as_the_reference_is_not_written_to_the_log(self, family, senior_leader):
        signed_in_client(senior_leader.user).post(
            URL, {"reference": "Ada Okafor", "reason": "Complaint"}
        )
        assert "Okafor" not in _break_glass_events().get().detail


class TestARestrictedRecord:
    def test_it_is_refused_without_a_grant_and_says_who_to_ask(
        self, family, senior_leader, pod_manager
    ):
        _restrict(family, pod_manager)
        client = signed_in_client(senior_leader.user)
        response = client.post(URL, {"reference": family.reference, "reason": "Complaint"})
        content = response.content.decode()
        assert response.status_code == 400
        assert "This record is restricted" in content
        assert "Ask the manager of the pod that holds the family" in content
        assert "You can see this record until" not in content
        assert not FamilyGrant.objects.exists()
        assert client.get(f"/families/{family.pk}/").status_code == 404

    def test_the_refusal_reveals_neither_the_family_nor_the_people_named(
        self, family, senior_leader, pod_manager, pod
    ):
        _restrict(family, pod_manager)
        response = signed_in_client(senior_leader.user).post(
            URL, {"reference": family.reference, "reason": "Complaint"}
        )
        content = response.content.decode()
        for secret in ("Okafor", pod.name, pod_manager.name, "Adoption"):
            assert secret not in content, secret

    def test_the_refusal_is_logged(self, family, senior_leader, pod_manager):
        _restrict(family, pod_manager)
        signed_in_client(senior_leader.user).post(
            URL, {"reference": family.reference, "reason": "Complaint"}
        )
        event = _break_glass_events().get()
        assert event.outcome == SecurityEvent.Outcome.REFUSED
        assert (event.user, event.target_label) == (senior_leader.user, family.reference)

    def test_a_leader_named_on_the_restriction_is_not_refused(
        self, family, senior_leader, pod_manager
    ):
        _restrict(family, pod_manager, named=[senior_leader.user])
        grant = services.break_glass(family=family, user=senior_leader.user, reason="Complaint")
        assert grant.kind == FamilyGrant.Kind.BREAK_GLASS
