"""Small helpers the demo's statutory-facts steps share: a weighted choice and birthdays."""

from __future__ import annotations

import datetime
import random

DAY = datetime.timedelta(days=1)


def weighted(rng: random.Random, pairs):
    """One of the values of ``pairs`` of (value, weight)."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def birthday(born: datetime.date, years: int) -> datetime.date:
    """The day someone born on ``born`` turns ``years`` (1 March for a 29 February birthday)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return born.replace(year=born.year + years, day=28) + DAY


def age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
