"""Every published KPI, for every month of the demo authority's three years, equals the count
the generator kept while it simulated them (families.demo writes its own month-end figures to
a ground-truth file as it goes, independently of the records it saves)."""

import datetime
import json
import random

import pytest
from django.db import transaction
from django.test import override_settings

from families import demo as families_demo
from pods import demo as pods_demo
from reporting.kpis import REGISTRY, Period, Scope

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


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
