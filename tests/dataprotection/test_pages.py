"""The data protection officer's screens: every one of them 404 to anyone else (walked from the
URL patterns, so a new page is covered by itself), and the review, decision and hold forms
with their bad input."""

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dataprotection import review as review_
from dataprotection import sar as sar_
from dataprotection.models import (
    DestructionStub,
    LegalHold,
    Redaction,
    ReviewItem,
    SubjectAccessRequest,
)
from families.models import Family
from pods.models import Worker
from tests.clients import signed_in_client
from tests.dataprotection.conftest import REVIEW_DAY
from tests.factories import make_worker

pytestmark = pytest.mark.django_db
ARGUMENT = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")


def data_protection_routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from data_protection_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("data-protection/"):
            yield "/" + route


@pytest.fixture
def values(old_family, dpo, second_dpo, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    review = review_.build_review(REVIEW_DAY)
    hold = LegalHold.objects.create(  # released, so it holds nothing
        kind="other",
        title="A claim",
        placed_by=dpo,
        placed=datetime.date(2026, 1, 5),
        released=datetime.date.today(),
    )
    stub = DestructionStub.objects.create(
        category="early_help", reference="F999999", rule=review.items.first().rule,
        rule_as_it_read="x", counts={}, destroyed_by=dpo,
    )  # fmt: skip
    # A request about the family's child, gathered, with a passage withheld, signed off by
    # the second officer, its bundle made and sent.
    sar = sar_.sar_log(
        received=datetime.date.today(), how="email", requester_name="Ada Okafor",
        requester="subject", subject=old_family.members.get(relationship="child").person,
        identity_checked=datetime.date.today(), identity_how="Passport", by=dpo,
    )  # fmt: skip
    sar_.sar_gather(sar=sar, by=dpo)
    record = sar.items.first()
    redaction = sar_.redaction_mark(
        item=record, passage=record.text.split()[0], reason="third_party", by=dpo
    )[0]
    sar_.sar_sign_off(sar=sar, by=second_dpo)
    sar_.sar_bundle_build(sar_id=sar.pk)
    # Answered, so it does not hold the family (an open request would stop its destruction).
    sar.refresh_from_db()
    sar_.disclosure_record(sar=sar, sent=datetime.date.today(), sent_to="Ada", how="post", by=dpo)
    return {"item_id": review.items.get(family=old_family).pk, "hold_id": hold.pk,
            "stub_id": stub.pk, "sar_id": sar.pk, "record_id": record.pk,
            "redaction_id": redaction.pk}  # fmt: skip


POST_ONLY = ("/release/", "/gather/", "/remove/", "/bundle/")


def fill(route, values):
    def replace(match):
        name = match.group("name")
        assert name in values, f"The walk does not know how to fill <{name}> in {route}"
        return str(values[name])

    return ARGUMENT.sub(replace, route)


def test_the_walk_finds_the_pages():
    assert len(list(data_protection_routes())) >= 21


@pytest.mark.parametrize(
    "role",
    [
        Worker.Role.SOCIAL_WORKER, Worker.Role.POD_MANAGER, Worker.Role.SENIOR_LEADER,
        Worker.Role.PERFORMANCE_OFFICER, Worker.Role.COMPLAINTS_OFFICER,
    ],
)  # fmt: skip
def test_everyone_but_a_data_protection_officer_gets_404_on_every_page(role, values, pod):
    client = signed_in_client(make_worker(role=role, team=pod).user)
    for route in data_protection_routes():
        url = fill(route, values)
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"destroy": "1", "confirmed": "on"}).status_code == 404, url
    assert ReviewItem.objects.get(pk=values["item_id"]).status == "due", "nothing decided"
    assert LegalHold.objects.get(pk=values["hold_id"]).released_by is None


def test_a_data_protection_officer_opens_every_page(values, dpo):
    client = signed_in_client(dpo)
    for route in data_protection_routes():
        if route.endswith(POST_ONLY):
            continue
        response = client.get(fill(route, values))
        assert response.status_code == 200, route
        if "/requests/" not in route:  # a subject access request names its subject
            assert "Okafor" not in response.content.decode(), "no name, only references"


