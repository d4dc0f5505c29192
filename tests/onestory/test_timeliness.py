"""Statutory visits: working days skip weekends and England and Wales bank holidays, and each
status has its own interval."""

import datetime

import pytest
from django.utils import timezone

from families import services as family_services
from families.models import ChildStatus, Family
from onestory import services
from onestory.models import Entry
from onestory.timeliness import visit_due_date, visits_due
from pods.working_days import add_working_days, is_working_day

pytestmark = pytest.mark.django_db


def test_working_days_skip_weekends_and_bank_holidays():
    assert not is_working_day(datetime.date(2025, 12, 25))  # Christmas Day
    assert not is_working_day(datetime.date(2025, 12, 26))  # Boxing Day
    assert not is_working_day(datetime.date(2025, 8, 25))  # summer bank holiday (England)
    # Tuesday 23 Dec 2025 + 3 working days: Wed 24, (Christmas, Boxing Day, weekend), Mon 29, Tue 30
    assert add_working_days(datetime.date(2025, 12, 23), 3) == datetime.date(2025, 12, 30)


def test_each_status_has_its_own_interval():
    monday = datetime.date(2026, 3, 2)
    assert visit_due_date("cp_plan", monday) == datetime.date(2026, 3, 16)  # 10 working days
    assert visit_due_date("cin_plan", monday) == datetime.date(2026, 3, 30)  # 20 working days
    assert visit_due_date("looked_after", monday) == datetime.date(2026, 4, 13)  # 6 weeks
    assert visit_due_date("care_proceedings", monday) is None


def test_a_cp_plan_over_easter_is_due_later_for_the_bank_holidays():
    # 10 working days from Thursday 2 April 2026 cross Good Friday (3rd) and Easter Monday (6th).
    assert visit_due_date("cp_plan", datetime.date(2026, 4, 2)) == datetime.date(2026, 4, 20)


def test_a_child_is_due_from_their_last_visit_and_the_strictest_status_wins(
    family, child, social_worker
):
    start = timezone.localdate() - datetime.timedelta(days=60)
    family_services.child_status_start(
        family=family, person=child, kind=ChildStatus.Kind.CIN_PLAN, start=start
    )
    family_services.child_status_start(
        family=family,
        person=child,
        kind=ChildStatus.Kind.CP_PLAN,
        start=start,
        cp_category="neglect",
    )
    [due] = visits_due(Family.objects.filter(pk=family.pk))
    assert due.status.kind == ChildStatus.Kind.CP_PLAN
    assert due.last_seen is None and due.is_overdue

    seen_on = timezone.now() - datetime.timedelta(days=1)
    services.entry_record(
        family=family,
        author=social_worker.user,
        kind=Entry.Kind.HOME_VISIT,
        occurred=seen_on,
        children=[services.ChildSeenDetails(person=child, seen=True)],
        final=True,
        what_happened="Seen",
    )
    [due] = visits_due(Family.objects.filter(pk=family.pk))
    assert due.last_seen == timezone.localtime(seen_on).date()
    assert due.due == visit_due_date("cp_plan", due.last_seen)
    assert not due.is_overdue


def test_a_draft_visit_does_not_count(family, child, social_worker):
    family_services.child_status_start(
        family=family,
        person=child,
        kind=ChildStatus.Kind.CIN_PLAN,
        start=timezone.localdate() - datetime.timedelta(days=60),
    )
    services.entry_record(
        family=family,
        author=social_worker.user,
        kind=Entry.Kind.HOME_VISIT,
        occurred=timezone.now() - datetime.timedelta(hours=2),
        children=[services.ChildSeenDetails(person=child, seen=True)],
        final=False,
        what_happened="Draft",
    )
    [due] = visits_due(Family.objects.filter(pk=family.pk))
    assert due.last_seen is None
