"""The demo authority's One Story records, built deterministically from a seed after
``families.demo``, in the same transaction, from what it wrote.

Over the three years of history:

1. *Summaries* (``summaries``): a living summary for every open family and most closed ones,
   with every version by whoever held the family then.
2. *Chronology* (``chronology``): about 100,000 entries at scale 1 (scaled linearly: about a
   million at the benchmark's scale 10), each family's planned from its statuses and who held
   it (home visits at about the statutory interval, conferences, core groups, reviews, calls,
   messages, direct work, significant events), with the children seen on each. One family the
   demo social worker holds has at least a thousand, for the benchmark.
3. *Assessments* (``assessments``): one for each episode begun in the history.
4. *Plans* (``plans``): for every child on a plan or in care today.

Everything is planned in plain Python first (``world`` reads the families and staff in a few
queries) and written in bulk with its history. The prose comes from ``vocabulary`` through
``writing``.
"""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.utils import timezone

from families.models import Family
from onestory.demo.assessments import write_assessments
from onestory.demo.plans import write_plans
from onestory.demo.recording import choose_long_family, write_chronologies
from onestory.demo.summaries import write_summaries
from onestory.demo.world import Calendar, Setting, load_families, load_roster, users_by_id
from onestory.models import Assessment, CaseSummary, ChildSeen, Entry, Plan
from onestory.timeliness import visits_due

LONG_FAMILY_HOLDER = "social-worker"  # pods.demo.DEMO_ACCOUNTS: Sam Okafor


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    """Write the One Story records of the demo authority (after families.demo.build, in its
    transaction); return counts for seed_demo's summary line."""
    history_start = today.replace(year=today.year - 3, day=1)
    first, now = history_start.toordinal(), timezone.now()
    setting = Setting(
        today=today.toordinal(),
        first=first,
        last=today.toordinal() - 1,
        now=now,
        calendar=Calendar(first - 400, today.toordinal() + 400),
        roster=load_roster(),
        users=users_by_id(),
    )
    families = load_families()
    # One generator a step, so a change to one step leaves the others' records as they were.
    seeds = [rng.getrandbits(64) for _ in range(4)]
    counts = write_summaries(random.Random(seeds[0]), setting, families)
    long_family = choose_long_family(families, setting, LONG_FAMILY_HOLDER)
    counts |= write_chronologies(random.Random(seeds[1]), setting, families, long_family, scale)
    counts |= write_assessments(random.Random(seeds[2]), setting, families)
    counts |= write_plans(random.Random(seeds[3]), setting, families)
    _analyze(Entry, ChildSeen, CaseSummary, Assessment, Plan)
    due = visits_due(Family.objects.filter(episodes__end__isnull=True), today)
    counts["children due a visit in time"] = sum(1 for visit in due if not visit.is_overdue)
    counts["children overdue a visit"] = sum(1 for visit in due if visit.is_overdue)
    return counts


def _analyze(*models) -> None:
    """Give the planner statistics for the tables just filled, before anything (the counts
    below, the rest of the seed) queries them: without, it plans for empty tables and a join
    over a million entries takes minutes."""
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
