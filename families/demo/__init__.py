"""The demo authority's families, built deterministically from a seed after ``pods.demo``.

Three years of effective-dated history (DESIGN §4), with an opening stock of families already
open before it, shaped like the seeds' monthly monitoring
(``domain/instruments_and_published_figures.json``) at scale 1 and scaled linearly: about
2,100 open children in about 1,250 open families; children on child protection plans falling
from about 400 to about 340; children looked after from about 470 to about 380 (5 to 8% of them
unaccompanied asylum-seeking children); care applications from about 26 a quarter to about 15.

It is built in four steps:

1. *Cases* (``CaseSimulation``). Families, their episodes and every child's plans and legal
   status are planned in plain Python, each family's dates decided when it is planned.
   Stock-and-flow controllers keep the figures on target: each day just enough children start
   a child protection plan or become looked after to reach that day's target, care proceedings
   fill a quota per month, and enough other families are referred to keep the open children
   on target. The opening stock is drawn from families referred in the years before the history
   and kept only when still open on its first month-end, so its ages and durations look like
   those of a service that has been running for years.
2. *Allocation* (``AllocationSweep``). One pass through the days moves each new episode from
   the front door to the least loaded pod and its least loaded case-holding worker in post,
   applies the continuity rule to re-referrals, hands a leaver's families to a colleague in the
   pod from the day after their last day, and makes the odd change of worker for other reasons.
3. *Writing*: everything in bulk with its history (``bulk_create_with_history``), the bulk-load
   path DESIGN §6 allows for the dataset generators, and one group grant per family to the team
   that holds it (or held it last).
4. *Ground truth*: the monthly figures, counted from the simulation itself (not from the
   database) and written to ``settings.PODS_GROUND_TRUTH_PATH``, so reports and KPIs can be
   checked against figures they did not compute.

Dates are day ordinals (``date.toordinal()``) throughout the simulation: it is faster, and
intervals are inclusive at both ends as in the models (an open interval is planned to end
after today and written with a null end).

The package is split by concept: ``vocabulary`` (the static data), ``simulated`` (the simulated
objects, stocks, targets and date helpers), then one module a step: ``cases``, ``allocation``,
``writing`` and ``ground_truth``. ``build`` below runs the steps in order.
"""

from __future__ import annotations

import datetime
import random

from faker import Faker

from config.bulk import refresh_planner_statistics
from families.demo.allocation import DEMO_CASEHOLDERS, LEAVER_REASON, AllocationSweep
from families.demo.cases import CaseSimulation
from families.demo.ground_truth import DEFINITIONS, write_ground_truth
from families.demo.simulated import CP, LAC
from families.demo.writing import Writer
from pods.models import Worker

# DEFINITIONS and LEAVER_REASON are read by the tests, as families.demo's public constants.
__all__ = ["DEFINITIONS", "LEAVER_REASON", "build"]


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    """Build the families of the demo authority (after pods.demo.build, in its transaction)
    and write their ground truth; return counts for seed_demo's summary line."""
    history_start = today.replace(year=today.year - 3, day=1)
    faker = Faker("en_GB")
    faker.seed_instance(rng.randrange(1_000_000))
    simulation = CaseSimulation(
        rng=rng, faker=faker, history_start=history_start, today=today, scale=scale
    )
    simulation.run()
    sweep = AllocationSweep(rng=rng, simulation=simulation)
    sweep.run()
    Writer(rng=rng, simulation=simulation, sweep=sweep).write()
    write_ground_truth(simulation, history_start=history_start, today=today, scale=scale)

    # The families, their people and journeys, and the staff the pods demo wrote before them.
    refresh_planner_statistics("families", "pods", "auth")

    t = simulation.today
    open_now = [e for e in simulation.episodes if e.start <= t <= e.end]
    demo_worker = Worker.objects.filter(user__username=DEMO_CASEHOLDERS[0]).first()
    return {
        "families": len(simulation.families),
        "people": sum(len(f.people) for f in simulation.families),
        "episodes": len(simulation.episodes),
        "open families": len(open_now),
        "open children": sum(len(e.family.children) for e in open_now),
        "children on CP plans": sum(
            1 for e in open_now for s in e.statuses if s.kind == CP and s.start <= t <= s.end
        ),
        "children looked after": sum(
            1 for e in open_now for s in e.statuses if s.kind == LAC and s.start <= t <= s.end
        ),
        "children held by social-worker": sum(
            len(e.family.children)
            for e in open_now
            if demo_worker
            and e.allocations
            and e.allocations[-1][0] == demo_worker.pk
            and e.allocations[-1][2] is None
        ),
    }
