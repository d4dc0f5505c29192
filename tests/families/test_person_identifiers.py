"""A child's identifiers, asked where the worker knows them: the add-person form and the
person's own page, with the unique pupil number checked as the DfE checks it."""

import datetime

import pytest

from families import services
from families.models import FamilyMember, Person
from tests.clients import client_for

pytestmark = pytest.mark.django_db

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def with_check_letter(twelve: str) -> str:
    """The DfE's rule 1510, written out again here: digits 2-13 weighted 2 to 13, mod 23."""
    total = sum(int(digit) * weight for digit, weight in zip(twelve, range(2, 14), strict=True))
    return CHECK_LETTERS[total % 23] + twelve


GOOD_UPN = with_check_letter("846120012345")  # 846: the demo authority's council number
WRONG_LETTER_UPN = next(letter for letter in CHECK_LETTERS if letter != GOOD_UPN[0]) + GOOD_UPN[1:]


def person_page(family, person):
    return f"/families/{family.pk}/people/{person.pk}/"


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def edit_data(person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "gender": person.gender,
        "date_of_birth_day": person.date_of_birth.day if person.date_of_birth else "",
        "date_of_birth_month": person.date_of_birth.month if person.date_of_birth else "",
        "date_of_birth_year": person.date_of_birth.year if person.date_of_birth else "",
    }
    data.update(changes)
    return data


class TestTheUniquePupilNumber:
    def test_a_number_with_the_right_check_letter_is_accepted(self):
        assert services.upn_problem(GOOD_UPN) is None

    def test_a_wrong_check_letter_is_named(self):
        assert "first letter does not match" in services.upn_problem(WRONG_LETTER_UPN)

    def test_a_temporary_number_ending_in_a_letter_is_checked_too(self):
        # The letter counts as its place among the check letters: A is 0.
        assert services.upn_problem(with_check_letter("84612001234" + "0")[:-1] + "A") is None

    @pytest.mark.parametrize(
        ("upn", "words"),
        [
            ("A84612", "must be 13 characters"),
            ("1846120012345", "a letter, 11 numbers"),
            ("A8461200123I5", "a letter, 11 numbers"),
            (with_check_letter("999120012345"), "a council's number"),
        ],
    )
    def test_the_wrong_shape_is_named(self, upn, words):
        assert words in services.upn_problem(upn)


