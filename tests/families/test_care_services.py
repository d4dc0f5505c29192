"""The care record's services (families/care.py): placements inside a period of care, times
missing, the year's health and offending, care leavers' contact and adoption, with the bad
input the SSDA903 return would reject refused on the field it is about, and nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from families import care, services
from families.models import ChildStatus, HealthOutcomes, Placement

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


def fostered(family, child, start=IN_CARE, **extra):
    details = {"place": "U6", "provider": "PR1", "postcode": "bn2 9qa", "urn": "SC123456"}
    return care.placement_start(family=family, person=child, start=start, **{**details, **extra})


def errors_of(raised) -> dict:
    return raised.value.message_dict


class TestPlacements:
    def test_it_records_a_placement_with_its_postcode_normalised(self, family, child, in_care):
        placement = fostered(family, child)
        assert (placement.place, placement.provider, placement.urn) == ("U6", "PR1", "SC123456")
        assert placement.postcode == "BN2 9QA"
        assert placement.end is None

    def test_a_new_placement_ends_the_one_in_force_the_day_before_with_why(
        self, family, child, in_care
    ):
        first = fostered(family, child)
        second = fostered(
            family,
            child,
            start=datetime.date(2025, 11, 10),
            place="K2",
            provider="PR4",
            postcode="BN1  1AA",
            urn="1234567",
            previous_change_reason="CARPL",
        )
        first.refresh_from_db()
        assert first.end == datetime.date(2025, 11, 9)
        assert first.change_reason == "CARPL"
        assert second.postcode == "BN1 1AA"
        assert list(Placement.objects.current_on(datetime.date(2025, 11, 10))) == [second]

    def test_it_refuses_a_placement_outside_a_period_of_care(self, family, child, in_care):
        with pytest.raises(ValidationError) as raised:
            fostered(family, child, start=datetime.date(2025, 8, 31))
        assert errors_of(raised) == {"start": ["Ada is not looked after on 31 August 2025"]}
        assert not Placement.objects.exists()

    def test_a_provider_is_refused_for_a_temporary_move_and_parents_only_at_home(
        self, family, child, in_care
    ):
        with pytest.raises(ValidationError) as raised:
            fostered(family, child, place="T1", provider="PR3", urn="")
        assert "Leave who provides it empty" in errors_of(raised)["provider"][0]
        with pytest.raises(ValidationError) as raised:
            fostered(family, child, provider="PR0")
        assert errors_of(raised)["provider"] == [care.PARENTS_ONLY_AT_HOME]
        placement = fostered(family, child, place="P1", provider="PR0", urn="")
        assert placement.provider == "PR0"

    def test_a_urn_is_refused_where_there_is_none_and_in_a_wrong_format(
        self, family, child, in_care
    ):
        with pytest.raises(ValidationError) as raised:
            fostered(family, child, place="P1", provider="PR0")
        assert "Leave the Ofsted URN empty" in errors_of(raised)["urn"][0]
        with pytest.raises(ValidationError) as raised:
            fostered(family, child, urn="ABC")
        assert errors_of(raised)["urn"] == [care.URN_FORMAT]
        with pytest.raises(ValidationError) as raised:
            fostered(family, child, place="K2", urn="XXXXXXX")
        assert errors_of(raised)["urn"] == [care.URN_NOT_KNOWN_ONLY]

    def test_a_bad_postcode_is_refused(self, family, child, in_care):
        with pytest.raises(ValidationError) as raised:
            fostered(family, child, postcode="BN2")
        assert errors_of(raised) == {"postcode": [care.POSTCODE_FORMAT]}

    def test_a_missing_urn_or_postcode_is_kept_and_shown_as_missing(self, family, child, in_care):
        placement = fostered(family, child, urn="", postcode="", provider="")
        assert care.placement_missing_facts(placement) == [
            "who provides it",
            "the placement postcode",
            "the Ofsted URN",
        ]

    def test_overlapping_placements_are_refused_and_the_first_is_left_as_it_was(
        self, family, child, in_care
    ):
        later = fostered(family, child, start=datetime.date(2025, 10, 1))
        care.placement_end(placement=later, end=datetime.date(2025, 12, 1), change_reason="CHILD")
        with pytest.raises(ValidationError) as raised:
            fostered(family, child, start=datetime.date(2025, 9, 15))
        assert (
            "Ada already has a placement from 1 October 2025 to 1 December 2025"
            in (errors_of(raised)["start"][0])
        )
        assert Placement.objects.count() == 1

    def test_ending_before_the_start_is_refused(self, family, child, in_care):
        placement = fostered(family, child)
        with pytest.raises(ValidationError) as raised:
            care.placement_end(
                placement=placement, end=datetime.date(2025, 8, 1), change_reason="CHILD"
            )
        assert errors_of(raised) == {
            "end": ["The end date cannot be before the start, 1 September 2025"]
        }


class TestMissing:
    def test_it_records_a_time_missing_and_its_end(self, family, child, in_care):
        episode = care.missing_record(
            family=family, person=child, kind="M", start=datetime.date(2025, 10, 3)
        )
        care.missing_end(episode=episode, end=datetime.date(2025, 10, 4))
        episode.refresh_from_db()
        assert (episode.kind, episode.end) == ("M", datetime.date(2025, 10, 4))

    def test_a_child_not_looked_after_and_dates_out_of_order_are_refused(
        self, family, child, in_care
    ):
        with pytest.raises(ValidationError) as raised:
            care.missing_record(
                family=family, person=child, kind="A", start=datetime.date(2025, 1, 3)
            )
        assert errors_of(raised) == {"start": ["Ada is not looked after on 3 January 2025"]}
        with pytest.raises(ValidationError) as raised:
            care.missing_record(
                family=family,
                person=child,
                kind="A",
                start=datetime.date(2025, 10, 3),
                end=datetime.date(2025, 10, 2),
            )
        assert "end" in errors_of(raised)


class TestHealthOutcomes:
    def test_it_saves_the_year_once_and_saving_again_puts_it_right(self, family, child, in_care):
        care.health_outcomes_save(
            family=family, person=child, year=2026, sdq_score=12, immunisations=True
        )
        care.health_outcomes_save(
            family=family, person=child, year=2026, sdq_reason="SDQ5", teeth_check=False
        )
        outcomes = HealthOutcomes.objects.get()
        assert (outcomes.sdq_score, outcomes.sdq_reason) == (None, "SDQ5")
        assert outcomes.teeth_check is False

    def test_a_score_over_40_and_both_score_and_reason_are_refused(self, family, child, in_care):
        with pytest.raises(ValidationError) as raised:
            care.health_outcomes_save(family=family, person=child, year=2026, sdq_score=41)
        assert errors_of(raised) == {"sdq_score": [care.SDQ_RANGE]}
        with pytest.raises(ValidationError) as raised:
            care.health_outcomes_save(
                family=family, person=child, year=2026, sdq_score=20, sdq_reason="SDQ1"
            )
        assert errors_of(raised) == {"sdq_reason": [care.SDQ_AND_REASON]}
        assert not HealthOutcomes.objects.exists()

    def test_the_development_checks_are_only_for_under_fives(self, family, child, in_care):
        with pytest.raises(ValidationError) as raised:
            care.health_outcomes_save(family=family, person=child, year=2026, health_check=True)
        assert "Ada is 5 or over on 31 March 2026" in errors_of(raised)["health_check"][0]

    def test_a_year_the_child_was_not_looked_after_is_refused(self, family, child, in_care):
        with pytest.raises(ValidationError) as raised:
            care.health_outcomes_save(family=family, person=child, year=2025, sdq_score=3)
        assert errors_of(raised) == {
            "year": ["Ada was not looked after in the year to 31 March 2025"]
        }


class TestCareLeavers:
    def test_all_three_or_none(self, family, child, in_care):
        services.child_status_end(status=in_care, end=datetime.date(2025, 12, 31))
        with pytest.raises(ValidationError) as raised:
            care.leaver_contact_save(
                family=family, person=child, year=2026, in_touch="YES", activity="F2"
            )
        assert errors_of(raised) == {"accommodation": [care.LEAVER_ALL_OR_NONE]}
        contact = care.leaver_contact_save(
            family=family,
            person=child,
            year=2026,
            in_touch="YES",
            activity="F2",
            accommodation="Y1",
        )
        assert contact.accommodation == "Y1"

    def test_a_child_still_in_care_is_not_a_care_leaver(self, family, child, in_care):
        with pytest.raises(ValidationError) as raised:
            care.leaver_contact_save(
                family=family,
                person=child,
                year=2026,
                in_touch="YES",
                activity="F2",
                accommodation="Y1",
            )
        assert errors_of(raised) == {"person": ["Ada had not left care by 31 March 2026"]}


class TestAdoption:
    def test_it_records_the_decision_match_and_adopters(self, family, child, in_care):
        adoption = care.adoption_save(
            family=family,
            person=child,
            decided=datetime.date(2025, 10, 1),
            matched=datetime.date(2026, 1, 5),
            adopters=2,
            adopters_sex="MF",
            adopters_legal_status="L11",
            by_foster_carers=False,
        )
        assert adoption.adopters_sex == "MF"

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"matched": datetime.date(2025, 9, 30)}, "matched"),
            ({"reversed": datetime.date(2025, 11, 1)}, "reversed_reason"),
            ({"reversed_reason": "RD1"}, "reversed"),
            ({"adopters": 1, "adopters_sex": "MF"}, "adopters_sex"),
            ({"adopters": 1, "adopters_legal_status": "L11"}, "adopters_legal_status"),
            ({"adopters": 2, "adopters_sex": "F1"}, "adopters_sex"),
            ({"adopters": 2, "adopters_legal_status": "L0"}, "adopters_legal_status"),
            ({"adopters_sex": "MM", "adopters_legal_status": "L11"}, "adopters_sex"),
        ],
    )
    def test_inconsistent_adoption_facts_are_refused(self, family, child, fields, field):
        with pytest.raises(ValidationError) as raised:
            care.adoption_save(
                family=family, person=child, decided=datetime.date(2025, 10, 1), **fields
            )
        assert field in errors_of(raised)
        assert not child.adoptions.exists()


def test_a_placement_running_on_after_care_ended_needs_its_end(family, child, in_care):
    placement = fostered(family, child)
    services.child_status_end(status=in_care, end=datetime.date(2025, 12, 31))
    in_care.refresh_from_db()
    periods = care.periods_of_care([in_care])
    assert care.placement_missing_facts(placement, periods) == [
        "when it ended (care ended on 31 December 2025)"
    ]
    ended = care.placement_end(
        placement=placement, end=datetime.date(2025, 12, 31), change_reason=""
    )
    assert care.placement_missing_facts(ended, periods) == []


def test_back_to_back_legal_statuses_are_one_period_of_care(family, child, in_care):
    services.child_status_end(status=in_care, end=datetime.date(2025, 10, 31))
    after = services.child_status_start(
        family=family,
        person=child,
        kind=ChildStatus.Kind.LOOKED_AFTER,
        start=datetime.date(2025, 11, 1),
        legal_status="E1",
    )
    in_care.refresh_from_db()
    after = services.child_status_end(status=after, end=datetime.date(2025, 12, 1))
    later = services.child_status_start(
        family=family,
        person=child,
        kind=ChildStatus.Kind.LOOKED_AFTER,
        start=datetime.date(2026, 1, 10),
        legal_status="V2",
    )
    assert care.periods_of_care([in_care, after, later]) == [[in_care, after], [later]]
