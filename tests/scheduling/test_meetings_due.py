"""Meetings due and overdue per family, worker and pod, within what the viewer may see: the
business support officer's list of meetings to schedule (nearest deadline first) and the
digest's meetings due in the next working days."""

import datetime

import pytest

from families import services as family_services
from families.models import ChildStatus
from scheduling import selectors
from tests.factories import make_worker
from tests.families.conftest import refer
from tests.scheduling.conftest_clocks import Clock, Kind, Status, meeting, status

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 5, 21)  # a Thursday


@pytest.fixture
def colleague(pod):
    return make_worker(team=pod)


@pytest.fixture
def meetings(family, child, front_door, pod, colleague):
    """The social worker's family: a strategy discussion on Monday 11 May deciding on a
    conference (ICPC due Tuesday 2 June: 15 working days with the 25 May bank holiday
    skipped), an ICPC booked; the colleague's family: a child looked after from 1 April
    (first review due 1 May: overdue) and a child in need plan from 10 March (review due
    10 June)."""
    meeting(family, Kind.STRATEGY_DISCUSSION, D(2026, 5, 11), outcome="conference")
    booked = meeting(family, Kind.ICPC, D(2026, 5, 28), status=Status.PLANNED)
    other = refer(name="The Doe family", child=("Sam", "Doe", D(2014, 2, 2)))
    family_services.family_allocate(family=other, team=pod, worker=colleague, start=D(2025, 3, 3))
    sam = other.members.get(relationship="child").person
    status(other, sam, ChildStatus.Kind.LOOKED_AFTER, D(2026, 4, 1))
    status(other, sam, ChildStatus.Kind.CIN_PLAN, D(2026, 3, 10))
    return {"booked": booked, "other": other, "sam": sam}


def summary(due):
    return [(m.family_id, m.clock, m.due) for m in due]


def test_the_pods_meetings_nearest_deadline_first(meetings, family, pod, business_support):
    # Looked after from Wednesday 1 April: Thu 2 (1), [Good Friday, weekend, Easter Monday],
    # Tue 7 (2), Wed 8 (3), Thu 9 (4), Fri 10 (5), then four whole weeks (6 to 25), Mon 27 (16),
    # Tue 28 (17), Wed 29 (18), Thu 30 (19), Fri 1 May 2026 (20).
    other = meetings["other"]
    assert summary(selectors.meetings_for_team(business_support.user, pod, TODAY)) == [
        (other.pk, Clock.FIRST_CIC_REVIEW, D(2026, 5, 1)),
        (family.pk, Clock.ICPC, D(2026, 6, 2)),
        (other.pk, Clock.CIN_REVIEW, D(2026, 6, 10)),
    ]
    to_schedule = selectors.meetings_to_schedule(business_support.user, pod, TODAY)
    assert summary(to_schedule) == [
        (other.pk, Clock.FIRST_CIC_REVIEW, D(2026, 5, 1)),
        (other.pk, Clock.CIN_REVIEW, D(2026, 6, 10)),
    ]
    assert to_schedule[0].is_overdue(TODAY) and to_schedule[0].child_id == meetings["sam"].pk


def test_a_workers_meetings_are_those_of_the_families_they_hold(
    meetings, family, social_worker, colleague
):
    [icpc] = selectors.meetings_for_worker(social_worker.user, social_worker, TODAY)
    assert (icpc.family_id, icpc.booked) == (family.pk, meetings["booked"])
    assert len(selectors.meetings_for_worker(colleague.user, colleague, TODAY)) == 2
    assert selectors.meetings_for_family(family, TODAY) == [icpc]


def test_nobody_sees_the_meetings_of_a_pod_they_cannot_see(meetings, pod, outsider):
    assert selectors.meetings_for_team(outsider.user, pod, TODAY) == []
    assert selectors.meetings_to_schedule(outsider.user, pod, TODAY) == []


def test_the_digest_has_meetings_overdue_or_due_within_the_working_days(meetings, colleague):
    # 5 working days from Thursday 21 May: Fri 22 (1), [weekend, Mon 25 bank holiday],
    # Tue 26 (2), Wed 27 (3), Thu 28 (4), Fri 29 May (5): the overdue review, not the CIN one.
    due = selectors.meetings_due_within(colleague.user, colleague, TODAY, 5)
    assert [m.clock for m in due] == [Clock.FIRST_CIC_REVIEW]
    # 14 working days: ... Fri 29 May (5), Mon 1 June (6) to Fri 5 (10), Mon 8 (11), Tue 9 (12),
    # Wed 10 (13), Thu 11 June (14): the CIN review due on 10 June too.
    due = selectors.meetings_due_within(colleague.user, colleague, TODAY, 14)
    assert [m.clock for m in due] == [Clock.FIRST_CIC_REVIEW, Clock.CIN_REVIEW]


def test_meetings_come_with_their_families_in_one_query(
    meetings, family, pod, business_support, django_assert_max_num_queries
):
    due = selectors.meetings_for_team(business_support.user, pod, TODAY)
    with django_assert_max_num_queries(1):
        rows = selectors.with_families(due)
    assert [(m, f.pk) for m, f in rows] == [(m, m.family_id) for m in due]
    assert rows[1][1] == family


def test_the_pods_list_takes_the_same_queries_for_more_families(
    meetings, pod, colleague, business_support, django_assert_max_num_queries
):
    def family_in_care(n):
        more = refer(name=f"The Family {n}", child=(f"Kid{n}", f"Family{n}", D(2016, 1, 1)))
        family_services.family_allocate(family=more, team=pod, worker=colleague,
                                        start=D(2025, 3, 3))  # fmt: skip
        kid = more.members.get(relationship="child").person
        status(more, kid, ChildStatus.Kind.LOOKED_AFTER, D(2026, 4, 1))
        meeting(more, Kind.CIC_REVIEW, D(2026, 4, 28), children=[kid])

    family_in_care(0)
    # The visible families' ids, their statuses, their statutory appointments, and the
    # children of their child in care reviews.
    with django_assert_max_num_queries(4):
        assert len(selectors.meetings_for_team(business_support.user, pod, TODAY)) == 4
    for n in range(1, 4):
        family_in_care(n)
    with django_assert_max_num_queries(4):
        assert len(selectors.meetings_for_team(business_support.user, pod, TODAY)) == 7
