"""The chain of statutory clocks, against dates worked out by hand across Christmas, Easter and
the May bank holidays (England and Wales): 25 and 26 December 2025, 1 January 2026, Good
Friday 3 April and Easter Monday 6 April 2026, 4 and 25 May 2026."""

import datetime

import pytest

from families.models import ChildStatus
from scheduling.clocks import deadline_for, meetings_due, months_after
from tests.scheduling.conftest_clocks import Clock, Kind, Status, end, meeting, status

pytestmark = pytest.mark.django_db
D = datetime.date
CP, LOOKED_AFTER, CIN = (
    ChildStatus.Kind.CP_PLAN,
    ChildStatus.Kind.LOOKED_AFTER,
    ChildStatus.Kind.CIN_PLAN,
)
CONFERENCE = "conference"


def due_of(family, today, kind=None):
    found = [m for m in meetings_due([family.pk], today) if kind is None or m.kind == kind]
    return [(m.kind, m.clock, m.due) for m in found]


def test_months_after_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert months_after(D(2026, 1, 19), 3) == D(2026, 4, 19)
    assert months_after(D(2025, 11, 30), 3) == D(2026, 2, 28)
    assert months_after(D(2027, 8, 31), 6) == D(2028, 2, 29)  # a leap year
    assert months_after(D(2026, 10, 15), 6) == D(2027, 4, 15)  # across the year end


def test_an_icpc_is_due_15_working_days_after_the_strategy_discussion_across_christmas(
    family,
):
    # Strategy discussion on Friday 19 December 2025. Working days after it: Mon 22 (1),
    # Tue 23 (2), Wed 24 (3), [Thu 25, Fri 26 bank holidays, weekend], Mon 29 (4), Tue 30 (5),
    # Wed 31 (6), [Thu 1 January bank holiday], Fri 2 (7), [weekend], Mon 5 (8), Tue 6 (9),
    # Wed 7 (10), Thu 8 (11), Fri 9 (12), Mon 12 (13), Tue 13 (14), Wed 14 January 2026 (15).
    meeting(family, Kind.STRATEGY_DISCUSSION, D(2025, 12, 19), outcome=CONFERENCE)
    [due] = meetings_due([family.pk], D(2025, 12, 22))
    assert (due.kind, due.clock, due.due) == (Kind.ICPC, Clock.ICPC, D(2026, 1, 14))
    assert due.earliest == D(2025, 12, 22)
    assert due.anchor == "Strategy discussion on 19 December 2025"
    assert due.family_id == family.pk and due.child_id is None and due.booked is None
    assert not due.is_overdue(D(2026, 1, 14)) and due.is_overdue(D(2026, 1, 15))


def test_a_strategy_discussion_deciding_no_conference_starts_no_clock(family):
    meeting(family, Kind.STRATEGY_DISCUSSION, D(2025, 12, 19), outcome="no_conference")
    meeting(family, Kind.STRATEGY_DISCUSSION, D(2025, 12, 22), status=Status.PLANNED,
            outcome=CONFERENCE)  # fmt: skip
    assert meetings_due([family.pk], D(2026, 1, 5)) == []


def test_a_held_icpc_meets_the_clock_and_a_planned_one_is_what_is_booked(family):
    meeting(family, Kind.STRATEGY_DISCUSSION, D(2025, 12, 19), outcome=CONFERENCE)
    booked = meeting(family, Kind.ICPC, D(2026, 1, 12), status=Status.PLANNED)
    meeting(family, Kind.ICPC, D(2026, 1, 8), status=Status.CANCELLED)
    [due] = meetings_due([family.pk], D(2026, 1, 5))
    assert due.booked == booked
    booked.status = Status.HELD
    booked.save()
    assert due_of(family, D(2026, 1, 13), Kind.ICPC) == []


