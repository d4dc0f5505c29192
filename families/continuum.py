"""The city's continuum of need (threshold guidance), from families/data/continuum_of_need.json,
a copy of ../shared/domain/continuum_of_need.json. Each indicator gets a stable id
("L2-C-05": level 2, Child developmental needs, fifth) so assessments can store what was ticked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "continuum_of_need.json"
AREA_CODES = {
    "Child developmental needs": "C",
    "Family & Environment": "F",
    "Parents & Carers": "P",
}


@dataclass(frozen=True)
class Indicator:
    id: str
    level: int
    area: str
    text: str


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    description: str
    areas: dict[str, list[Indicator]]


@cache
def levels() -> tuple[Level, ...]:
    """Immutable reference data read once per process (it ships with the code)."""
    raw = json.loads(DATA.read_text())
    result = []
    for level in raw["levels"]:
        areas = {
            area: [
                Indicator(
                    f"L{level['level']}-{AREA_CODES[area]}-{n:02d}", level["level"], area, text
                )
                for n, text in enumerate(texts, start=1)
            ]
            for area, texts in level["indicators"].items()
        }
        result.append(Level(level["level"], level["name"], level["description"], areas))
    return tuple(result)


@cache
def indicators_by_id() -> dict[str, Indicator]:
    return {i.id: i for level in levels() for area in level.areas.values() for i in area}


def indicator_ids() -> set[str]:
    return set(indicators_by_id())


def suggested_level(ticked: list[str]) -> int | None:
    """The highest level any ticked indicator belongs to, as the guidance reads: a child with
    one specialist indicator needs a specialist response. The worker still decides."""
    found = [indicators_by_id()[i].level for i in ticked if i in indicators_by_id()]
    return max(found) if found else None
