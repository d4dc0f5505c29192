"""The base of the KPI registry: periods, scopes, the registry itself and the set-based
query every KPI is written as.

A KPI answers for a range of month-ends and a kind of scope (the authority, every team, one
team, one worker) in one query: the month-ends come from ``generate_series``, are joined to
the effective-dated intervals they fall in, and the rows are grouped by month and scope.
Asking for one month and one scope is the same query narrowed (``Series`` with one month and
one id), so each KPI has one definition, the docstring of its function, which the reports and
dashboards show beside the figure.

"At the month end" means on the last day of the period; "in the month" means from its first
to its last day, both included. Every figure is computed from effective-dated records, so a
past month computed today gives the answer it gave then."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import functools
import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection

from pods.models import Team, Worker

AUTHORITY, TEAM, WORKER = "authority", "team", "worker"
SOCIAL_WORKERS = (Worker.Role.SOCIAL_WORKER, Worker.Role.SENIOR_SOCIAL_WORKER)


# --- periods and scopes ----------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month."""

    year: int
    month: int

    @classmethod
    def of(cls, day: datetime.date) -> Period:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``YYYY-MM``; ValueError with a message a person can act on otherwise."""
        try:
            year, month = (int(part) for part in text.strip().split("-"))
            period = cls(year, month)
            period.start  # noqa: B018 - validates the month
        except (ValueError, TypeError):
            raise ValueError(
                f"{text!r} is not a month: write it as YYYY-MM, e.g. 2025-03"
            ) from None
        return period

    @classmethod
    def span(cls, first: Period, last: Period) -> list[Period]:
        """Every month from ``first`` to ``last``, both included."""
        months, period = [], first
        while period <= last:
            months.append(period)
            period = period.next()
        return months

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)

    def minus(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 - months
        return Period(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return self.start.strftime("%B %Y")


@dataclass(frozen=True)
class Scope:
    """The authority, one team, or one worker."""

    kind: str
    team: Team | None = None
    worker: Worker | None = None

    @classmethod
    def authority(cls) -> Scope:
        return cls(AUTHORITY)

    @classmethod
    def of_team(cls, team: Team) -> Scope:
        return cls(TEAM, team=team)

    @classmethod
    def of_worker(cls, worker: Worker) -> Scope:
        return cls(WORKER, worker=worker)

    @property
    def id(self) -> int | None:
        if self.kind == TEAM:
            return self.team.pk
        if self.kind == WORKER:
            return self.worker.pk
        return None

    @property
    def key(self) -> str:
        """ "authority", "team:<id>" or "worker:<id>": the key of its figures."""
        return scope_key(self.kind, self.id)

    @property
    def label(self) -> str:
        if self.kind == TEAM:
            return self.team.name
        if self.kind == WORKER:
            return self.worker.name
        return settings.PODS_COUNCIL_NAME


def scope_key(kind: str, scope_id: int | None) -> str:
    return AUTHORITY if kind == AUTHORITY else f"{kind}:{scope_id}"


# --- the query a KPI is written as -------------------------------------------------------------


def _current(alias: str, day: str, start: str = "start", end: str = "end") -> str:
    """SQL: the row ``alias`` is current on ``day`` (its interval includes the day)."""
    return f'{alias}."{start}" <= {day} AND ({alias}."{end}" IS NULL OR {alias}."{end}" >= {day})'


@dataclass(frozen=True)
class Series:
    """What one KPI query is asked for: the months from ``first`` to ``last`` and one kind of
    scope, every scope of that kind (``ids`` None) or only those ids.

    A KPI's SQL starts ``WITH {months}`` (one row per month: ``month_start``, ``month_end``)
    and attaches its rows to scopes with ``held`` (families, through who holds them on a day)
    or ``staff`` (workers, through their teams on a day); it selects ``month_start``, the
    scope's id and its counts, grouped by the first two."""

    first: Period
    last: Period
    kind: str
    ids: tuple[int, ...] | None = None
    params: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        self.params.update(first=self.first.start, last=self.last.start, ids=list(self.ids or []))

    @property
    def months(self) -> str:
        return (
            "months AS (SELECT m::date AS month_start, "
            "(m + interval '1 month' - interval '1 day')::date AS month_end "
            "FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS m)"
        )

    def narrowed(self, column: str) -> str:
        """SQL narrowing ``column`` (a scope's id) to the asked-for ids, if any."""
        return "" if self.ids is None else f" AND {column} = ANY(%(ids)s)"

    def held(self, family: str, day: str, alias: str = "h") -> tuple[str, str]:
        """(join, scope id) for rows of the family ``family`` as held on ``day``: by the
        pod or team it is allocated to then (a team), or its allocated worker then (a
        worker). The authority holds every family."""
        if self.kind == TEAM:
            table, column = "families_podallocation", "team_id"
        elif self.kind == WORKER:
            table, column = "families_allocation", "worker_id"
        else:
            return "", "NULL::integer"
        join = (
            f" JOIN {table} {alias} ON {alias}.family_id = {family} AND {_current(alias, day)}"
            + self.narrowed(f"{alias}.{column}")
        )
        return join, f"{alias}.{column}"

    def staff(self, worker: str, day: str, alias: str = "t") -> tuple[str, str]:
        """(join, scope id) for rows of the worker ``worker``: through the teams they are in
        on ``day`` (a team), or the worker themselves. The authority has every worker."""
        if self.kind == TEAM:
            join = (
                f" JOIN pods_teammembership {alias} ON {alias}.worker_id = {worker} AND "
                f"{_current(alias, day)}" + self.narrowed(f"{alias}.team_id")
            )
            return join, f"{alias}.team_id"
        if self.kind == WORKER:
            return "", worker
        return "", "NULL::integer"

    def where_worker(self, worker: str) -> str:
        """SQL condition narrowing rows of workers to the asked-for worker ids."""
        return self.narrowed(worker) if self.kind == WORKER else ""

    def rows(self, sql: str, **params) -> list[tuple]:
        params = {**self.params, **params}
        cache = _shared.get()
        key = (sql, repr(sorted(params.items()))) if cache is not None else None
        if key in (cache or {}):
            return cache[key]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if cache is not None:
            cache[key] = rows
        return rows


