"""Step 4, ground truth: the monthly figures (``DEFINITIONS``) counted from the simulation
itself, not from the database, and written as JSON to ``settings.PODS_GROUND_TRUTH_PATH``, so
reports and KPIs can be checked against figures they did not compute."""

from __future__ import annotations

import bisect
import datetime
import json
import math
from pathlib import Path

from django.conf import settings

from families.demo.cases import CaseSimulation
from families.demo.simulated import CP, LAC, PROCEEDINGS, _date, _month_ends

DEFINITIONS = {
    "open_children": "Children (family members with relationship 'child') of families with an "
    "episode open on the day (start <= day and end null or >= day).",
    "open_families": "Families with an episode open on the day.",
    "cp_children": "Children with a child protection plan (ChildStatus cp_plan) on the day.",
    "children_in_care": "Children looked after (ChildStatus looked_after) on the day, "
    "unaccompanied asylum-seeking children included.",
    "children_in_care_excl_uasc": "Children looked after on the day whose looked-after status "
    "is not marked UASC.",
    "care_applications_in_quarter": "Care applications starting in the three calendar months "
    "ending on the day: one per family and day that care proceedings (ChildStatus "
    "care_proceedings, one per child) began, as one application can cover siblings.",
}


def ground_truth(simulation: CaseSimulation, month_ends: list[datetime.date]) -> dict:
    """The monthly figures, counted from the simulated intervals as they are written (open
    when they run past today), one month-end at a time."""
    today = simulation.today
    days = [d.toordinal() for d in month_ends]
    names = list(DEFINITIONS)
    counts = [dict.fromkeys(names, 0) for _ in days]

    def covered(start: int, end: int):
        end = math.inf if end > today else end
        return range(bisect.bisect_left(days, start), bisect.bisect_right(days, end))

    applications = set()  # (family, day): one application may cover several children
    for episode in simulation.episodes:
        if episode.start > today:
            continue
        children = {id(p) for p in episode.family.children}
        for i in covered(episode.start, episode.end):
            counts[i]["open_families"] += 1
            counts[i]["open_children"] += len(children)
        for status in episode.statuses:
            if status.start > today:
                continue
            if status.kind == CP:
                for i in covered(status.start, status.end):
                    counts[i]["cp_children"] += 1
            elif status.kind == LAC:
                for i in covered(status.start, status.end):
                    counts[i]["children_in_care"] += 1
                    counts[i]["children_in_care_excl_uasc"] += not status.uasc
            elif status.kind == PROCEEDINGS:
                applications.add((id(episode.family), status.start))
    for _family, day in applications:
        start = _date(day)
        for i, month_end in enumerate(month_ends):
            quarter_first = month_end.replace(day=1)
            for _ in range(2):
                quarter_first = (quarter_first - datetime.timedelta(days=1)).replace(day=1)
            if quarter_first <= start <= month_end:
                counts[i]["care_applications_in_quarter"] += 1
    return {d.isoformat(): c for d, c in zip(month_ends, counts, strict=True)}


def write_ground_truth(
    simulation: CaseSimulation, *, history_start: datetime.date, today: datetime.date, scale: float
) -> None:
    """Count the month-ends from the one before ``history_start`` to the last before ``today``
    and write them, with their definitions, to ``settings.PODS_GROUND_TRUTH_PATH``."""
    month_ends = _month_ends(history_start - datetime.timedelta(days=1), today)
    figures = ground_truth(simulation, month_ends)
    path = Path(settings.PODS_GROUND_TRUTH_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "generated_for": today.isoformat(),
                "seed_note": (
                    f"families.demo.build at scale {scale:g}, history from "
                    f"{history_start.isoformat()}: the same seed_demo --seed, --scale and "
                    "--today give the same figures"
                ),
                "definitions": DEFINITIONS,
                "month_ends": figures,
            },
            indent=2,
        )
        + "\n"
    )
