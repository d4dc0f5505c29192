"""The collection year of the statutory returns: 1 April to 31 March, named by the year it
ends (2026 is 1 April 2025 to 31 March 2026, "2025/26")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

NOT_ENDED = (
    "The {label} collection year ends on {end:%-d %B %Y}: "
    "its returns can be built from {first_day:%-d %B %Y}."
)


class ReturnYearNotEnded(ValueError):
    """A return asked for before its collection year has ended."""


@dataclass(frozen=True, order=True)
class CollectionYear:
    year: int  # the year it ends

    @cached_property
    def start(self) -> datetime.date:
        return datetime.date(self.year - 1, 4, 1)

    @cached_property
    def end(self) -> datetime.date:
        """31 March: the census's ReferenceDate, the last day counted."""
        return datetime.date(self.year, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.year - 1}/{self.year % 100:02d}"

    def ended(self, today: datetime.date) -> bool:
        return today > self.end

    def includes(self, day: datetime.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def check_ended(self, today: datetime.date) -> None:
        """Raise ReturnYearNotEnded unless the year is over by ``today``."""
        if not self.ended(today):
            raise ReturnYearNotEnded(
                NOT_ENDED.format(
                    label=self.label,
                    end=self.end,
                    first_day=self.end + datetime.timedelta(days=1),
                )
            )

    def __str__(self) -> str:
        return self.label


def year_of(day: datetime.date) -> CollectionYear:
    """The collection year ``day`` falls in."""
    return CollectionYear(day.year + 1 if day.month >= 4 else day.year)
