"""Statutory visits: working days skip weekends and England and Wales bank holidays, and each
status has its own interval."""

import datetime

import pytest
from django.utils import timezone

from families import services as family_services
from families.models import ChildStatus, Family
from onestory import services
from onestory.models import Entry
from onestory.timeliness import in_time_since, visit_counts, visit_due_date, visits_due
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


@pytest.mark.parametrize("kind", ["cp_plan", "cin_plan", "looked_after"])
def test_the_in_time_cut_off_agrees_with_the_due_date_every_day(kind):
    # Month ends and days around Christmas, Easter and the May bank holidays, 2025 and 2026.
    days = [datetime.date(2025, 12, 20) + datetime.timedelta(days=n) for n in range(150)]
    for day in days:
        cut_off = in_time_since(kind, day)
        for back in range(0, 70):
            since = day - datetime.timedelta(days=back)
            assert (visit_due_date(kind, since) >= day) == (since >= cut_off), (kind, day, since)


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
    families = Family.objects.filter(pk=family.pk)
    [due] = visits_due(families)
    assert due.status.kind == ChildStatus.Kind.CP_PLAN
    assert due.last_seen is None and due.is_overdue
    assert visit_counts(families, timezone.localdate()) == (1, 0)  # one child, overdue

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
    assert visit_counts(families, timezone.localdate()) == (1, 1)
    # The day before the visit, the child was overdue on the CP plan's 10 working days.
    assert visit_counts(families, due.last_seen - datetime.timedelta(days=1)) == (1, 0)


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
    assert visit_counts(Family.objects.filter(pk=family.pk), timezone.localdate()) == (1, 0)