class TestThePersonPage:
    def test_it_shows_the_childs_details_filled_in(self, family, child, social_worker):
        response = client_for(social_worker).get(person_page(family, child))
        assert response.status_code == 200
        assert b"Unique pupil number (UPN)" in response.content
        assert b'value="Ada"' in response.content
        assert b"White: British" in response.content  # ethnicity in plain words

    def test_the_identifiers_are_saved_with_who_saved_them(self, family, child, social_worker):
        response = client_for(social_worker).post(
            person_page(family, child),
            edit_data(
                child,
                gender="female",
                ethnicity="WBRI",
                first_language="English",
                upn=GOOD_UPN.lower()[:5] + " " + GOOD_UPN.lower()[5:],  # as typed, with a space
                disabilities=["HEAR", "VIS"],
            ),
        )
        assert response.status_code == 302
        child.refresh_from_db()
        assert child.ethnicity == "WBRI"
        assert child.upn == GOOD_UPN
        assert child.disabilities == ["HEAR", "VIS"]
        assert child.first_language == "English"
        assert child.history.latest().history_user == social_worker.user

    def test_a_wrong_check_letter_is_an_error_on_the_upn_and_nothing_is_saved(
        self, family, child, social_worker
    ):
        response = client_for(social_worker).post(
            person_page(family, child),
            edit_data(child, ethnicity="WBRI", upn=WRONG_LETTER_UPN),
        )
        assert response.status_code == 400
        assert "first letter does not match" in " ".join(response.context["form"].errors["upn"])
        child.refresh_from_db()
        assert child.upn == ""
        assert child.ethnicity == ""  # nothing half-saved

    def test_no_disability_with_another_is_an_error_on_disabilities(
        self, family, child, social_worker
    ):
        response = client_for(social_worker).post(
            person_page(family, child), edit_data(child, disabilities=["NONE", "AUT"])
        )
        assert response.status_code == 400
        assert response.context["form"].errors["disabilities"] == [services.NO_DISABILITY_ALONE]
        child.refresh_from_db()
        assert child.disabilities == []

    def test_a_code_outside_the_dfe_list_is_an_error_naming_the_field(
        self, family, child, social_worker
    ):
        response = client_for(social_worker).post(
            person_page(family, child), edit_data(child, ethnicity="XXXX", upn_unknown="UN9")
        )
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert errors["ethnicity"] == ["Choose an ethnicity from the list"]
        assert errors["upn_unknown"] == ["Choose why there is no UPN from the list"]

    def test_a_upn_and_a_reason_for_none_cannot_both_be_given(self, family, child, social_worker):
        response = client_for(social_worker).post(
            person_page(family, child), edit_data(child, upn=GOOD_UPN, upn_unknown="UN1")
        )
        assert response.status_code == 400
        assert response.context["form"].errors["upn_unknown"] == [services.UPN_AND_REASON]

    def test_a_death_before_the_birth_is_refused(self, family, child, social_worker):
        response = client_for(social_worker).post(
            person_page(family, child),
            edit_data(child, **date_fields("date_of_death", datetime.date(2010, 1, 1))),
        )
        assert response.status_code == 400
        assert response.context["form"].errors["date_of_death"] == [services.DEATH_BEFORE_BIRTH]

    def test_her_own_childs_birth_is_asked_only_of_a_girl(self, family, child, social_worker):
        client = client_for(social_worker)
        assert "own_child_born" not in client.get(person_page(family, child)).context["form"].fields
        child.gender = Person.Gender.FEMALE
        child.save()
        assert "own_child_born" in client.get(person_page(family, child)).context["form"].fields
        response = client.post(
            person_page(family, child),
            edit_data(child, **date_fields("own_child_born", datetime.date(2014, 2, 2))),
        )
        assert response.status_code == 400
        assert response.context["form"].errors["own_child_born"] == [
            services.OWN_CHILD_BEFORE_BIRTH
        ]

    def test_a_boys_own_child_is_refused_by_the_service(self, family, child):
        with pytest.raises(services.ValidationError) as error:
            services.person_update(
                family=family, person=child, gender="male", own_child_born=datetime.date(2025, 1, 1)
            )
        assert error.value.message_dict == {"own_child_born": [services.OWN_CHILD_NOT_FEMALE]}

    def test_an_unborn_child_has_an_expected_date_not_a_birth_date(self, family, social_worker):
        response = client_for(social_worker).post(
            f"/families/{family.pk}/people/add/",
            {
                "relationship": "child",
                "first_name": "Baby",
                "last_name": "Okafor",
                "gender": "not_known",
                "expected_date_of_birth_day": "1",
                "expected_date_of_birth_month": "2",
                "expected_date_of_birth_year": "2027",
                "upn_unknown": "UN6",
            },
        )
        assert response.status_code == 302
        baby = family.members.get(person__first_name="Baby").person
        assert baby.expected_date_of_birth == datetime.date(2027, 2, 1)
        assert baby.upn_unknown == "UN6"

    def test_both_a_birth_and_an_expected_date_is_an_error(self, family, social_worker):
        response = client_for(social_worker).post(
            f"/families/{family.pk}/people/add/",
            {
                "relationship": "child",
                "first_name": "Baby",
                "last_name": "Okafor",
                "gender": "not_known",
                "date_of_birth_day": "1",
                "date_of_birth_month": "2",
                "date_of_birth_year": "2026",
                "expected_date_of_birth_day": "1",
                "expected_date_of_birth_month": "2",
                "expected_date_of_birth_year": "2027",
            },
        )
        assert response.status_code == 400
        assert response.context["form"].errors["expected_date_of_birth"] == [
            services.BORN_AND_EXPECTED
        ]
        assert not family.members.filter(person__first_name="Baby").exists()

    def test_it_is_404_outside_the_familys_pod(self, family, child, outsider):
        client = client_for(outsider)
        assert client.get(person_page(family, child)).status_code == 404
        assert client.post(person_page(family, child), edit_data(child)).status_code == 404

    def test_a_person_of_another_family_is_404_through_this_familys_door(
        self, family, social_worker
    ):
        from tests.families.conftest import refer

        other = refer(name="The Byrne family", child=("Finn", "Byrne", datetime.date(2016, 1, 1)))
        finn = other.members.get(relationship=FamilyMember.Relationship.CHILD).person
        assert client_for(social_worker).get(person_page(family, finn)).status_code == 404
