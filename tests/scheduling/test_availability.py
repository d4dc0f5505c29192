"""Availability: clashes with appointments (as the worker going or the chair), absences, a
suggested slot that skips weekends, bank holidays (Easter 2026: Good Friday 3 April, Easter
Monday 6 April), absences and clashes of the worker, the chair and the family, and the
reviewing officers free to chair."""

import datetime

import pytest
from django.utils import timezone

from families import services as family_services
from pods import services as pod_services
from pods.models import Absence, Worker
from scheduling.availability import away, chairs_free, clashes, suggest_slot
from tests.factories import make_worker
from tests.families.conftest import refer
from tests.scheduling.conftest_clocks import Kind, Status, at, meeting

pytestmark = pytest.mark.django_db
D = datetime.date
THURSDAY, GOOD_FRIDAY, TUESDAY, WEDNESDAY = (
    D(2026, 4, 2),
    D(2026, 4, 3),
    D(2026, 4, 7),
    D(2026, 4, 8),
)
NINETY_MINUTES = datetime.timedelta(minutes=90)
FRIDAY_AFTER = D(2026, 4, 10)


@pytest.fixture
def chair(db):
    return make_worker(role=Worker.Role.REVIEWING_OFFICER)


@pytest.fixture
def colleague(pod):
    return make_worker(role=Worker.Role.SOCIAL_WORKER, team=pod)


@pytest.fixture
def other_family(front_door, pod, colleague):
    """A second Oak Pod family, held by the colleague."""
    other = refer(name="The Doe family", child=("Sam", "Doe", D(2014, 2, 2)))
    family_services.family_allocate(family=other, team=pod, worker=colleague, start=D(2025, 3, 3))
    return other


def away_on(worker, first, last=None):
    return pod_services.absence_record(
        worker=worker, start=first, end=last or first, kind=Absence.Kind.ANNUAL_LEAVE
    )


class TestClashes:
    def test_an_overlapping_appointment_clashes_and_one_that_only_touches_does_not(
        self, family, social_worker
    ):
        visit = meeting(family, Kind.HOME_VISIT, TUESDAY, hour=10)  # 10:00 to 11:00
        overlapping = clashes(workers=[social_worker], start=at(TUESDAY, 10, 30),
                              end=at(TUESDAY, 11, 30))  # fmt: skip
        assert overlapping == [(social_worker, visit)]
        assert clashes(workers=[social_worker], start=at(TUESDAY, 11), end=at(TUESDAY, 12)) == []
        assert clashes(workers=[social_worker], start=at(TUESDAY, 9), end=at(TUESDAY, 10)) == []

    def test_the_chair_of_a_meeting_is_booked_too(self, family, social_worker, chair):
        icpc = meeting(family, Kind.ICPC, TUESDAY, hour=10, chair=chair)
        both = clashes(workers=[social_worker, chair, None], start=at(TUESDAY, 10),
                       end=at(TUESDAY, 10, 30))  # fmt: skip
        assert both == [(social_worker, icpc), (chair, icpc)]

    def test_cancelled_moved_and_the_appointment_being_moved_do_not_clash(
        self, family, social_worker
    ):
        meeting(family, Kind.HOME_VISIT, TUESDAY, hour=10, status=Status.CANCELLED)
        meeting(family, Kind.HOME_VISIT, TUESDAY, hour=10, status=Status.MOVED)
        moving = meeting(family, Kind.HOME_VISIT, TUESDAY, hour=10, status=Status.PLANNED)
        window = {"start": at(TUESDAY, 10), "end": at(TUESDAY, 11)}
        assert clashes(workers=[social_worker], **window) == [(social_worker, moving)]
        assert clashes(workers=[social_worker], exclude=moving, **window) == []


def test_away_lists_the_workers_with_an_absence_covering_the_day(social_worker, chair):
    away_on(social_worker, THURSDAY, GOOD_FRIDAY)
    assert away(workers=[social_worker, chair, None], day=THURSDAY) == [social_worker]
    assert away(workers=[social_worker, chair], day=GOOD_FRIDAY) == [social_worker]
    assert away(workers=[social_worker, chair], day=D(2026, 4, 4)) == []