def test_an_icpc_late_moves_the_core_group_and_the_first_review_on(family, child):
    # ICPC due on 14 January (above), held late on Monday 19 January 2026. First core group:
    # Tue 20 (1), Wed 21 (2), Thu 22 (3), Fri 23 (4), Mon 26 (5), Tue 27 (6), Wed 28 (7),
    # Thu 29 (8), Fri 30 (9), Mon 2 February 2026 (10). First review: 3 months, 19 April.
    meeting(family, Kind.STRATEGY_DISCUSSION, D(2025, 12, 19), outcome=CONFERENCE)
    meeting(family, Kind.ICPC, D(2026, 1, 19), clock=Clock.ICPC, due=D(2026, 1, 14),
            late_reason="The chair was ill")  # fmt: skip
    status(family, child, CP, D(2026, 1, 19))
    assert due_of(family, D(2026, 1, 20)) == [
        (Kind.CORE_GROUP, Clock.FIRST_CORE_GROUP, D(2026, 2, 2)),
        (Kind.RCPC, Clock.FIRST_RCPC, D(2026, 4, 19)),
    ]
    # The first review held late on Monday 20 April: the next is 6 months from that day.
    meeting(family, Kind.CORE_GROUP, D(2026, 1, 29))
    meeting(family, Kind.RCPC, D(2026, 4, 20))
    assert due_of(family, D(2026, 4, 21)) == [(Kind.RCPC, Clock.RCPC, D(2026, 10, 20))]
    [review] = meetings_due([family.pk], D(2026, 4, 21))
    assert review.anchor == "Review child protection conference on 20 April 2026"
    assert review.earliest == D(2026, 4, 21)


def test_the_first_core_group_is_due_10_working_days_after_the_icpc_across_easter(family, child):
    # ICPC on Wednesday 1 April 2026: Thu 2 (1), [Good Friday 3, weekend, Easter Monday 6],
    # Tue 7 (2), Wed 8 (3), Thu 9 (4), Fri 10 (5), Mon 13 (6), Tue 14 (7), Wed 15 (8),
    # Thu 16 (9), Fri 17 April 2026 (10). First review 3 months on: 1 July 2026.
    meeting(family, Kind.ICPC, D(2026, 4, 1))
    status(family, child, CP, D(2026, 4, 1))
    assert due_of(family, D(2026, 4, 2)) == [
        (Kind.CORE_GROUP, Clock.FIRST_CORE_GROUP, D(2026, 4, 17)),
        (Kind.RCPC, Clock.FIRST_RCPC, D(2026, 7, 1)),
    ]
    # Later core groups are on no statutory clock.
    meeting(family, Kind.CORE_GROUP, D(2026, 4, 16))
    assert due_of(family, D(2026, 4, 20), Kind.CORE_GROUP) == []


def test_reviews_run_only_while_the_plan_lasts(family, child):
    meeting(family, Kind.ICPC, D(2026, 4, 1))
    plan = status(family, child, CP, D(2026, 4, 1))
    meeting(family, Kind.RCPC, D(2026, 6, 30))
    assert due_of(family, D(2026, 7, 1), Kind.RCPC) == [(Kind.RCPC, Clock.RCPC, D(2026, 12, 30))]
    end(plan, D(2026, 6, 30))  # the review ended the plan
    assert due_of(family, D(2026, 7, 1)) == []


def test_a_plan_with_no_icpc_on_record_counts_its_reviews_from_the_plan_start(family, child):
    status(family, child, CP, D(2025, 11, 30))
    [due] = meetings_due([family.pk], D(2025, 12, 1))
    assert (due.clock, due.due) == (Clock.FIRST_RCPC, D(2026, 2, 28))  # 30 Nov + 3 months
    assert due.anchor == "Child protection plan from 30 November 2025"


def test_a_plan_on_record_meets_an_icpc_clock_that_has_no_icpc_recorded(family, child):
    meeting(family, Kind.STRATEGY_DISCUSSION, D(2025, 12, 19), outcome=CONFERENCE)
    status(family, child, CP, D(2026, 1, 12))
    assert due_of(family, D(2026, 1, 20), Kind.ICPC) == []