_shared: contextvars.ContextVar[dict | None] = contextvars.ContextVar("shared", default=None)


@contextlib.contextmanager
def shared_rows():
    """Within the block, KPIs asking the same query (two figures of one count, such as
    re-referrals and those back to the same worker) run it once."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


# --- the registry ----------------------------------------------------------------------------

Cell = tuple[Period, str]  # (month, scope key)


@dataclass(frozen=True)
class KPI:
    key: str
    name: str
    unit: str  # "children", "families", "%", "per FTE", "sessions", ...
    up_is_good: bool | None  # None: neither (a count to watch)
    scopes: tuple[str, ...]
    query: Callable[[Series], list[tuple]]  # rows (month_start, scope id, *counts)
    finish: Callable[..., Decimal | int | None]  # counts -> the figure
    published: str = ""  # the ground-truth key the demo generator counts, when it counts it

    @property
    def definition(self) -> str:
        return " ".join((self.query.__doc__ or "").split())

    def _check(self, kind: str) -> None:
        if kind not in self.scopes:
            raise ValueError(f"{self.name} is not reported for a {kind}")

    def series(
        self, first: Period, last: Period, kind: str, ids: Iterable[int] | None = None
    ) -> dict[Cell, Decimal | int | None]:
        """The figure of every month from ``first`` to ``last`` for every scope of ``kind``
        that has any rows (or only ``ids``): one query. A scope absent from the result has
        the figure of no rows, ``self.empty``."""
        self._check(kind)
        asked = Series(first, last, kind, None if ids is None else tuple(ids))
        return {
            (Period.of(month), scope_key(kind, scope_id)): self.finish(*counts)
            for month, scope_id, *counts in self.query(asked)
        }

    @functools.cached_property
    def empty(self) -> Decimal | int | None:
        """The figure of a month and scope with no rows: zero counts, finished."""
        return self.finish(*[0] * len(inspect.signature(self.finish).parameters))

    def value(self, period: Period, scope: Scope) -> Decimal | int | None:
        """One month and one scope: the series query narrowed to them."""
        ids = None if scope.kind == AUTHORITY else [scope.id]
        found = self.series(period, period, scope.kind, ids)
        return found.get((period, scope.key), self.empty)

    def cells(
        self, first: Period, last: Period, scopes: Sequence[Scope]
    ) -> dict[Cell, Decimal | int | None]:
        """The figure of every month and each of ``scopes`` (of kinds the KPI reports):
        one query per kind, every scope of the kind (the query is cheaper whole than
        narrowed to many ids)."""
        figures = {}
        for kind in {scope.kind for scope in scopes} & set(self.scopes):
            found = self.series(first, last, kind)
            for scope in scopes:
                if scope.kind == kind:
                    for period in Period.span(first, last):
                        cell = (period, scope.key)
                        figures[cell] = found.get(cell, self.empty)
        return figures


REGISTRY: dict[str, KPI] = {}


def count(n: int) -> int:
    return int(n or 0)


def kpi(key, name, unit, *, up_is_good=None, scopes=(AUTHORITY, TEAM, WORKER), published="",
        finish=count):  # fmt: skip
    """Register the decorated query (``Series -> rows``) as a KPI, with ``finish`` turning a
    row's counts into the figure (a count by default)."""

    def register(query):
        if key in REGISTRY:
            raise ValueError(f"KPI {key!r} is registered twice")
        REGISTRY[key] = KPI(key, name, unit, up_is_good, tuple(scopes), query, finish, published)
        return query

    return register


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to one decimal place; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ratio(part, whole) -> Decimal | None:
    """``part`` per ``whole`` to one decimal place; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def per_child(part, whole) -> Decimal | None:
    """``part`` per ``whole`` to two decimal places; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- SQL shared by several KPIs ------------------------------------------------------------------

CURRENT = _current

OPEN_FAMILIES = (
    # Families with an episode open at each month end.
    "open_families AS (SELECT DISTINCT m.month_start, m.month_end, e.family_id "
    "FROM months m JOIN families_episode e ON " + _current("e", "m.month_end") + ")"
)
