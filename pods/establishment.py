"""The pod establishment of the Team Around the Relationship model, and how a pod compares.

From the seeds (001, "The pod includes"): 1 FTE pod manager, up to 2 FTE senior social
workers, up to 5 FTE social workers, at least 1 social worker in training and a business
support officer. Deviations are shown to managers and leaders; nothing is blocked by them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from pods.models import Team, Worker, current_on


def _plain(number: Decimal) -> str:
    """0.20 -> "0.2", 6.00 -> "6"."""
    return format(Decimal(number).normalize(), "f")


@dataclass(frozen=True)
class EstablishmentRule:
    key: str
    label: str
    role: str
    measure: str  # "fte" or "people"
    minimum: Decimal
    maximum: Decimal | None

    @property
    def model_text(self) -> str:
        unit = "FTE" if self.measure == "fte" else ("person" if self.minimum == 1 else "people")
        if self.maximum is None:
            return f"at least {_plain(self.minimum)} {unit}"
        if self.minimum == self.maximum:
            return f"{_plain(self.maximum)} {unit}"
        return f"up to {_plain(self.maximum)} {unit}"


POD_ESTABLISHMENT = [
    EstablishmentRule(
        "pod_manager", "Pod manager", Worker.Role.POD_MANAGER, "fte", Decimal(1), Decimal(1)
    ),
    EstablishmentRule(
        "senior_social_worker",
        "Senior social workers",
        Worker.Role.SENIOR_SOCIAL_WORKER,
        "fte",
        Decimal(0),
        Decimal(2),
    ),
    EstablishmentRule(
        "social_worker", "Social workers", Worker.Role.SOCIAL_WORKER, "fte", Decimal(0), Decimal(5)
    ),
    EstablishmentRule(
        "student_social_worker",
        "Social workers in training",
        Worker.Role.STUDENT_SOCIAL_WORKER,
        "people",
        Decimal(1),
        None,
    ),
    EstablishmentRule(
        "business_support_officer",
        "Business support officer",
        Worker.Role.BUSINESS_SUPPORT_OFFICER,
        "people",
        Decimal(1),
        Decimal(1),
    ),
]


@dataclass(frozen=True)
class EstablishmentLine:
    rule: EstablishmentRule
    actual: Decimal

    @property
    def actual_text(self) -> str:
        if self.rule.measure == "fte":
            return f"{_plain(self.actual)} FTE"
        return f"{int(self.actual)} {'person' if self.actual == 1 else 'people'}"

    @property
    def deviation(self) -> str | None:
        """Words for how the pod differs from the model on this line, or None when it meets it."""
        unit = " FTE" if self.rule.measure == "fte" else ""
        if self.actual < self.rule.minimum:
            return f"{_plain(self.rule.minimum - self.actual)}{unit} below the model"
        if self.rule.maximum is not None and self.actual > self.rule.maximum:
            return f"{_plain(self.actual - self.rule.maximum)}{unit} above the model"
        return None


def with_establishment(teams: QuerySet[Team], as_of: datetime.date) -> QuerySet[Team]:
    """Annotate each team with its staffing on ``as_of`` per establishment line, plus total
    headcount and FTE, in the one query that fetches the teams."""
    in_post = current_on(as_of, "memberships__start", "memberships__end") & current_on(
        as_of, "memberships__worker__start_date", "memberships__worker__leave_date"
    )
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=6, decimal_places=2))
    annotations = {
        "headcount": Count("memberships", filter=in_post),
        "total_fte": Coalesce(Sum("memberships__worker__fte", filter=in_post), zero),
    }
    for rule in POD_ESTABLISHMENT:
        role_in_post = in_post & Q(memberships__worker__role=rule.role)
        if rule.measure == "fte":
            annotations[f"est_{rule.key}"] = Coalesce(
                Sum("memberships__worker__fte", filter=role_in_post), zero
            )
        else:
            annotations[f"est_{rule.key}"] = Count("memberships", filter=role_in_post)
    return teams.annotate(**annotations)


def establishment_lines(team: Team) -> list[EstablishmentLine]:
    """The lines of a team annotated by with_establishment()."""
    return [
        EstablishmentLine(rule=rule, actual=Decimal(getattr(team, f"est_{rule.key}")))
        for rule in POD_ESTABLISHMENT
    ]


def deviations(team: Team) -> list[str]:
    return [
        f"{line.rule.label}: {line.actual_text}, {line.deviation}"
        for line in establishment_lines(team)
        if line.deviation
    ]
