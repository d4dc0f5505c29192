"""Restricting a record, giving and withdrawing access, and sharing the One Story PDF ask for a
fresh password or code first (DESIGN §5): someone who last confirmed it was them more than five
minutes ago is sent to confirm, and what they posted is not acted on. Each of these actions is
written to the security log against the family's reference."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import SecurityEvent
from families import services
from families.models import Family, FamilyGrant
from onestory import services as story_services
from onestory.models import Entry, StoryExport
from tests.clients import signed_in_client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

IN_A_MONTH = timezone.localdate() + datetime.timedelta(days=30)


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _not_recently_confirmed(worker):
    return signed_in_client(worker.user, recently_authenticated=False)


def _confirmed_again(worker, next_path: str):
    """Signed in long ago, then confirmed with the password on the way to ``next_path``."""
    worker.user.set_password(PASSWORD)
    worker.user.save()
    client = _not_recently_confirmed(worker)
    response = client.post("/account/confirm/", {"secret": PASSWORD, "next": next_path})
    assert response.status_code == 302 and response.url == next_path
    return client


def _asks_to_confirm(response) -> bool:
    return response.status_code == 302 and response.url.startswith("/account/confirm/?next=")


def _give_cover(family, outsider, pod_manager) -> FamilyGrant:
    return services.grant_give(
        family=family,
        user=outsider.user,
        kind=FamilyGrant.Kind.COVER,
        reason="Covering leave",
        expires=timezone.now() + datetime.timedelta(days=7),
        granted_by=pod_manager.user,
    )


class TestRestricting:
    def restrict_post(self, *named):
        review = _date("review_date", IN_A_MONTH)
        return {"reason": "Adoption", **review, "named": [worker.pk for worker in named]}

    def test_the_form_asks_to_confirm_first(self, family, pod_manager):
        url = f"/families/{family.pk}/restrict/"
        assert _asks_to_confirm(_not_recently_confirmed(pod_manager).get(url))

    def test_a_late_post_restricts_nothing(self, family, pod_manager, social_worker):
        client = _not_recently_confirmed(pod_manager)
        url = f"/families/{family.pk}/restrict/"
        assert _asks_to_confirm(client.post(url, self.restrict_post(social_worker)))
        family.refresh_from_db()
        assert not family.restricted and not family.restricted_access.exists()
        assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RECORD_RESTRICTED).exists()

    def test_after_confirming_it_restricts_and_is_logged(self, family, pod_manager, social_worker):
        url = f"/families/{family.pk}/restrict/"
        client = _confirmed_again(pod_manager, url)
        response = client.post(url, self.restrict_post(social_worker), REMOTE_ADDR="10.0.0.9")
        assert response.status_code == 302
        family.refresh_from_db()
        assert family.restricted
        event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.RECORD_RESTRICTED)
        assert (event.user, event.address, event.target_label) == (
            pod_manager.user,
            "10.0.0.9",
            family.reference,
        )
        assert "sw" in event.detail and "Adoption" not in event.detail

    def test_a_senior_leader_can_be_named_so_they_can_be_let_in(
        self, family, pod_manager, senior_leader
    ):
        url = f"/families/{family.pk}/restrict/"
        response = signed_in_client(pod_manager.user).post(url, self.restrict_post(senior_leader))
        assert response.status_code == 302
        assert Family.objects.visible_to(senior_leader.user).filter(pk=family.pk).exists()


class TestGivingAccess:
    def grant_post(self, outsider):
        return {
            "worker": outsider.pk,
            "kind": FamilyGrant.Kind.COVER,
            "reason": "Covering leave",
            **_date("expires", IN_A_MONTH),
        }

    def test_the_page_asks_to_confirm_first(self, family, pod_manager):
        url = f"/families/{family.pk}/access/"
        assert _asks_to_confirm(_not_recently_confirmed(pod_manager).get(url))

    def test_a_late_post_gives_nothing(self, family, pod_manager, outsider):
        client = _not_recently_confirmed(pod_manager)
        url = f"/families/{family.pk}/access/"
        assert _asks_to_confirm(client.post(url, self.grant_post(outsider)))
        assert not FamilyGrant.objects.exists()
        assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.GRANT_GIVEN).exists()

    def test_after_confirming_it_gives_access_and_is_logged(self, family, pod_manager, outsider):
        url = f"/families/{family.pk}/access/"
        client = _confirmed_again(pod_manager, url)
        assert client.post(url, self.grant_post(outsider)).status_code == 302
        assert FamilyGrant.objects.get().user == outsider.user
        event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.GRANT_GIVEN)
        assert (event.user, event.target_label) == (pod_manager.user, family.reference)
        assert "outsider" in event.detail and "Covering leave" not in event.detail


class TestWithdrawingAccess:
    def test_the_question_asks_to_confirm_first(self, family, pod_manager, outsider):
        grant = _give_cover(family, outsider, pod_manager)
        url = f"/families/{family.pk}/access/{grant.pk}/revoke/"
        assert _asks_to_confirm(_not_recently_confirmed(pod_manager).get(url))

    def test_a_late_post_withdraws_nothing(self, family, pod_manager, outsider):
        grant = _give_cover(family, outsider, pod_manager)
        url = f"/families/{family.pk}/access/{grant.pk}/revoke/"
        assert _asks_to_confirm(_not_recently_confirmed(pod_manager).post(url))
        grant.refresh_from_db()
        assert grant.revoked is None
        assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.GRANT_REVOKED).exists()

    def test_after_confirming_it_withdraws_and_is_logged(self, family, pod_manager, outsider):
        grant = _give_cover(family, outsider, pod_manager)
        url = f"/families/{family.pk}/access/{grant.pk}/revoke/"
        client = _confirmed_again(pod_manager, url)
        assert client.post(url).status_code == 302
        grant.refresh_from_db()
        assert grant.revoked is not None
        assert not Family.objects.visible_to(outsider.user).exists()
        event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.GRANT_REVOKED)
        assert (event.user, event.target_label) == (pod_manager.user, family.reference)
        assert "outsider" in event.detail


class TestSharingTheStory:
    @pytest.fixture
    def entry(self, family, social_worker):
        return story_services.entry_record(
            family=family,
            author=social_worker.user,
            kind=Entry.Kind.HOME_VISIT,
            occurred=timezone.now() - datetime.timedelta(days=1),
            children=[],
            final=True,
            what_happened="We planted sunflowers",
        )

    def test_choosing_what_to_share_asks_to_confirm_first(self, family, social_worker):
        url = f"/families/{family.pk}/share/"
        assert _asks_to_confirm(_not_recently_confirmed(social_worker).get(url))

    def test_a_late_post_shares_nothing(self, family, social_worker, entry):
        url = f"/families/{family.pk}/share/"
        response = _not_recently_confirmed(social_worker).post(url, {"entries": [entry.pk]})
        assert _asks_to_confirm(response)
        assert not StoryExport.objects.exists()

    def test_after_confirming_it_shares(self, family, social_worker, entry):
        url = f"/families/{family.pk}/share/"
        client = _confirmed_again(social_worker, url)
        assert client.post(url, {"entries": [entry.pk]}).status_code == 302
        assert StoryExport.objects.get().requested_by == social_worker.user