def test_child_in_care_reviews_across_the_may_bank_holidays_then_3_then_6_months(family, child):
    # Looked after from Thursday 30 April 2026: Fri 1 May (1), [weekend, Mon 4 bank holiday],
    # Tue 5 (2), Wed 6 (3), Thu 7 (4), Fri 8 (5), Mon 11 (6), Tue 12 (7), Wed 13 (8),
    # Thu 14 (9), Fri 15 (10), Mon 18 (11), Tue 19 (12), Wed 20 (13), Thu 21 (14), Fri 22 (15),
    # [weekend, Mon 25 bank holiday], Tue 26 (16), Wed 27 (17), Thu 28 (18), Fri 29 (19),
    # Mon 1 June 2026 (20).
    status(family, child, LOOKED_AFTER, D(2026, 4, 30))
    [first] = meetings_due([family.pk], D(2026, 5, 1))
    assert (first.kind, first.clock, first.due) == (
        Kind.CIC_REVIEW,
        Clock.FIRST_CIC_REVIEW,
        D(2026, 6, 1),
    )
    assert first.child_id == child.pk and first.earliest == D(2026, 5, 1)
    assert first.anchor == "Looked after from 30 April 2026"
    # Held late on Wednesday 3 June: the second within 3 months of it, 3 September.
    meeting(family, Kind.CIC_REVIEW, D(2026, 6, 3), children=[child])
    assert due_of(family, D(2026, 6, 4)) == [
        (Kind.CIC_REVIEW, Clock.SECOND_CIC_REVIEW, D(2026, 9, 3))
    ]
    # Held early on Tuesday 1 September: then every 6 months from it.
    meeting(family, Kind.CIC_REVIEW, D(2026, 9, 1), children=[child])
    assert due_of(family, D(2026, 9, 2)) == [(Kind.CIC_REVIEW, Clock.CIC_REVIEW, D(2027, 3, 1))]


def test_a_change_of_legal_status_does_not_restart_the_reviews(family, child):
    # Accommodated by agreement from 30 April 2026, under an interim care order from
    # 1 June (a new row, the day after the first ended): one period of care, whose first
    # review was due on 1 June (above) and, held on 3 June, whose second is due on
    # 3 September, not 20 working days after the order.
    first = status(family, child, LOOKED_AFTER, D(2026, 4, 30))
    end(first, D(2026, 5, 31))
    status(family, child, LOOKED_AFTER, D(2026, 6, 1))
    meeting(family, Kind.CIC_REVIEW, D(2026, 6, 3), children=[child])
    assert due_of(family, D(2026, 6, 4)) == [
        (Kind.CIC_REVIEW, Clock.SECOND_CIC_REVIEW, D(2026, 9, 3))
    ]


def test_child_in_care_reviews_count_for_the_child_they_are_about(family, child):
    from families.services import PersonDetails, person_add

    sibling = person_add(
        family=family,
        details=PersonDetails(
            first_name="Ben", last_name="Okafor", date_of_birth=D(2018, 2, 1),
            relationship="child",
        ),
    ).person  # fmt: skip
    status(family, child, LOOKED_AFTER, D(2026, 4, 30))
    status(family, sibling, LOOKED_AFTER, D(2026, 4, 30))
    meeting(family, Kind.CIC_REVIEW, D(2026, 5, 20), children=[sibling])
    booked = meeting(family, Kind.CIC_REVIEW, D(2026, 5, 28), children=[child],
                     status=Status.PLANNED)  # fmt: skip
    found = {m.child_id: m for m in meetings_due([family.pk], D(2026, 5, 21))}
    assert (found[child.pk].clock, found[child.pk].due) == (Clock.FIRST_CIC_REVIEW, D(2026, 6, 1))
    assert found[child.pk].booked == booked
    assert (found[sibling.pk].clock, found[sibling.pk].due) == (
        Clock.SECOND_CIC_REVIEW,
        D(2026, 8, 20),
    )
    assert found[sibling.pk].booked is None


def test_child_in_need_reviews_at_the_local_interval(family, child, settings):
    status(family, child, CIN, D(2026, 3, 10))
    assert due_of(family, D(2026, 3, 11)) == [(Kind.CIN_REVIEW, Clock.CIN_REVIEW, D(2026, 6, 10))]
    settings.PODS_MEETING_CLOCKS = {**settings.PODS_MEETING_CLOCKS, "cin_review_months": 2}
    assert due_of(family, D(2026, 3, 11)) == [(Kind.CIN_REVIEW, Clock.CIN_REVIEW, D(2026, 5, 10))]
    meeting(family, Kind.CIN_REVIEW, D(2026, 5, 12))  # two days late
    assert due_of(family, D(2026, 5, 13)) == [(Kind.CIN_REVIEW, Clock.CIN_REVIEW, D(2026, 7, 12))]


