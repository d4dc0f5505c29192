"""Pods' own checks on a year's returns, for the facts the DfE's validators let through blank.

The validators' code-list rules accept a missing value: an SSDA903 episode with no legal
status (903/144) or no category of need (145) raises nothing, yet the DfE needs both for every
episode. So Pods finds them itself, from the record, as findings beside the validators' own,
against the child, with the same way to put them right (the care record)."""

from __future__ import annotations

from django.db.models import Q

from families.models import ChildStatus, Person
from reporting.returns.period import CollectionYear
from reporting.returns.validation import Issue

RULES = {
    "legal_status": (
        "PODS-LS",
        "The legal status of a period of care is not recorded. The DfE's rules let a blank "
        "through, but every SSDA903 episode needs one.",
        ("LS",),
    ),
    "care_need": (
        "PODS-CIN",
        "The category of need of a period of care is not recorded. The DfE's rules let a "
        "blank through, but every SSDA903 episode needs one.",
        ("CIN",),
    ),
}


def pods_findings(year: int) -> tuple[Issue, ...]:
    """Looked-after statuses in force in the collection year with a blank legal status or
    category of need: one error per child and missing fact."""
    period = CollectionYear(year)
    in_year = ChildStatus.objects.filter(kind=ChildStatus.Kind.LOOKED_AFTER, start__lte=period.end)
    in_year = in_year.filter(Q(end__isnull=True) | Q(end__gte=period.start))
    found: set[tuple[str, int]] = set()
    for field in RULES:
        for person_id in in_year.filter(**{field: ""}).values_list("person_id", flat=True):
            found.add((field, person_id))
    issues = []
    for field, person_id in sorted(found):
        rule, message, columns = RULES[field]
        issues.append(
            Issue(
                rule=rule,
                kind="error",
                message=message,
                child=Person.child_id_of(person_id),
                table="Episodes",
                columns=columns,
            )
        )
    return tuple(issues)
