"""When each record may be destroyed: the retention date of a family's case record, worked out
from its children, and of the records kept by their own rules (logs, complaints, survey
responses).

A family's case record is kept until the latest of its children's dates, each under the rule
of that child's category:

- **adoption**: a child adopted (a period of care that ended with an adoption order, 903 REC
  E11 or E12), from the order;
- **looked after**: a child who was ever looked after, from birth (or from a death before 18);
- **child protection**: a child who was ever on a child protection plan;
- **child in need**: any other child of a family whose referral led to further action;
- **early help or no further action**: the children of a family whose every referral ended
  with no further action.

Only closed families have a date: while an episode is open the record is in use. When a fact
the rule needs is missing (a looked-after child's date of birth), the date cannot be worked out
and the family is listed as such, never destroyed on a guess."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q

from dataprotection.models import Category, RetentionRule, Trigger
from dataprotection.models.retention import FAMILY_CATEGORIES
from families.models import ChildStatus, Episode, Family, FamilyMember, Person, Referral
from families.models.codes import CareEnded

# A period of care that ended with an adoption order (903 REC E11, E12): its end is the order.
ADOPTED = {CareEnded.ADOPTED_UNOPPOSED, CareEnded.ADOPTED_CONSENT_DISPENSED}


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved on ``years`` years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Child:
    person_id: int
    child_id: str
    born: datetime.date | None
    died: datetime.date | None
    category: str
    adoption_order: datetime.date | None = None


@dataclass(frozen=True)
class Retention:
    """A family's (or a child's) retention: the date and the rule that sets it, or why the date
    cannot be worked out."""

    category: str
    rule: RetentionRule
    destroy_after: datetime.date | None
    why_unknown: str = ""


def child_retention(rule: RetentionRule, child: Child, *, closed: datetime.date) -> Retention:
    """The day after which ``child``'s part of a record closed on ``closed`` may be destroyed."""
    if (
        rule.years_after_death_under_18 is not None
        and child.died is not None
        and child.born is not None
        and child.died < add_years(child.born, 18)
    ):
        return Retention(
            child.category, rule, add_years(child.died, rule.years_after_death_under_18)
        )
    start = {
        Trigger.BIRTH: child.born,
        Trigger.CLOSURE: closed,
        Trigger.DEATH: child.died,
        Trigger.ADOPTION_ORDER: child.adoption_order,
    }.get(rule.trigger)
    if start is None:
        return Retention(child.category, rule, None, _missing(rule.trigger, child))
    day = add_years(start, rule.years)
    if rule.keep_until_age is not None:
        if child.born is None:
            return Retention(child.category, rule, None, _missing(Trigger.BIRTH, child))
        day = max(day, add_years(child.born, rule.keep_until_age))
    return Retention(child.category, rule, day)


def _missing(trigger: str, child: Child) -> str:
    fact = {
        Trigger.BIRTH: "date of birth",
        Trigger.DEATH: "date of death",
        Trigger.ADOPTION_ORDER: "adoption order's date",
    }.get(trigger, Trigger(trigger).label.lower())
    return f"the {fact} of child {child.child_id} is not recorded"


def family_retention(
    rules: dict[str, RetentionRule], children: list[Child], *, closed: datetime.date, category: str
) -> Retention:
    """The family's retention: the latest of its children's; unknown if any child's is (the
    known latest is kept, so a reviewer sees how far it had got). ``category`` is the family's
    own (child in need or early help) for a family with no children recorded."""
    if not children:
        rule = rules[category]
        start = closed if rule.trigger == Trigger.CLOSURE else None
        if start is None:
            return Retention(category, rule, None, "no child is recorded in the family")
        return Retention(category, rule, add_years(start, rule.years))
    each = [child_retention(rules[child.category], child, closed=closed) for child in children]
    unknown = [r for r in each if r.destroy_after is None]
    known = [r for r in each if r.destroy_after is not None]
    latest = max(known, key=lambda r: (r.destroy_after, -_rank(r.category)), default=None)
    if unknown:
        first = min(unknown, key=lambda r: _rank(r.category))
        return Retention(
            first.category,
            first.rule,
            latest.destroy_after if latest else None,
            "; ".join(sorted({r.why_unknown for r in unknown})),
        )
    return latest