def test_the_icpc_interval_is_a_setting(family, settings):
    # 10 working days from Friday 19 December 2025: Mon 22, Tue 23, Wed 24, Mon 29, Tue 30,
    # Wed 31, Fri 2, Mon 5, Tue 6, Wed 7 January 2026.
    settings.PODS_MEETING_CLOCKS = {**settings.PODS_MEETING_CLOCKS, "icpc_working_days": 10}
    meeting(family, Kind.STRATEGY_DISCUSSION, D(2025, 12, 19), outcome=CONFERENCE)
    assert due_of(family, D(2025, 12, 22)) == [(Kind.ICPC, Clock.ICPC, D(2026, 1, 7))]


def deadline(family, kind, on, children=()):
    return deadline_for(family=family, kind=kind, children=list(children), on=on)


class TestDeadlineFor:
    def test_a_booking_answers_the_clock_running_on_its_day(self, family, child):
        meeting(family, Kind.STRATEGY_DISCUSSION, D(2025, 12, 19), outcome=CONFERENCE)
        assert deadline(family, Kind.ICPC, D(2026, 1, 9)) == (Clock.ICPC, D(2026, 1, 14))
        # The ICPC itself, once held (late), still answers the same clock on its own day.
        meeting(family, Kind.ICPC, D(2026, 1, 19))
        assert deadline(family, Kind.ICPC, D(2026, 1, 19)) == (Clock.ICPC, D(2026, 1, 14))
        assert deadline(family, Kind.ICPC, D(2026, 1, 20)) is None

    def test_conferences_and_core_groups_after_the_icpc(self, family, child):
        meeting(family, Kind.ICPC, D(2026, 4, 1))
        status(family, child, CP, D(2026, 4, 1))
        first = deadline(family, Kind.CORE_GROUP, D(2026, 4, 9))
        assert first == (Clock.FIRST_CORE_GROUP, D(2026, 4, 17))
        meeting(family, Kind.CORE_GROUP, D(2026, 4, 9))
        assert deadline(family, Kind.CORE_GROUP, D(2026, 5, 20)) == (Clock.CORE_GROUP, None)
        assert deadline(family, Kind.RCPC, D(2026, 6, 29)) == (Clock.FIRST_RCPC, D(2026, 7, 1))

    def test_a_child_in_care_review_answers_the_clock_of_its_child(self, family, child):
        status(family, child, LOOKED_AFTER, D(2026, 4, 30))
        on = D(2026, 5, 27)
        assert deadline(family, Kind.CIC_REVIEW, on, [child]) == (
            Clock.FIRST_CIC_REVIEW,
            D(2026, 6, 1),
        )
        assert deadline(family, Kind.CIC_REVIEW, on) is None
        # The day before the child became looked after, no clock ran for them.
        assert deadline(family, Kind.CIC_REVIEW, D(2026, 4, 29), [child]) is None

    def test_kinds_on_no_clock_answer_none(self, family, child):
        status(family, child, CIN, D(2026, 3, 10))
        assert deadline(family, Kind.HOME_VISIT, D(2026, 4, 1)) is None
        assert deadline(family, Kind.RCPC, D(2026, 4, 1)) is None
        assert deadline(family, Kind.CIN_REVIEW, D(2026, 4, 1)) == (
            Clock.CIN_REVIEW,
            D(2026, 6, 10),
        )


def test_meetings_due_takes_the_same_few_queries_for_one_family_or_many(
    family, child, pod, social_worker, django_assert_max_num_queries
):
    from families import services as family_services
    from tests.families.conftest import refer

    families = [family]
    for n in range(4):
        other = refer(name=f"The Family {n}", child=(f"Kid{n}", f"Family{n}", D(2016, 1, 1)))
        family_services.family_allocate(family=other, team=pod, worker=social_worker,
                                        start=D(2025, 3, 3))  # fmt: skip
        families.append(other)
    for each in families:
        kid = each.members.get(relationship="child").person
        status(each, kid, LOOKED_AFTER, D(2026, 4, 30))
        meeting(each, Kind.CIC_REVIEW, D(2026, 5, 20), children=[kid])
        meeting(each, Kind.STRATEGY_DISCUSSION, D(2026, 5, 4), outcome=CONFERENCE)
        meeting(each, Kind.ICPC, D(2026, 5, 21), status=Status.PLANNED)
    with django_assert_max_num_queries(3):
        one = meetings_due([family.pk], D(2026, 5, 21))
    with django_assert_max_num_queries(3):
        many = meetings_due([f.pk for f in families], D(2026, 5, 21))
    assert len(one) == 2 and len(many) == 10
    assert [m.due for m in many] == sorted(m.due for m in many)
