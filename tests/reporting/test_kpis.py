"""KPIs on hand-built edge cases: a plan ending on the last day of the month, a child whose
care ends when they turn 18, an unaccompanied asylum-seeking child, an agency worker leaving
mid-month, an empty month, and each scope."""

import datetime
from decimal import Decimal

import pytest

from families import services as family_services
from families.models import ChildStatus
from pods.models import Worker
from reporting.kpis import REGISTRY, Period, Scope, children_behind, percent
from tests.factories import make_team, make_worker
from tests.families.conftest import REFERRED, refer

pytestmark = pytest.mark.django_db
MARCH = Period(2025, 3)
APRIL = Period(2025, 4)


def value(key, period, scope=None):
    return REGISTRY[key].value(period, scope or Scope.authority())


def test_every_kpi_says_what_it_counts_and_for_which_scopes():
    assert len(REGISTRY) >= 17
    for kpi in REGISTRY.values():
        assert len(kpi.definition) > 40, kpi.key
        assert kpi.scopes and set(kpi.scopes) <= {"authority", "team", "worker"}


def test_an_empty_month_gives_zeros_and_no_rates(db):
    for kpi in REGISTRY.values():
        result = kpi.value(Period(2020, 1), Scope.authority())
        assert result in (0, None), (kpi.key, result)


def test_a_plan_ending_on_the_last_day_of_the_month_counts_in_that_month(family, child):
    status = family_services.child_status_start(
        family=family, person=child, kind=ChildStatus.Kind.CP_PLAN, cp_category="neglect",
        start=datetime.date(2025, 3, 10),
    )  # fmt: skip
    family_services.child_status_end(status=status, end=MARCH.end)
    assert value("cp_children", MARCH) == 1
    assert value("cp_children", APRIL) == 0
    assert value("cp_children", Period(2025, 2)) == 0


def test_a_child_leaving_care_at_18_is_not_counted_after(front_door, pod, social_worker):
    family = refer(name="The Doe family", child=("Sam", "Doe", datetime.date(2007, 4, 15)))
    family_services.family_allocate(family=family, team=pod, worker=social_worker, start=REFERRED)
    sam = family.members.get(relationship="child").person
    status = family_services.child_status_start(
        family=family, person=sam, kind=ChildStatus.Kind.LOOKED_AFTER, legal_status="C2",
        start=REFERRED,
    )  # fmt: skip
    family_services.child_status_end(status=status, end=datetime.date(2025, 4, 14))
    assert value("children_in_care", MARCH) == 1
    assert value("children_in_care", APRIL) == 0


def test_an_unaccompanied_child_counts_in_care_but_not_excluding_uasc(family, child):
    family_services.child_status_start(
        family=family, person=child, kind=ChildStatus.Kind.LOOKED_AFTER, legal_status="C2",
        start=REFERRED, uasc=True,
    )  # fmt: skip
    assert value("children_in_care", MARCH) == 1
    assert value("children_in_care_excl_uasc", MARCH) == 0
    behind = children_behind("children_in_care", MARCH, Scope.authority())
    assert [member.person for member in behind] == [child]


def test_an_agency_worker_leaving_mid_month(pod):
    make_worker(team=pod, start_date=datetime.date(2024, 1, 1))
    agency = make_worker(
        team=pod, employment=Worker.Employment.AGENCY, start_date=datetime.date(2024, 1, 1)
    )
    agency.leave_date = datetime.date(2025, 4, 16)
    agency.save()
    assert value("agency_rate", MARCH) == Decimal("50.0")
    assert value("agency_rate", APRIL) == Decimal("0.0")
    assert value("agency_rate", APRIL, Scope.of_team(pod)) == Decimal("0.0")
    # One leaver of two social workers at both ends of the year (average 1.5): 66.7%.
    assert value("turnover", APRIL) == percent(2, 3)


def test_scopes_count_what_the_team_or_worker_held(family, child, pod, social_worker):
    other = make_team(name="Ash Pod")
    assert value("open_children", MARCH, Scope.of_team(pod)) == 1
    assert value("open_children", MARCH, Scope.of_team(other)) == 0
    assert value("open_children", MARCH, Scope.of_worker(social_worker)) == 1
    assert value("caseload", MARCH, Scope.of_worker(social_worker)) == Decimal("1.0")
    with pytest.raises(ValueError, match="not reported for a worker"):
        value("turnover", MARCH, Scope.of_worker(social_worker))


def test_a_period_is_parsed_or_refused_with_a_message():
    assert Period.parse("2025-03") == MARCH
    assert MARCH.end == datetime.date(2025, 3, 31) and Period(2024, 12).next() == Period(2025, 1)
    for bad in ("2025-13", "March", "2025/03", ""):
        with pytest.raises(ValueError, match="write it as YYYY-MM"):
            Period.parse(bad)
