"""Each retention rule's date, worked out by hand from the seeded defaults (README, "Data
protection"): a looked-after child's record until the 75th anniversary of birth, or 15 years
from a death before 18; adoption 100 years from the order; child protection 35 years from
closure; child in need 3 years from closure and at least until 21; early help 6 years from
closure. 29 February moves to 28 February."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dataprotection.models import Category, RetentionRule
from dataprotection.retention import Child, child_retention, family_retention, rules_by_category

pytestmark = pytest.mark.django_db
D = datetime.date
CLOSED = D(2020, 1, 31)


@pytest.fixture
def rules():
    return rules_by_category()


BORN = D(2010, 1, 1)


def child(category, born=BORN, died=None, order=None, pk=7):
    return Child(pk, f"P{pk:07d}", born, died, category, order)


def date_of(rules, category, **facts):
    return child_retention(rules[category], child(category, **facts), closed=CLOSED).destroy_after


def test_every_category_has_a_seeded_rule(rules):
    assert set(rules) == set(Category.values)


def test_a_looked_after_childs_record_is_kept_to_the_75th_anniversary_of_birth(rules):
    assert date_of(rules, "looked_after", born=D(2001, 5, 14)) == D(2076, 5, 14)


def test_born_on_29_february_the_anniversary_is_28_february(rules):
    assert date_of(rules, "looked_after", born=D(2004, 2, 29)) == D(2079, 2, 28)


def test_a_looked_after_child_who_died_before_18_is_kept_15_years_from_the_death(rules):
    assert date_of(rules, "looked_after", born=D(2001, 5, 14), died=D(2011, 6, 1)) == D(2026, 6, 1)


def test_one_who_died_at_18_or_after_is_kept_to_the_75th_anniversary(rules):
    born = D(2001, 5, 14)
    assert date_of(rules, "looked_after", born=born, died=D(2019, 5, 14)) == D(2076, 5, 14)


def test_an_adoption_record_is_kept_100_years_from_the_order(rules):
    assert date_of(rules, "adoption", order=D(2010, 3, 1)) == D(2110, 3, 1)


def test_a_child_protection_record_is_kept_35_years_from_closure(rules):
    assert date_of(rules, "child_protection") == D(2055, 1, 31)


def test_a_child_in_need_record_is_kept_3_years_from_closure_and_at_least_until_21(rules):
    assert date_of(rules, "child_in_need", born=D(2010, 1, 1)) == D(2031, 1, 1)
    assert date_of(rules, "child_in_need", born=D(1999, 1, 1)) == D(2023, 1, 31)


def test_early_help_is_kept_6_years_from_closure(rules):
    leap = child_retention(rules["early_help"], child("early_help"), closed=D(2020, 2, 29))
    assert leap.destroy_after == D(2026, 2, 28)


def test_a_missing_date_of_birth_means_no_date_and_says_which_child(rules):
    result = child_retention(rules["looked_after"], child("looked_after", born=None), closed=CLOSED)
    assert result.destroy_after is None
    assert result.why_unknown == "the date of birth of child P0000007 is not recorded"


def test_a_family_is_kept_for_its_longest_childs_rule(rules):
    children = [child("child_in_need", pk=1), child("child_protection", pk=2)]
    result = family_retention(rules, children, closed=CLOSED, category="child_in_need")
    assert (result.category, result.destroy_after) == ("child_protection", D(2055, 1, 31))


def test_a_family_with_a_child_whose_date_is_unknown_has_no_date_to_destroy(rules):
    children = [child("early_help", pk=1), child("looked_after", born=None, pk=2)]
    result = family_retention(rules, children, closed=CLOSED, category="early_help")
    assert result.why_unknown == "the date of birth of child P0000002 is not recorded"
    assert result.category == "looked_after"


class TestTheRuleItself:
    def test_a_negative_period_is_refused_with_a_message(self, rules):
        rule = rules["early_help"]
        rule.years = -1
        with pytest.raises(ValidationError) as error:
            rule.full_clean()
        assert error.value.message_dict["years"] == [
            "The retention period cannot be negative: enter 0 years or more"
        ]
        assert RetentionRule.objects.get(pk=rule.pk).years == 6, "nothing saved"

    def test_a_trigger_the_category_has_no_date_for_is_refused(self, rules):
        rule = rules["security_log"]
        rule.trigger = "birth"
        with pytest.raises(ValidationError) as error:
            rule.full_clean()
        assert error.value.message_dict["trigger"] == [
            "Security log records have no date for “the child's date of birth”: choose one of "
            "when it was recorded"
        ]

    def test_the_rule_in_words(self, rules):
        assert rules["looked_after"].describe() == (
            "75 years from the child's date of birth; 15 years from the death of a child who "
            "died before 18"
        )
        assert rules["child_in_need"].describe() == (
            "3 years from when the record was closed, and at least until the child is 21"
        )
