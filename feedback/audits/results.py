"""The programme's results: the share of moderated audits graded good or better (outstanding
or good, after moderation), with the number of audits behind each figure, per quarter, per
pod and per plan type. Aggregates only: no family is named, so no door is needed; who sees
which pods is decided in feedback.permissions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from feedback.models.audits import Audit, Grade, PlanType
from pods.models import Team


@dataclass
class Figure:
    """n moderated audits, ``good`` of them good or better."""

    n: int = 0
    good: int = 0

    def add(self, n: int, good: int) -> None:
        self.n += n
        self.good += good

    @property
    def percent(self) -> int | None:
        """Percentage good or better, to the nearest whole number; None with no audits."""
        return None if not self.n else round(100 * self.good / self.n)


@dataclass
class QuarterResults:
    year: int
    quarter: int
    overall: Figure = field(default_factory=Figure)
    by_plan: dict[str, Figure] = field(default_factory=lambda: defaultdict(Figure))
    by_team: dict[int, Figure] = field(default_factory=lambda: defaultdict(Figure))

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.year}-{(self.year + 1) % 100:02d}"

    def plan_figures(self) -> list[tuple[str, Figure]]:
        return [(plan.label, self.by_plan.get(plan.value, Figure())) for plan in PlanType]


def audit_results(teams: list[Team] | None = None) -> list[QuarterResults]:
    """Every quarter with moderated audits, newest first, narrowed to ``teams`` when given
    (the pod each family was drawn in). One query."""
    audits = Audit.objects.filter(status=Audit.Status.MODERATED, programme__isnull=False)
    if teams is not None:
        audits = audits.filter(team__in=teams)
    rows = (
        audits.values("programme__year", "programme__quarter", "team_id", "plan_type")
        .annotate(n=Count("pk"), good=Count("pk", filter=Q(overall__lte=Grade.GOOD)))
        .order_by()
    )
    quarters: dict[tuple[int, int], QuarterResults] = {}
    for row in rows:
        key = (row["programme__year"], row["programme__quarter"])
        results = quarters.setdefault(key, QuarterResults(*key))
        results.overall.add(row["n"], row["good"])
        results.by_plan[row["plan_type"]].add(row["n"], row["good"])
        results.by_team[row["team_id"]].add(row["n"], row["good"])
    return [quarters[key] for key in sorted(quarters, reverse=True)]


def plan_type_totals(results: list[QuarterResults]) -> list[tuple[str, Figure]]:
    """All the quarters given together, per plan type and then children in need against
    everyone else (the comparison the evaluation makes)."""
    totals: dict[str, Figure] = defaultdict(Figure)
    for quarter in results:
        for plan, figure in quarter.by_plan.items():
            totals[plan].add(figure.n, figure.good)
    rows = [(plan.label, totals.get(plan.value, Figure())) for plan in PlanType]
    others = Figure()
    for plan, figure in totals.items():
        if plan != PlanType.CHILD_IN_NEED:
            others.add(figure.n, figure.good)
    rows.append(("Everyone but children in need", others))
    return rows
