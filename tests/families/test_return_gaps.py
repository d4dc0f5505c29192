"""What the statutory returns still need, on the family page: the list shrinks as the facts
are recorded, each gap links to the form that records it, and a complete family shows
nothing."""

import datetime

import pytest
from django.utils import timezone

from families import selectors, services
from families.models import ChildStatus, Placement
from onestory import assessments
from tests.clients import client_for
from tests.families.conftest import REFERRED

pytestmark = pytest.mark.django_db
GOOD_UPN = "Q846120012345"  # checked below, so a change to the rule shows here first
DAY_AFTER = REFERRED + datetime.timedelta(days=1)
IN_CARE = datetime.date(2026, 5, 1)  # inside the returns being made on any day of 2026-27


def missing(family) -> list[tuple[str, str]]:
    return [
        (gap.person.first_name if gap.person else "-", gap.missing)
        for gap in selectors.return_gaps(family)
    ]


def test_the_upn_used_here_is_good():
    assert services.upn_problem(GOOD_UPN) is None


def test_the_returns_window_starts_with_the_last_year_that_has_ended():
    assert selectors.returns_window_start(datetime.date(2026, 12, 2)) == datetime.date(2025, 4, 1)
    assert selectors.returns_window_start(datetime.date(2026, 3, 31)) == datetime.date(2024, 4, 1)
    assert selectors.returns_window_start(datetime.date(2026, 4, 1)) == datetime.date(2025, 4, 1)


def test_the_list_shrinks_as_the_facts_are_recorded(family, child, social_worker, pod_manager):
    assert missing(family) == [
        ("Ada", "ethnicity"),
        ("Ada", "unique pupil number (UPN), or why there is none"),
        ("Ada", "disabilities, or that there is none"),
    ]
    services.person_update(family=family, person=child, ethnicity="BAFR", upn=GOOD_UPN)
    assert missing(family) == [("Ada", "disabilities, or that there is none")]
    services.person_update(family=family, person=child, disabilities=["NONE"])
    assert missing(family) == []

    # A child protection plan from before this work, with no initial category or plans before.
    plan = services.child_status_start(
        family=family, person=child, kind="cp_plan", start=DAY_AFTER, cp_category="neglect"
    )
    ChildStatus.objects.filter(pk=plan.pk).update(initial_cp_category="", previous_cp_plans=None)
    assert missing(family) == [
        ("Ada", "child protection plan from 4 March 2025: the category at the initial conference"),
        ("Ada", "child protection plan from 4 March 2025: how many plans before it"),
    ]
    services.child_status_update(status=plan, initial_cp_category="neglect", previous_cp_plans=0)
    assert missing(family) == []

    # An authorised assessment: the referral then needs its primary need.
    assessment = assessments.assessment_start(
        family=family, started=DAY_AFTER, author=social_worker.user
    )
    assessment.completed = DAY_AFTER
    assessment.signed_off = timezone.now()
    assessment.signed_off_by = pod_manager.user
    assessment.save()
    referral = family.referrals.get()
    assert missing(family) == [
        ("-", "the primary need decided at assessment, for the referral of 3 March 2025")
    ]
    services.referral_update(
        referral=referral, source=referral.source, primary_need="N1", no_further_action=False
    )
    assert missing(family) == []


def test_a_period_of_care_needs_its_facts_and_a_placement(family, child):
    services.person_update(
        family=family, person=child, ethnicity="BAFR", upn=GOOD_UPN, disabilities=["NONE"]
    )
    care = services.child_status_start(
        family=family, person=child, kind="looked_after", start=IN_CARE, legal_status="C1"
    )
    gaps = selectors.return_gaps(family)
    assert [(g.missing, g.url_name, g.url_kwargs) for g in gaps] == [
        (
            "care from 1 May 2026: the category of need",
            "status_edit",
            {"family_id": family.pk, "status_id": care.pk},
        ),
        (
            "care from 1 May 2026: whether the child had a permanence order before",
            "status_edit",
            {"family_id": family.pk, "status_id": care.pk},
        ),
        ("where they live now: a placement", "placement_add", {"family_id": family.pk}),
    ]
    services.child_status_update(status=care, care_need="N1", previous_permanence="P2")
    Placement.objects.create(family=family, person=child, start=IN_CARE, place="U6")
    # An order before care needs the council that made it and its date (903/630).
    assert missing(family) == [
        ("Ada", "care from 1 May 2026: the council that made the previous permanence order"),
        ("Ada", "care from 1 May 2026: the date of the previous permanence order"),
    ]
    services.child_status_update(
        status=care, previous_permanence_council="846", previous_permanence_date=DAY_AFTER
    )
    assert missing(family) == []

    # Care that ended without saying why; a legal status change in between is not an ending.
    services.child_status_end(
        status=care, end=IN_CARE + datetime.timedelta(days=9), next_legal_status="C2"
    )
    assert missing(family) == [], "care carried on under a new legal status: no new order"
    second = ChildStatus.objects.get(person=child, kind="looked_after", end__isnull=True)
    Placement.objects.filter(person=child).update(end=IN_CARE + datetime.timedelta(days=20))
    services.child_status_end(status=second, end=IN_CARE + datetime.timedelta(days=20))
    assert missing(family) == [("Ada", "care that ended on 21 May 2026: why it ended")]
    services.child_status_update(status=second, care_ended="E4A")
    assert missing(family) == []


def test_a_closed_episode_out_of_the_returns_being_made_shows_nothing(family, child):
    services.episode_close(family=family, end=DAY_AFTER, reason="needs_met")
    # Closed on 4 March 2025, before the window (1 April 2025 today): nothing to add.
    assert selectors.returns_window_start(timezone.localdate()) > DAY_AFTER
    assert selectors.return_gaps(family) == []


def test_the_family_page_shows_the_panel_with_its_links(family, child, social_worker):
    response = client_for(social_worker).get(f"/families/{family.pk}/")
    content = response.content.decode()
    assert "For the statutory returns" in content
    assert f'href="/families/{family.pk}/people/{child.pk}/"' in content


def test_a_complete_family_shows_no_panel(family, child, social_worker):
    services.person_update(
        family=family, person=child, ethnicity="BAFR", upn_unknown="UN4", disabilities=["NONE"]
    )
    response = client_for(social_worker).get(f"/families/{family.pk}/")
    assert response.context["return_gaps"] == []
    assert b"For the statutory returns" not in response.content


def test_business_support_sees_the_gaps_but_no_links_to_forms_they_cannot_use(
    family, business_support
):
    response = client_for(business_support).get(f"/families/{family.pk}/")
    assert b"For the statutory returns" in response.content
    assert b"Add<span" not in response.content


def test_the_gaps_take_a_few_queries_however_many_children(
    family, child, django_assert_max_num_queries
):
    for number in range(5):
        services.person_add(
            family=family,
            details=services.PersonDetails(
                first_name=f"Child {number}", last_name="Okafor", relationship="child"
            ),
        )
        kid = family.members.get(person__first_name=f"Child {number}").person
        services.child_status_start(
            family=family, person=kid, kind="looked_after", start=DAY_AFTER, legal_status="C1"
        )
    # episodes, children, statuses, placements in force, authorised assessments
    with django_assert_max_num_queries(5):
        gaps = selectors.return_gaps(family)
    assert len(gaps) > 10
