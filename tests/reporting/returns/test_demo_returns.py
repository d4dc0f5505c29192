"""The demo authority's 2025/26 returns validate with no errors.

The demo (every builder of seed_demo up to ``reporting.demo.returns``) is built once for the
module at scale 0.3 from a fixed seed, up to today; its CIN census and SSDA903 return for
2025/26 are built as the app builds them and run through the DfE's validators.
"""

import random
from collections import Counter

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.module_loading import import_string

from pods.management.commands.seed_demo import DEMO_BUILDERS
from reporting.returns.cin import build_cin_census
from reporting.returns.ssda903 import build_ssda903
from reporting.returns.validation import validate

pytestmark = pytest.mark.django_db
YEAR = 2026  # 1 April 2025 to 31 March 2026
SCALE = 0.3
SEED = 2015
BUILDERS = DEMO_BUILDERS[: DEMO_BUILDERS.index("reporting.demo.returns.build") + 1]


@pytest.fixture(scope="module")
def validation(django_db_setup, django_db_blocker, tmp_path_factory):
    fast = override_settings(
        PODS_GROUND_TRUTH_PATH=tmp_path_factory.mktemp("demo") / "ground_truth.json",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        rng, today = random.Random(SEED), timezone.localdate()
        for path in BUILDERS:
            import_string(path)(rng=rng, today=today, scale=SCALE)
        cin, ssda903 = build_cin_census(YEAR), build_ssda903(YEAR)
        yield validate(year=YEAR, cin_xml=cin, ssda903=ssda903, ssda903_previous=None)
        transaction.set_rollback(True)


def _summary(issues) -> str:
    counts = Counter((i.rule, i.table) for i in issues)
    examples = {}
    for issue in issues:
        examples.setdefault(issue.rule, issue)
    return "\n".join(
        f"{rule} {table}: {n} e.g. {examples[rule].child} {examples[rule].message}"
        for (rule, table), n in counts.most_common()
    )


def test_the_cin_census_has_no_errors(validation):
    errors = [i for i in validation.cin_issues + validation.return_issues if i.is_error]
    queries = [i for i in validation.cin_issues + validation.return_issues if not i.is_error]
    print("CIN queries:\n" + _summary(queries))
    assert not errors, _summary(errors)


def test_the_ssda903_return_has_no_errors(validation):
    errors = [i for i in validation.ssda903_issues if i.is_error]
    print("903 failed:", validation.failed)
    assert not errors, _summary(errors)
