"""Step 4, plans: for every child on a child in need plan, a child protection plan or in care
today, a plan of the matching kind from the day the status began, with two to four goals, one
to three actions for each (owned by the family, the social worker or a professional around
them), the next review date (child protection: three months after the conference, then every
six; child in need: every three months; in care: 20 working days, three months, then every
six), and progress on each goal recorded at each review in the history, the rating moving as
families' progress does: up, mostly, and sometimes back."""

from __future__ import annotations

import random

from onestory.demo import vocabulary as words
from onestory.demo.chronology import add_months
from onestory.demo.saving import as_written, save_all
from onestory.demo.world import CIN, CP, LAC, CaseFamily, Setting, moment
from onestory.demo.world import day as date_of
from onestory.demo.writing import Voice, role_word
from onestory.models import GoalProgress, Plan, PlanAction, PlanGoal

PLAN_KIND = {CIN: Plan.Kind.CIN, CP: Plan.Kind.CP, LAC: Plan.Kind.CHILD_IN_CARE}


def _reviews(setting: Setting, kind: str, start: int) -> list[int]:
    """Review days from the plan's start up to and including the first one after today."""
    if kind == LAC:
        days, months = [setting.calendar.add(start, 20)], 6
        review = add_months(start, 3)
    else:
        days, months = [], 6 if kind == CP else 3
        review = add_months(start, 3)
    while review <= setting.today:
        days.append(review)
        review = add_months(review, months)
    return [*days, review] if not days or days[-1] <= setting.today else days


def _owner(voice: Voice, kind: str, worker: str, child, in_care: bool) -> str:
    if kind == "worker":
        return f"{worker} (social worker)"
    if kind == "school":
        return voice.school if voice.school != "school" else f"{child.first_name}'s school"
    if kind == "gp":
        return voice.gp if voice.gp != "the GP surgery" else "The family's GP"
    if voice.carer_member is None or in_care:
        return "The foster carer"
    return f"{voice.carer} ({role_word(voice.carer_member)})"


class PlanWriter:
    def __init__(self, rng: random.Random, setting: Setting):
        self.rng, self.s = rng, setting
        self.plans, self.goals = [], []  # (Plan, [(PlanGoal, actions, progress)])

    def add(self, family: CaseFamily, voice: Voice, status) -> None:
        rng, s = self.rng, self.s
        episode = family.episodes[-1]
        child = next(m for m in family.children if m.person_id == status.person_id)
        begun = max(status.start, episode.holdings[0].start if episode.holdings else status.start)
        holding = episode.holding_on(begun) or episode.holding_on(s.today)
        if holding is None or holding.user_id is None:
            holding = next((h for h in reversed(episode.holdings) if h.user_id), None)
        if holding is None:
            return
        reviews = _reviews(s, status.kind, status.start)
        past = [d for d in reviews if d <= s.today and d >= s.first]
        plan = Plan(
            family_id=family.pk,
            child_id=child.person_id,
            kind=PLAN_KIND[status.kind],
            start=date_of(status.start),
            review_date=date_of(reviews[-1]),
            created_by_id=holding.user_id,
        )
        written = min(s.now, moment(min(begun, s.last), 600))
        as_written(plan, s.users[holding.user_id], written)
        category = status.cp_category if status.kind == CP else PLAN_KIND[status.kind]
        choices = words.GOALS.get(category) or words.GOALS["neglect"]
        texts = rng.sample(choices, min(len(choices), rng.randint(2, 4)))
        context = voice.context([child])
        worker = s.roster.name(holding.user_id)
        goals = []
        for order, text in enumerate(texts):
            goal = as_written(
                PlanGoal(text=voice.fill(text, context), order=order), plan._history_user, written
            )
            actions = []
            since = past[-1] if past else status.start
            for action, owner in rng.sample(words.ACTIONS, rng.randint(1, 3)):
                due = add_months(since, rng.randint(1, 4))
                done = due if due <= s.today and rng.random() < 0.6 else None
                action = PlanAction(
                    text=voice.fill(action, context),
                    owner=_owner(voice, owner, worker, child, status.kind == LAC),
                    due=date_of(due),
                    done=date_of(done) if done else None,
                )
                actions.append(as_written(action, plan._history_user, written))
            progress, rating = [], rng.randint(1, 4)
            for review in past:
                rating = max(0, min(10, rating + rng.choice([-1, 0, 1, 1, 1, 2])))
                who = s.author_on(rng, episode, min(review, s.last))
                user_id = who[0] if who else holding.user_id
                note = GoalProgress(
                    date=date_of(review),
                    rating=rating,
                    note=rng.choice(words.PROGRESS_NOTES),
                    recorded_by_id=user_id,
                )
                when = min(s.now, moment(review, 900))
                progress.append(as_written(note, s.users[user_id], when))
            goals.append((goal, actions, progress))
        self.plans.append((plan, goals))

    def save(self) -> dict:
        plans = save_all(Plan, [plan for plan, _goals in self.plans])
        goals = []
        for plan, (_unsaved, items) in zip(plans, self.plans, strict=True):
            for goal, _actions, _progress in items:
                goal.plan_id = plan.pk
                goals.append(goal)
        save_all(PlanGoal, goals)
        actions, progress = [], []
        for _plan, items in self.plans:
            for goal, goal_actions, goal_progress in items:
                for action in goal_actions:
                    action.goal_id = goal.pk
                for note in goal_progress:
                    note.goal_id = goal.pk
                actions += goal_actions
                progress += goal_progress
        save_all(PlanAction, actions)
        save_all(GoalProgress, progress)
        return {
            "plans": len(plans),
            "plan goals": len(goals),
            "plan actions": len(actions),
            "progress ratings": len(progress),
        }


def write_plans(rng: random.Random, setting: Setting, families: list[CaseFamily]) -> dict:
    writer = PlanWriter(rng, setting)
    for family in families:
        if not family.is_open:
            continue
        voice = Voice(family)
        for status in family.statuses_on(setting.today):
            if status.kind in PLAN_KIND:
                writer.add(family, voice, status)
    return writer.save()
