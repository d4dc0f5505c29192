"""Twelve calendar months, as the continuity rule and the re-referral KPI count them: the same
day of the month a year before (the month's last day when it is shorter), as PostgreSQL's
``date - interval '12 months'`` gives, so the rule and the figure agree."""

import datetime

import pytest
from django.db import connection

from families.services import within_continuity_window
from pods.working_days import months_before

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 2, 28), 12, D(2025, 2, 28)),
        (D(2025, 2, 28), 12, D(2024, 2, 28)),
        (D(2024, 2, 29), 12, D(2023, 2, 28)),
        (D(2025, 3, 31), 1, D(2025, 2, 28)),
        (D(2025, 1, 15), 13, D(2023, 12, 15)),
    ],
)
def test_months_before_is_the_same_day_or_the_months_last(day, months, expected):
    assert months_before(day, months) == expected


@pytest.mark.django_db
def test_months_before_agrees_with_postgresql_every_day_of_five_years():
    days = [D(2023, 1, 1) + datetime.timedelta(days=n) for n in range(5 * 366)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (d - interval '12 months')::date FROM unnest(%s::date[]) AS d", [days]
        )
        expected = [row[0] for row in cursor.fetchall()]
    assert [months_before(day, 12) for day in days] == expected


def test_a_family_closed_twelve_months_to_the_day_before_is_within_the_window():
    # Across a 29 February: 366 days, and still 12 calendar months (365 days was missed).
    assert within_continuity_window(D(2024, 2, 28), D(2025, 2, 28))
    assert within_continuity_window(D(2023, 2, 28), D(2024, 2, 29))
    assert not within_continuity_window(D(2023, 2, 27), D(2024, 2, 29))
    assert within_continuity_window(D(2025, 2, 28), D(2026, 2, 28))
    assert not within_continuity_window(D(2025, 2, 27), D(2026, 2, 28))
