"""Children's plans (child in need, child protection, child in care): goals, actions with
owners, review dates, and progress recorded against each goal."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from families.models import Family, FamilyMember, Person
from onestory.models import GoalProgress, Plan, PlanAction, PlanGoal
from onestory.services import NOT_A_CHILD_HERE, check_lengths


@transaction.atomic
def plan_create(
    *,
    family: Family,
    child: Person,
    kind: str,
    start: datetime.date,
    review_date: datetime.date,
    goals: list[str],
    created_by,
) -> Plan:
    """A child's plan with its goals (one per line, as a worker would write them)."""
    if not FamilyMember.objects.filter(family=family, person=child, relationship="child").exists():
        raise ValidationError({"child": NOT_A_CHILD_HERE})
    if review_date < start:
        raise ValidationError(
            {"review_date": "The review date must be on or after the plan starts"}
        )
    goals = [goal.strip() for goal in goals if goal.strip()]
    if not goals:
        raise ValidationError({"goals": "Enter at least one goal, one on each line"})
    check_lengths({f"Goal {n}": goal for n, goal in enumerate(goals, start=1)})
    plan = Plan.objects.create(
        family=family,
        child=child,
        kind=kind,
        start=start,
        review_date=review_date,
        created_by=created_by,
    )
    PlanGoal.objects.bulk_create(
        [PlanGoal(plan=plan, text=goal, order=n) for n, goal in enumerate(goals)]
    )
    for goal in plan.goals.all():  # bulk_create skips history: record each goal's creation
        goal.save()
    return plan


@transaction.atomic
def plan_action_add(
    *, goal: PlanGoal, text: str, owner: str, due: datetime.date | None
) -> PlanAction:
    if due and due < goal.plan.start:
        raise ValidationError({"due": "The action cannot be due before the plan starts"})
    action = PlanAction(goal=goal, text=text, owner=owner, due=due)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def goal_progress_record(
    *, goal: PlanGoal, date: datetime.date, rating: int, note: str, recorded_by
) -> GoalProgress:
    if date > timezone.localdate():
        raise ValidationError({"date": "The date must be today or in the past"})
    if date < goal.plan.start:
        raise ValidationError({"date": "Progress cannot be recorded before the plan started"})
    if not 0 <= rating <= 10:
        raise ValidationError({"rating": "Choose a rating from 0 to 10"})
    progress = GoalProgress(goal=goal, date=date, rating=rating, note=note, recorded_by=recorded_by)
    progress.full_clean()
    progress.save()
    return progress
