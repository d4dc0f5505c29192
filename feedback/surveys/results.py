"""The results of a wave: per statement the number who answered (n), the mean to one decimal
place, the % positive (a score over 3), and the change from an earlier wave; per principle for
*Your Voice* (the positive rate over the principle's statements); the average shares of time;
and the comments that may be read.

Statements are ordered by the wave's mean, highest first, ties broken by the unrounded mean
and then by the instrument's order: that is how Appendix 1, Table 1 of the evaluation is
ordered. **No figure is shown for a group of fewer than five** (``SMALLEST_GROUP``): not for a
statement, not for a principle, not for the wave or a team of it, and so not in the CSV, the
XLSX or the chart, which are all made from these rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from feedback.models import Answer, Response, Statement, Wave
from feedback.models.surveys import POSITIVE_OVER, SMALLEST_GROUP

ONE_PLACE = Decimal("0.1")


def one_place(value: Decimal) -> Decimal:
    """Rounded as a person rounds (4.25 is 4.3), not to the even digit."""
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """What a group said to one statement; nothing is shown below ``SMALLEST_GROUP``."""

    n: int
    total: int
    positive: int

    @property
    def shown(self) -> bool:
        return self.n >= SMALLEST_GROUP

    @property
    def exact_mean(self) -> Decimal | None:
        return Decimal(self.total) / Decimal(self.n) if self.shown else None

    @property
    def mean(self) -> Decimal | None:
        return one_place(self.exact_mean) if self.shown else None

    @property
    def positive_pct(self) -> int | None:
        if not self.shown:
            return None
        return int((Decimal(100 * self.positive) / self.n).quantize(1, rounding=ROUND_HALF_UP))


NO_FIGURES = Figures(n=0, total=0, positive=0)


@dataclass(frozen=True)
class Row:
    statement: Statement
    figures: Figures
    earlier: Figures | None = None

    @property
    def change(self) -> Decimal | None:
        """The change from the earlier wave, of the unrounded means, to one place."""
        if self.earlier is None or not (self.figures.shown and self.earlier.shown):
            return None
        change = one_place(self.figures.exact_mean - self.earlier.exact_mean)
        return change + 0  # -0.04 is a change of 0.0, not "-0.0"


@dataclass(frozen=True)
class Principle:
    name: str
    n: int  # answers to the principle's statements
    positive: int
    respondents: int

    @property
    def positive_pct(self) -> int | None:
        if self.respondents < SMALLEST_GROUP or not self.n:
            return None
        return int((Decimal(100 * self.positive) / self.n).quantize(1, rounding=ROUND_HALF_UP))


@dataclass
class Results:
    wave: Wave
    earlier: Wave | None
    team: object | None
    respondents: int
    earlier_respondents: int
    rows: list[Row] = field(default_factory=list)
    principles: list[Principle] = field(default_factory=list)
    time_use: list[tuple[Statement, Decimal | None]] = field(default_factory=list)
    comments: list[Answer] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.respondents >= SMALLEST_GROUP


def _responses(wave: Wave, team) -> Q:
    return Q(response__wave=wave) & (Q(response__team=team) if team is not None else Q())


def statement_figures(wave: Wave, team, respondents: int) -> dict[int, Figures]:
    """Per scale statement of the wave (one query); none for a group under five."""
    rows = (
        Answer.objects.filter(_responses(wave, team), statement__kind=Statement.Kind.SCALE)
        .exclude(value__isnull=True)
        .values("statement_id")
        .annotate(
            n=Count("pk"),
            total=Sum("value"),
            positive=Count("pk", filter=Q(value__gt=POSITIVE_OVER)),
        )
    )
    if respondents < SMALLEST_GROUP:
        return {}
    return {row["statement_id"]: Figures(row["n"], row["total"], row["positive"]) for row in rows}


def respondents_of(wave: Wave, team=None) -> int:
    responses = Response.objects.filter(wave=wave)
    if team is not None:
        responses = responses.filter(team=team)
    return responses.count()


def results_for(
    *, wave: Wave, earlier: Wave | None = None, team=None, reader_is_owner=False
) -> Results:
    """Everything the results page, its downloads and its chart show."""
    statements = list(wave.instrument.statements.all())
    respondents = respondents_of(wave, team)
    earlier_respondents = respondents_of(earlier, team) if earlier is not None else 0
    figures = statement_figures(wave, team, respondents)
    earlier_figures = (
        statement_figures(earlier, team, earlier_respondents) if earlier is not None else None
    )
    results = Results(
        wave=wave,
        earlier=earlier,
        team=team,
        respondents=respondents,
        earlier_respondents=earlier_respondents,
    )
    scale = [s for s in statements if s.kind == Statement.Kind.SCALE]
    results.rows = [
        Row(
            statement=s,
            figures=figures.get(s.pk, NO_FIGURES),
            earlier=earlier_figures.get(s.pk, NO_FIGURES) if earlier_figures is not None else None,
        )
        for s in scale
    ]
    results.rows.sort(
        key=lambda row: (
            -(row.figures.exact_mean if row.figures.shown else Decimal(-1)),
            row.statement.order,
        )
    )
    results.principles = _principles(scale, figures, results.respondents)
    results.time_use = _time_use(wave, team, statements, results.shown)
    if results.shown:
        results.comments = _comments(wave, team, reader_is_owner)
    return results


def _principles(scale, figures, respondents) -> list[Principle]:
    themes: dict[str, list[Figures]] = {}
    for statement in scale:
        if statement.theme:
            themes.setdefault(statement.theme, []).append(figures.get(statement.pk, NO_FIGURES))
    return [
        Principle(
            name=name,
            n=sum(f.n for f in group),
            positive=sum(f.positive for f in group),
            respondents=respondents,
        )
        for name, group in themes.items()
    ]


def _time_use(wave, team, statements, shown) -> list[tuple[Statement, Decimal | None]]:
    shares = [s for s in statements if s.kind == Statement.Kind.TIME_SHARE]
    if not shares:
        return []
    sums = {
        row["statement_id"]: (row["total"], row["n"])
        for row in Answer.objects.filter(_responses(wave, team), statement__in=shares)
        .exclude(value__isnull=True)
        .values("statement_id")
        .annotate(total=Sum("value"), n=Count("pk"))
    }
    return [
        (
            s,
            one_place(Decimal(sums[s.pk][0]) / sums[s.pk][1])
            if shown and sums.get(s.pk, (0, 0))[1] >= SMALLEST_GROUP
            else None,
        )
        for s in shares
    ]


def _comments(wave, team, reader_is_owner) -> list[Answer]:
    """The owner reads every comment (to moderate it); everyone else the published ones."""
    comments = Answer.objects.filter(_responses(wave, team), statement__kind=Statement.Kind.COMMENT)
    comments = comments.exclude(text="")
    if not reader_is_owner:
        comments = comments.filter(moderation=Answer.Moderation.PUBLISHED)
    # Random ids: this order says nothing about who answered or when.
    return list(comments.select_related("statement").order_by("pk"))
