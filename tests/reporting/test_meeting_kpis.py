"""The meeting and call KPIs on a small hand-made dataset with known answers: two families in
two pods (the Okafors move from Oak Pod to Ash Pod on 1 March 2026, so each meeting counts
for whoever held the family on its day), meetings in time, late, on their deadline, planned
or cancelled (not counted), one held just after midnight on 1 May in British Summer Time
(counted in May), and calls picked up in time, late or not at all. Each series equals the
same query narrowed to one month and one scope, and the list behind each figure is the
children of the meetings and calls missed."""

import datetime
from decimal import Decimal

import pytest

from families import services as family_services
from reporting.kpis import AUTHORITY, REGISTRY, TEAM, WORKER, Period, Scope, children_behind
from reporting.kpis.behind import DRILLABLE
from scheduling.models import CallTaken
from tests.families.conftest import REFERRED, refer
from tests.scheduling.conftest_clocks import Clock, Kind, Status, at, meeting

pytestmark = pytest.mark.django_db
D = datetime.date
JANUARY, FEBRUARY, MARCH, APRIL, MAY = (Period(2026, month) for month in range(1, 6))
KEYS = (
    "icpc_in_time",
    "first_core_group_in_time",
    "review_conferences_in_time",
    "cic_reviews_in_time",
    "calls_picked_up_in_time",
)


def held(family, kind, day, *, clock, due, hour=10, minute=0, children=()):
    return meeting(family, kind, day, clock=clock, due=due, hour=hour, minute=minute,
                   children=children)  # fmt: skip


def call(family, worker, received, *, pick_up_by, picked_up=None):
    return CallTaken.objects.create(
        family=family,
        caller="A parent",
        received=received,
        message="Please call me back",
        for_worker=worker,
        taken_by=worker.user,
        pick_up_by=pick_up_by,
        picked_up=picked_up,
        picked_up_by=worker.user if picked_up else None,
    )


@pytest.fixture
def dataset(family, child, pod, other_pod, social_worker, outsider):
    """The Okafors (Ada) in Oak Pod with the social worker, to Ash Pod with the outsider on
    1 March 2026; the Does (Sam and Ben) in Ash Pod with the outsider throughout."""
    does = refer(name="The Doe family", child=("Sam", "Doe", D(2014, 2, 2)))
    family_services.family_allocate(family=does, team=other_pod, worker=outsider, start=REFERRED)
    sam = does.members.get(relationship="child").person
    ben = family_services.person_add(
        family=does,
        details=family_services.PersonDetails(
            first_name="Ben", last_name="Doe", date_of_birth=D(2019, 5, 5), relationship="child"
        ),
    ).person
    okafors = family
    # January: the Okafors' ICPC in time, the Does' late; a planned and a cancelled one do
    # not count. February: the Okafors' next ICPC late; their first core group in time.
    held(okafors, Kind.ICPC, D(2026, 1, 12), clock=Clock.ICPC, due=D(2026, 1, 14))
    held(does, Kind.ICPC, D(2026, 1, 20), clock=Clock.ICPC, due=D(2026, 1, 14))
    meeting(okafors, Kind.ICPC, D(2026, 1, 22), status=Status.PLANNED, clock=Clock.ICPC,
            due=D(2026, 1, 14))  # fmt: skip
    meeting(okafors, Kind.ICPC, D(2026, 1, 21), status=Status.CANCELLED, clock=Clock.ICPC,
            due=D(2026, 1, 14))  # fmt: skip
    held(okafors, Kind.CORE_GROUP, D(2026, 1, 30), clock=Clock.FIRST_CORE_GROUP,
         due=D(2026, 2, 2))  # fmt: skip
    held(okafors, Kind.ICPC, D(2026, 2, 3), clock=Clock.ICPC, due=D(2026, 2, 2))
    # Calls in January: the Okafors' first picked up in time, their second never; the Does'
    # picked up a day late. In April (just after midnight on 1 April, BST) one in time.
    friday = D(2026, 1, 9)
    call(okafors, social_worker, at(friday, 16), pick_up_by=D(2026, 1, 12),
         picked_up=at(D(2026, 1, 12), 9))  # fmt: skip
    call(does, outsider, at(friday, 16), pick_up_by=D(2026, 1, 12),
         picked_up=at(D(2026, 1, 13), 9))  # fmt: skip
    call(okafors, social_worker, at(D(2026, 1, 20), 11), pick_up_by=D(2026, 1, 21))
    family_services.family_transfer(family=okafors, team=other_pod, worker=outsider,
                                    start=D(2026, 3, 1), reason="Moved to Ash Pod")  # fmt: skip
    call(okafors, outsider, at(D(2026, 4, 1), 0, 15), pick_up_by=D(2026, 4, 2),
         picked_up=at(D(2026, 4, 2), 10))  # fmt: skip
    # April, in Ash Pod: the Okafors' first review on its deadline, the Does' a day late.
    held(okafors, Kind.RCPC, D(2026, 4, 20), clock=Clock.FIRST_RCPC, due=D(2026, 4, 20))
    held(does, Kind.RCPC, D(2026, 4, 21), clock=Clock.RCPC, due=D(2026, 4, 20))
    # May: Ada's first review at 00:30 on 1 May (23:30 on 30 April in UTC) in time; Sam's late.
    held(okafors, Kind.CIC_REVIEW, D(2026, 5, 1), hour=0, minute=30,
         clock=Clock.FIRST_CIC_REVIEW, due=D(2026, 6, 1), children=[child])  # fmt: skip
    held(does, Kind.CIC_REVIEW, D(2026, 5, 28), clock=Clock.CIC_REVIEW, due=D(2026, 5, 27),
         children=[sam])  # fmt: skip
    return {"does": does, "sam": sam, "ben": ben}