def test_the_navigation_has_data_protection_for_the_officer_only(dpo, social_worker):
    assert b'href="/data-protection/"' in signed_in_client(dpo).get("/").content
    assert b'href="/data-protection/"' not in signed_in_client(social_worker.user).get("/").content


class TestDeciding:
    def test_keeping_without_a_reason_or_date_says_both_and_saves_nothing(self, values, dpo):
        url = f"/data-protection/review/{values['item_id']}/"
        response = signed_in_client(dpo).post(url, {"defer": "1", "reason": ""})
        assert response.status_code == 400
        content = response.content.decode()
        assert review_.DEFER_NEEDS_REASON in content and review_.DEFER_NEEDS_DATE in content
        assert ReviewItem.objects.get(pk=values["item_id"]).status == "due"

    def test_keeping_with_a_reason_and_date(self, values, dpo):
        url = f"/data-protection/review/{values['item_id']}/"
        response = signed_in_client(dpo).post(
            url, {"defer": "1", "reason": "Sibling's proceedings", "look_again_day": "1",
                  "look_again_month": "6", "look_again_year": "2099"},
        )  # fmt: skip
        assert response.status_code == 302
        item = ReviewItem.objects.get(pk=values["item_id"])
        assert (item.status, item.look_again) == ("deferred", datetime.date(2099, 6, 1))

    def test_destroying_unticked_is_refused_then_two_officers_destroy(
        self, values, dpo, second_dpo, old_family
    ):
        url = f"/data-protection/review/{values['item_id']}/"
        first = signed_in_client(dpo)
        unticked = first.post(url, {"destroy": "1"})
        assert unticked.status_code == 400
        assert review_.NOT_CONFIRMED in unticked.content.decode()
        assert first.post(url, {"destroy": "1", "confirmed": "on"}).status_code == 302
        again = first.post(url, {"destroy": "1", "confirmed": "on"})
        assert (
            again.status_code == 400
            and "a second data protection officer" in again.content.decode()
        )
        assert Family.objects.filter(pk=old_family.pk).exists()
        done = signed_in_client(second_dpo).post(url, {"destroy": "1", "confirmed": "on"})
        stub = DestructionStub.objects.get(reference=old_family.reference)
        assert done["Location"] == f"/data-protection/destroyed/{stub.pk}/"
        assert not Family.objects.filter(pk=old_family.pk).exists()
        # The subject access request's copies of the records went with them; the request and
        # its disclosure log stay, its subject cleared.
        sar = SubjectAccessRequest.objects.get(pk=values["sar_id"])
        assert not sar.items.exists() and not Redaction.history.exists()
        assert sar.subject is None and sar.disclosures.count() == 1


class TestHolds:
    def test_a_hold_on_a_family_that_does_not_exist_names_the_reference(self, dpo):
        response = signed_in_client(dpo).post(
            "/data-protection/holds/", {"kind": "inquiry", "title": "An inquiry",
                                         "family_reference": "f123456"},
        )  # fmt: skip
        assert response.status_code == 400
        assert "There is no family F123456" in response.content.decode()
        assert not LegalHold.objects.exists()

    def test_placing_and_releasing_a_hold_on_a_family(self, dpo, old_family):
        client = signed_in_client(dpo)
        response = client.post(
            "/data-protection/holds/", {"kind": "proceedings", "title": "Care proceedings",
                                         "family_reference": old_family.reference.lower()},
        )  # fmt: skip
        assert response.status_code == 302
        hold = LegalHold.objects.get()
        assert (hold.family, hold.placed_by) == (old_family, dpo)
        assert review_.build_review(REVIEW_DAY).items.get(family=old_family).status == "held"
        client.post(f"/data-protection/holds/{hold.pk}/release/")
        hold.refresh_from_db()
        assert hold.released is not None and hold.released_by == dpo
