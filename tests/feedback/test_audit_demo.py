"""The demo's audits: a programme each quarter of the three years drawn by the app's rule, about
91 audits a quarter at scale 1 (shared between the pods), moderated, about 63% good or better
with children in need graded lower; open actions for the demo social worker; the current
quarter part-way, with one audit in Ash Pod waiting for an auditor; the same seed gives the
same audits. Built once for the module at scale 0.5 (the pods need families enough to draw)."""

import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from families import demo as families_demo
from families.models import FamilyGrant
from feedback.audits import sampling
from feedback.audits.results import audit_results, plan_type_totals
from feedback.audits.selectors import open_actions_for
from feedback.demo import audits as audits_demo
from feedback.models.audits import Audit, AuditProgramme
from pods import demo as pods_demo
from pods.models import Team
from pods.working_days import months_before

pytestmark = pytest.mark.django_db
SCALE = 0.5
SEED = 7


def _build(today) -> dict:
    rng = random.Random(SEED)
    pods_demo.build(rng=rng, today=today, scale=SCALE)
    families_demo.build(rng=rng, today=today, scale=SCALE)
    return audits_demo.build(rng=rng, today=today, scale=SCALE)


def _fingerprint() -> list:
    return sorted(
        Audit.objects.values_list(
            "programme__year", "programme__quarter", "family__display_name", "plan_type",
            "status", "overall", "auditor_overall", "auditor__username", "self_audit",
        ),
        key=repr,
    )  # fmt: skip


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker, tmp_path_factory):
    # Today, not a fixed day: the audit grants in force are given from now.
    today = timezone.localdate()
    fast = override_settings(
        PODS_GROUND_TRUTH_PATH=tmp_path_factory.mktemp("demo") / "ground_truth.json",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), fast:
        with transaction.atomic():
            _build(today)
            first = _fingerprint()
            transaction.set_rollback(True)
        with transaction.atomic():
            counts = _build(today)
            yield {"counts": counts, "first": first, "today": today}
            transaction.set_rollback(True)


def test_a_programme_every_quarter_of_about_91_audits_at_scale_1(authority):
    programmes = list(AuditProgramme.objects.order_by("year", "quarter"))
    assert len(programmes) >= 12
    assert (programmes[-1].year, programmes[-1].quarter) == sampling.quarter_of(authority["today"])
    pods = Team.objects.pods().count()
    for programme in programmes:
        assert programme.audits.count() == pytest.approx(91 * SCALE, abs=pods), programme


def test_about_63_percent_good_or_better_with_children_in_need_lower(authority):
    totals = dict(plan_type_totals(audit_results()))
    everyone = sum(f.good for f in totals.values()) - totals["Everyone but children in need"].good
    n = sum(f.n for f in totals.values()) - totals["Everyone but children in need"].n
    assert 55 <= round(100 * everyone / n) <= 71
    cin, others = totals["Child in need"], totals["Everyone but children in need"]
    assert cin.n >= 30 and others.n >= 30
    assert 37 <= cin.percent <= 57
    assert others.percent >= cin.percent + 8


def test_no_family_is_drawn_twice_within_12_months(authority):
    drawn: dict[int, list[datetime.date]] = {}
    for family_id, created in Audit.objects.values_list("family_id", "created"):
        drawn.setdefault(family_id, []).append(timezone.localdate(created))
    for days in drawn.values():
        days.sort()
        for earlier, later in zip(days, days[1:], strict=False):
            assert earlier <= months_before(later, 12)


def test_the_demo_social_worker_has_an_open_action_due_in_the_coming_weeks(authority):
    sam = get_user_model().objects.get(username="social-worker")
    actions = list(open_actions_for(sam))
    today = authority["today"]
    assert any(today <= a.due <= today + datetime.timedelta(weeks=6) for a in actions)


def test_the_current_quarter_is_part_way_with_one_waiting_in_ash_pod(authority):
    year, quarter = sampling.quarter_of(authority["today"])
    current = Audit.objects.filter(programme__year=year, programme__quarter=quarter)
    waiting = current.filter(status=Audit.Status.SAMPLED)
    assert waiting.filter(team__name="Ash Pod").count() == 1
    past = Audit.objects.exclude(programme__year=year, programme__quarter=quarter)
    assert past.exclude(status=Audit.Status.MODERATED).count() <= past.count() * 0.05
    # Those outside the family's pod with an audit under way hold an audit grant in force.
    under_way = current.filter(status__in=[Audit.Status.ASSIGNED, Audit.Status.SUBMITTED])
    grants = FamilyGrant.objects.in_force().filter(kind=FamilyGrant.Kind.AUDIT)
    assert grants.count() == under_way.filter(grant__isnull=False).count()
    assert all(
        audit.grant.user_id == audit.auditor_id for audit in under_way.filter(grant__isnull=False)
    )


def test_the_same_seed_gives_the_same_audits(authority):
    assert _fingerprint() == authority["first"]
