"""Every published KPI, for every month of the demo authority's three years, equals the count
the generator kept while it simulated them (families.demo writes its own month-end figures to
a ground-truth file as it goes, independently of the records it saves)."""

import datetime
import json
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.test import override_settings

from families import demo as families_demo
from onestory import demo as onestory_demo
from onestory.timeliness import visits_due
from pods import demo as pods_demo
from pods.models import Team
from reporting.kpis import REGISTRY, Period, Scope, _families

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)
TENTH = Decimal("0.1")


@pytest.fixture(scope="module")
def ground_truth(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "ground_truth.json"
    fast = override_settings(
        PODS_GROUND_TRUTH_PATH=path,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        rng = random.Random(11)
        pods_demo.build(rng=rng, today=TODAY, scale=0.2)
        families_demo.build(rng=rng, today=TODAY, scale=0.2)
        onestory_demo.build(rng=rng, today=TODAY, scale=0.2)
        yield json.loads(path.read_text())
        transaction.set_rollback(True)


def test_every_published_kpi_matches_the_generator_every_month(ground_truth):
    published = [kpi for kpi in REGISTRY.values() if kpi.published]
    assert {kpi.published for kpi in published} == set(ground_truth["definitions"])
    months = ground_truth["month_ends"]
    assert len(months) >= 36
    mismatches = []
    for month_end, expected in months.items():
        period = Period.of(datetime.date.fromisoformat(month_end))
        assert period.end.isoformat() == month_end
        for kpi in published:
            value = kpi.value(period, Scope.authority())
            if value != expected[kpi.published]:
                mismatches.append((month_end, kpi.key, value, expected[kpi.published]))
    assert mismatches == []


def test_visits_in_timescale_counts_in_the_database_what_the_due_list_works_out(ground_truth):
    # The KPI is one aggregate; the due list walks each child's statuses in Python. On three
    # years of the demo authority's visits they agree, for the authority and every pod.
    kpi = REGISTRY["visits_in_timescale"]
    pods = Team.objects.filter(kind=Team.Kind.POD)
    scopes = [Scope.authority()] + [Scope.of_team(pod) for pod in pods]
    checked = 0
    for month_end in ground_truth["month_ends"]:
        period = Period.of(datetime.date.fromisoformat(month_end))
        for scope in scopes:
            due = visits_due(_families(scope, period.end), period.end)
            in_time = sum(not visit.is_overdue for visit in due)
            expected = None
            if due:
                expected = (Decimal(100 * in_time) / len(due)).quantize(TENTH, ROUND_HALF_UP)
            assert kpi.value(period, scope) == expected, (month_end, scope)
            checked += bool(due)
    assert checked > 100  # enough months and pods had children due a visit to mean something