def _rank(category: str) -> int:
    return FAMILY_CATEGORIES.index(category) if category in FAMILY_CATEGORIES else 99


@dataclass(frozen=True)
class ClosedFamily:
    family_id: int
    reference: str
    closed: datetime.date
    retention: Retention


def closed_families(
    *, families: Q | None = None, rules: dict[str, RetentionRule] | None = None
) -> Iterator[ClosedFamily]:
    """Every closed family (or those of ``families``) with its retention, in four queries:
    the families, their children, the children's care and child protection statuses, and
    whether any referral led to further action."""
    rules = rules or rules_by_category()
    open_episode = Episode.objects.filter(family=OuterRef("pk"), end__isnull=True)
    closed = (
        Family.objects.filter(families or Q())
        .filter(~Exists(open_episode))
        .annotate(closed_on=Max("episodes__end"))
        .filter(closed_on__isnull=False)
    )
    rows = list(closed.values_list("pk", "reference", "closed_on"))
    if not rows:
        return
    ids = closed.values("pk")
    children: dict[int, dict[int, dict]] = defaultdict(dict)
    for family_id, person_id, born, died in FamilyMember.objects.filter(
        family__in=ids, relationship=FamilyMember.Relationship.CHILD
    ).values_list("family_id", "person_id", "person__date_of_birth", "person__date_of_death"):
        children[family_id][person_id] = {"born": born, "died": died, "kinds": set(), "order": None}
    kinds = [ChildStatus.Kind.LOOKED_AFTER, ChildStatus.Kind.CP_PLAN]
    for family_id, person_id, kind, end, care_ended in ChildStatus.objects.filter(
        family__in=ids, kind__in=kinds
    ).values_list("family_id", "person_id", "kind", "end", "care_ended"):
        child = children[family_id].get(person_id)
        if child is None:
            continue  # a status of someone no longer a child of the family
        child["kinds"].add(kind)
        if kind == ChildStatus.Kind.LOOKED_AFTER and care_ended in ADOPTED and end:
            child["order"] = max(filter(None, [child["order"], end]))
    further = set(
        Referral.objects.filter(family__in=ids)
        .exclude(no_further_action=True)
        .values_list("family_id", flat=True)
    )
    for family_id, reference, closed_on in rows:
        own = Category.CHILD_IN_NEED if family_id in further else Category.EARLY_HELP
        kids = [
            Child(
                person_id=person_id,
                child_id=Person.child_id_of(person_id),
                born=facts["born"],
                died=facts["died"],
                category=_child_category(facts, own),
                adoption_order=facts["order"],
            )
            for person_id, facts in children[family_id].items()
        ]
        retention = family_retention(rules, kids, closed=closed_on, category=own)
        yield ClosedFamily(family_id, reference, closed_on, retention)


def _child_category(facts: dict, own: str) -> str:
    if facts["order"] is not None:
        return Category.ADOPTION
    if ChildStatus.Kind.LOOKED_AFTER in facts["kinds"]:
        return Category.LOOKED_AFTER
    if ChildStatus.Kind.CP_PLAN in facts["kinds"]:
        return Category.CHILD_PROTECTION
    return own


def rules_by_category() -> dict[str, RetentionRule]:
    return {rule.category: rule for rule in RetentionRule.objects.all()}


def cutoff(rule: RetentionRule, as_of: datetime.date) -> datetime.date:
    """Records counted from a day before this one have passed ``rule``'s period on ``as_of``."""
    return add_years(as_of, -rule.years)