def value(key, period, scope=None):
    return REGISTRY[key].value(period, scope or Scope.authority())


def test_icpcs_in_time_for_whoever_held_the_family_on_the_day(
    dataset, pod, other_pod, social_worker, outsider
):
    assert value("icpc_in_time", JANUARY) == Decimal("50.0")
    assert value("icpc_in_time", JANUARY, Scope.of_team(pod)) == Decimal("100.0")
    assert value("icpc_in_time", JANUARY, Scope.of_team(other_pod)) == Decimal("0.0")
    assert value("icpc_in_time", JANUARY, Scope.of_worker(social_worker)) == Decimal("100.0")
    assert value("icpc_in_time", JANUARY, Scope.of_worker(outsider)) == Decimal("0.0")
    # The Okafors' February ICPC was Oak Pod's: they moved in March.
    assert value("icpc_in_time", FEBRUARY, Scope.of_team(pod)) == Decimal("0.0")
    assert value("icpc_in_time", FEBRUARY, Scope.of_team(other_pod)) is None
    assert value("icpc_in_time", MARCH) is None


def test_core_groups_reviews_and_child_in_care_reviews_in_time(dataset, pod, other_pod):
    assert value("first_core_group_in_time", JANUARY) == Decimal("100.0")
    assert value("first_core_group_in_time", FEBRUARY) is None
    # A review held on its deadline is in time; both April reviews were Ash Pod's.
    assert value("review_conferences_in_time", APRIL) == Decimal("50.0")
    assert value("review_conferences_in_time", APRIL, Scope.of_team(other_pod)) == Decimal("50.0")
    assert value("review_conferences_in_time", APRIL, Scope.of_team(pod)) is None
    # Ada's review just after midnight on 1 May counts in May, not April.
    assert value("cic_reviews_in_time", APRIL) is None
    assert value("cic_reviews_in_time", MAY) == Decimal("50.0")


def test_calls_picked_up_within_one_working_day(dataset, pod, other_pod, social_worker):
    assert value("calls_picked_up_in_time", JANUARY) == Decimal("33.3")
    assert value("calls_picked_up_in_time", JANUARY, Scope.of_team(pod)) == Decimal("50.0")
    assert value("calls_picked_up_in_time", JANUARY, Scope.of_team(other_pod)) == Decimal("0.0")
    assert value("calls_picked_up_in_time", JANUARY, Scope.of_worker(social_worker)) == Decimal(
        "50.0"
    )
    assert value("calls_picked_up_in_time", MARCH) is None
    assert value("calls_picked_up_in_time", APRIL, Scope.of_team(other_pod)) == Decimal("100.0")


def test_each_series_equals_its_single_month_and_scope_calls(
    dataset, pod, other_pod, social_worker, outsider
):
    scopes = {
        AUTHORITY: [Scope.authority()],
        TEAM: [Scope.of_team(pod), Scope.of_team(other_pod)],
        WORKER: [Scope.of_worker(social_worker), Scope.of_worker(outsider)],
    }
    compared, answered = 0, 0
    for key in KEYS:
        kpi = REGISTRY[key]
        assert kpi.scopes == (AUTHORITY, TEAM, WORKER)
        for kind, of_kind in scopes.items():
            series = kpi.series(JANUARY, MAY, kind)
            for scope in of_kind:
                for period in Period.span(JANUARY, MAY):
                    expected = series.get((period, scope.key), kpi.empty)
                    assert kpi.value(period, scope) == expected, (key, period, scope.key)
                    compared += 1
                    answered += expected is not None
    assert compared == 5 * 5 * 5 and answered > 20


def test_behind_each_figure_are_the_children_of_the_meetings_and_calls_missed(
    dataset, family, child, pod, other_pod
):
    def names(key, period, scope=None):
        behind = children_behind(key, period, scope or Scope.authority())
        return sorted(member.person.first_name for member in behind)

    assert set(KEYS) <= DRILLABLE
    assert names("icpc_in_time", JANUARY) == ["Ben", "Sam"]  # the Does' ICPC was late
    assert names("icpc_in_time", JANUARY, Scope.of_team(pod)) == []
    assert names("icpc_in_time", FEBRUARY, Scope.of_team(pod)) == ["Ada"]
    assert names("first_core_group_in_time", JANUARY) == []
    assert names("review_conferences_in_time", APRIL, Scope.of_team(other_pod)) == ["Ben", "Sam"]
    assert names("cic_reviews_in_time", MAY) == ["Sam"]  # the review was about Sam alone
    assert names("calls_picked_up_in_time", JANUARY, Scope.of_team(pod)) == ["Ada"]
    assert names("calls_picked_up_in_time", JANUARY, Scope.of_team(other_pod)) == ["Ben", "Sam"]
    assert names("calls_picked_up_in_time", APRIL) == []
