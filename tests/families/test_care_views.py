"""The care page and its forms, through the family's door: each form saves and goes back to
the child's care page, bad input comes back on the field it is about (400, nothing saved),
and everyone outside the pod gets the family's 404."""

import datetime

import pytest

from families import care, services
from families.models import AccessLogEntry, ChildStatus, HealthOutcomes, MissingEpisode, Placement

pytestmark = pytest.mark.django_db

IN_CARE = datetime.date(2025, 9, 1)


@pytest.fixture
def in_care(family, child):
    return services.child_status_start(
        family=family,
        person=child,
        kind=ChildStatus.Kind.LOOKED_AFTER,
        start=IN_CARE,
        legal_status="C2",
    )


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def placement_post(child, **extra):
    return {
        "person": child.pk,
        "place": "U6",
        "provider": "PR1",
        "postcode": "bn2 9qa",
        "urn": "SC123456",
        **date_fields("start", datetime.date(2025, 9, 2)),
        **extra,
    }


def test_the_care_page_shows_the_period_of_care_and_what_is_not_recorded(
    social_worker_client, family, child, in_care, social_worker
):
    care.placement_start(family=family, person=child, start=IN_CARE, place="U6", urn="")
    response = social_worker_client.get(f"/families/{family.pk}/care/{child.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada Okafor's care record" in page
    assert "Full care order" in page
    assert "Still to record: who provides it, the placement postcode, the Ofsted URN." in page
    assert AccessLogEntry.objects.filter(family=family, user=social_worker.user).exists()


def test_the_family_page_links_to_the_care_record_of_a_child_who_has_been_looked_after(
    social_worker_client, family, child, in_care
):
    page = social_worker_client.get(f"/families/{family.pk}/").content.decode()
    assert f"/families/{family.pk}/care/{child.pk}/" in page


def test_placement_add_saves_and_goes_back_to_the_care_page(
    social_worker_client, family, child, in_care
):
    response = social_worker_client.post(
        f"/families/{family.pk}/care/placements/add/", placement_post(child)
    )
    assert response.status_code == 302
    assert response.url == f"/families/{family.pk}/care/{child.pk}/"
    assert Placement.objects.get().postcode == "BN2 9QA"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"place": "X9"}, "Choose type of placement from the list"),
        ({"provider": "PR0"}, care.PARENTS_ONLY_AT_HOME),
        ({"place": "P1", "provider": "PR0"}, "Leave the Ofsted URN empty"),
        ({"postcode": "not a postcode"}, care.POSTCODE_FORMAT),
        (
            date_fields("start", datetime.date(2025, 3, 3)),
            "Ada is not looked after on 3 March 2025",
        ),
    ],
)
def test_bad_placements_come_back_on_the_form(
    social_worker_client, family, child, in_care, extra, message
):
    response = social_worker_client.post(
        f"/families/{family.pk}/care/placements/add/", placement_post(child, **extra)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Placement.objects.exists()


def test_an_overlapping_placement_is_a_form_error(social_worker_client, family, child, in_care):
    care.placement_start(
        family=family, person=child, start=datetime.date(2025, 10, 1), place="U6", provider="PR1"
    )
    response = social_worker_client.post(
        f"/families/{family.pk}/care/placements/add/", placement_post(child)
    )
    assert response.status_code == 400
    assert "Ada already has a placement from 1 October 2025" in response.content.decode()


def test_changing_and_ending_a_placement(social_worker_client, family, child, in_care):
    placement = care.placement_start(
        family=family, person=child, start=IN_CARE, place="U6", provider="PR1"
    )
    base = f"/families/{family.pk}/care/placements/{placement.pk}/"
    assert social_worker_client.get(base).status_code == 200
    changed = social_worker_client.post(
        base,
        {"place": "U4", "provider": "PR1", "urn": "SC000001", **date_fields("start", IN_CARE)},
    )
    assert changed.status_code == 302
    ended = social_worker_client.post(
        base + "end/", {**date_fields("end", datetime.date(2025, 12, 1)), "change_reason": "CHILD"}
    )
    assert ended.status_code == 302
    placement.refresh_from_db()
    assert (placement.place, placement.urn) == ("U4", "SC000001")
    assert (placement.end, placement.change_reason) == (datetime.date(2025, 12, 1), "CHILD")


def test_missing_add_and_back(social_worker_client, family, child, in_care):
    response = social_worker_client.post(
        f"/families/{family.pk}/care/missing/add/",
        {"person": child.pk, "kind": "M", **date_fields("start", datetime.date(2025, 10, 3))},
    )
    assert response.status_code == 302
    episode = MissingEpisode.objects.get()
    back = social_worker_client.post(
        f"/families/{family.pk}/care/missing/{episode.pk}/back/",
        date_fields("end", datetime.date(2025, 10, 2)),
    )
    assert back.status_code == 400
    assert "The end date cannot be before the start" in back.content.decode()
    social_worker_client.post(
        f"/families/{family.pk}/care/missing/{episode.pk}/back/",
        date_fields("end", datetime.date(2025, 10, 5)),
    )
    episode.refresh_from_db()
    assert episode.end == datetime.date(2025, 10, 5)


def test_the_years_health_a_score_over_40_and_both_score_and_reason(
    social_worker_client, family, child, in_care
):
    url = f"/families/{family.pk}/care/health/add/"
    over = social_worker_client.post(url, {"person": child.pk, "year": 2026, "sdq_score": 41})
    assert over.status_code == 400
    assert "The SDQ score must be from 0 to 40" in over.content.decode()
    both = social_worker_client.post(
        url, {"person": child.pk, "year": 2026, "sdq_score": 12, "sdq_reason": "SDQ2"}
    )
    assert both.status_code == 400
    assert care.SDQ_AND_REASON in both.content.decode()
    assert not HealthOutcomes.objects.exists()
    saved = social_worker_client.post(
        url, {"person": child.pk, "year": 2026, "sdq_score": 12, "immunisations": "1"}
    )
    assert saved.status_code == 302
    outcomes = HealthOutcomes.objects.get()
    assert (outcomes.sdq_score, outcomes.immunisations, outcomes.convicted) == (12, True, None)
    change = social_worker_client.get(f"/families/{family.pk}/care/health/{outcomes.pk}/")
    assert 'value="1" checked' in change.content.decode()


def test_a_care_leavers_contact_is_all_three_or_none(social_worker_client, family, child, in_care):
    services.child_status_end(status=in_care, end=datetime.date(2025, 12, 31))
    url = f"/families/{family.pk}/care/leaving-care/add/"
    partial = social_worker_client.post(url, {"person": child.pk, "year": 2026, "in_touch": "YES"})
    assert partial.status_code == 400
    assert care.LEAVER_ALL_OR_NONE in partial.content.decode()
    saved = social_worker_client.post(
        url,
        {
            "person": child.pk,
            "year": 2026,
            "in_touch": "YES",
            "activity": "F2",
            "accommodation": "Y1",
        },
    )
    assert saved.status_code == 302


def test_adoption_with_inconsistent_adopters_is_a_form_error(
    social_worker_client, family, child, in_care
):
    url = f"/families/{family.pk}/care/adoption/add/"
    post = {
        "person": child.pk,
        **date_fields("decided", datetime.date(2025, 10, 1)),
        **date_fields("matched", datetime.date(2025, 9, 1)),
    }
    early = social_worker_client.post(url, post)
    assert early.status_code == 400
    assert "The match cannot be before the decision, 1 October 2025" in early.content.decode()
    single = social_worker_client.post(
        url,
        {
            **post,
            **date_fields("matched", datetime.date(2026, 1, 5)),
            "adopters": "1",
            "adopters_sex": "MF",
        },
    )
    assert single.status_code == 400
    assert care.ONE_ADOPTER_SEX in single.content.decode()
    assert not child.adoptions.exists()


def test_a_child_from_another_family_is_a_404_on_the_care_page(
    social_worker_client, family, in_care
):
    from tests.families.conftest import refer

    other = refer(name="The Adeyemi family", child=("Sam", "Adeyemi", datetime.date(2014, 1, 1)))
    sam = other.members.get(relationship="child").person
    assert social_worker_client.get(f"/families/{family.pk}/care/{sam.pk}/").status_code == 404


def test_business_support_may_read_the_care_page_but_not_change_it(
    business_support_client, family, child, in_care
):
    assert business_support_client.get(f"/families/{family.pk}/care/{child.pk}/").status_code == 200
    add = business_support_client.get(f"/families/{family.pk}/care/placements/add/")
    assert add.status_code == 403


def test_it_returns_404_for_a_worker_in_another_pod(outsider_client, family, child, in_care):
    for path in (
        f"/families/{family.pk}/care/{child.pk}/",
        f"/families/{family.pk}/care/placements/add/",
    ):
        assert outsider_client.get(path).status_code == 404
        assert outsider_client.post(path, placement_post(child)).status_code == 404
    assert not Placement.objects.exists()


def test_the_care_page_asks_the_same_queries_however_long_the_record(
    social_worker_client, family, child, in_care, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/families/{family.pk}/care/{child.pk}/"
    care.placement_start(family=family, person=child, start=IN_CARE, place="U6")
    care.missing_record(
        family=family, person=child, kind="M", start=datetime.date(2025, 9, 5),
        end=datetime.date(2025, 9, 6),
    )  # fmt: skip
    with CaptureQueriesContext(connection) as one_of_each:
        assert social_worker_client.get(url).status_code == 200
    for month in (10, 11, 12):
        care.placement_start(
            family=family, person=child, start=datetime.date(2025, month, 1), place="K2"
        )
        care.missing_record(
            family=family, person=child, kind="A", start=datetime.date(2025, month, 5),
            end=datetime.date(2025, month, 6),
        )  # fmt: skip
    care.health_outcomes_save(family=family, person=child, year=2026, sdq_score=4)
    # Sign-in and the door, the child, then one query for each list on the page.
    with django_assert_max_num_queries(len(one_of_each)):
        assert social_worker_client.get(url).status_code == 200