class TestSuggestSlot:
    def suggest(self, family, workers, *, earliest=THURSDAY, latest=FRIDAY_AFTER, after=None):
        return suggest_slot(
            family=family,
            workers=workers,
            earliest=earliest,
            latest=latest,
            duration=NINETY_MINUTES,
            after=after or at(D(2026, 4, 1), 12),
        )

    def test_it_skips_absences_and_bank_holidays_then_clashes_of_everyone_going(
        self, family, other_family, social_worker, colleague, chair
    ):
        workers = [social_worker, chair]
        assert self.suggest(family, workers) == at(THURSDAY, 9, 30)
        # The social worker is away on Thursday; Good Friday, the weekend and Easter Monday
        # are not working days: Tuesday 7 April at 09:30, British Summer Time.
        away_on(social_worker, THURSDAY)
        slot = self.suggest(family, workers)
        assert slot == at(TUESDAY, 9, 30)
        assert slot.utcoffset() == datetime.timedelta(hours=1)
        assert timezone.localtime(slot).time() == datetime.time(9, 30)
        # The family has family time from 09:00 to 10:30 (with another worker): 10:30.
        meeting(family, Kind.FAMILY_TIME, TUESDAY, hour=9, minutes=90, worker=colleague)
        assert self.suggest(family, workers) == at(TUESDAY, 10, 30)
        # The chair chairs another family's conference from 11:00 to 12:30: 12:30.
        meeting(other_family, Kind.ICPC, TUESDAY, hour=11, minutes=90, chair=chair)
        assert self.suggest(family, workers) == at(TUESDAY, 12, 30)
        # The social worker visits the other family from 13:00 to 15:00: 15:00, ending 16:30.
        meeting(other_family, Kind.HOME_VISIT, TUESDAY, hour=13, minutes=120,
                worker=social_worker)  # fmt: skip
        meeting(other_family, Kind.HOME_VISIT, TUESDAY, hour=15, status=Status.CANCELLED,
                worker=social_worker)  # fmt: skip
        assert self.suggest(family, workers) == at(TUESDAY, 15)
        # And from 15:30: nothing of 90 minutes is left on Tuesday, so Wednesday at 09:30.
        meeting(other_family, Kind.HOME_VISIT, TUESDAY, hour=15, minute=30, minutes=30,
                worker=social_worker)  # fmt: skip
        assert self.suggest(family, workers) == at(WEDNESDAY, 9, 30)

    def test_it_starts_on_the_half_hour_after_the_time_given(self, family, social_worker):
        after = at(TUESDAY, 9, 40)
        assert self.suggest(family, [social_worker], after=after) == at(TUESDAY, 10)
        late = at(TUESDAY, 15, 1)
        assert self.suggest(family, [social_worker], after=late) == at(WEDNESDAY, 9, 30)

    def test_no_slot_inside_a_window_of_bank_holidays(self, family, social_worker):
        window = {"earliest": GOOD_FRIDAY, "latest": D(2026, 4, 6)}
        assert self.suggest(family, [social_worker], **window) is None

    def test_it_takes_two_queries_however_long_the_window(
        self, family, social_worker, chair, django_assert_max_num_queries
    ):
        away_on(chair, THURSDAY, D(2026, 6, 30))
        with django_assert_max_num_queries(2):
            slot = self.suggest(family, [social_worker, chair], latest=D(2026, 7, 31))
        assert slot == at(D(2026, 7, 1), 9, 30)


def test_chairs_free_are_reviewing_officers_in_post_not_away_and_not_booked(
    family, social_worker, chair
):
    on_leave = make_worker(role=Worker.Role.REVIEWING_OFFICER)
    away_on(on_leave, TUESDAY)
    chairing = make_worker(role=Worker.Role.REVIEWING_OFFICER)
    meeting(family, Kind.RCPC, TUESDAY, hour=10, chair=chairing)
    visiting = make_worker(role=Worker.Role.REVIEWING_OFFICER)
    meeting(family, Kind.OFFICE_VISIT, TUESDAY, hour=11, worker=visiting)
    make_worker(role=Worker.Role.REVIEWING_OFFICER, start_date=D(2020, 1, 1),
                leave_date=D(2026, 3, 31))  # fmt: skip
    free = chairs_free(start=at(TUESDAY, 10, 30), end=at(TUESDAY, 11, 30))
    assert list(free) == [chair]
