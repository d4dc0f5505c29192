"""Step 3, assessments: one for every episode that began in the history, started within days
of the referral by whoever held the family (not those closed at the front door, which are
referrals with no further action), due 45 working days later
(pods.working_days.add_working_days), and completed with the outcome that what followed bears
out (a child protection plan: an initial conference; care: legal planning; a child in need
plan: a child in need plan; closed without one: no further action, or step down). Most take
20 to 45 working days, or finish just before the plan they led to; some run late. The manager
of the pod that held the family signs each off a few days after, and by the day the case
closed. The recent ones are still in progress, and some of those are overdue."""

from __future__ import annotations

import random

from onestory.demo.saving import BATCH, as_written, save_all
from onestory.demo.world import CIN, CP, LAC, PROCEEDINGS, CaseEpisode, CaseFamily, Setting, moment
from onestory.demo.world import day as date_of
from onestory.demo.writing import Voice
from onestory.models import Assessment
from pods.working_days import add_working_days

Outcome = Assessment.Outcome
OUTCOME_OF = {
    CP: Outcome.ICPC,
    LAC: Outcome.LEGAL_PLANNING,
    PROCEEDINGS: Outcome.LEGAL_PLANNING,
    CIN: Outcome.CIN_PLAN,
}
WORKING_DAYS_TO_COMPLETE = (20, 44)
LATE_SHARE, LATE = 0.3, (46, 90)  # some finish late, after the 45 working days
URGENT, STEPPED_DOWN = 10, 90  # working days from the start to the first plan
CIN_FIRST = 0.35  # child in need plans agreed before the assessment is finished
CLOSING = {Outcome.NO_FURTHER_ACTION, Outcome.STEP_DOWN}


def _outcome(rng, setting: Setting, family: CaseFamily, episode: CaseEpisode, started: int):
    """The outcome what followed bears out, the day it had to be decided by (or None), and
    what the worries were (a key of vocabulary.WORRIES)."""
    cal = setting.calendar
    following = sorted(
        (s for s in family.statuses if episode.start <= s.start <= episode.end),
        key=lambda s: s.start,
    )
    if following:
        status = following[0]
        worry = {CP: status.cp_category or "neglect", CIN: "cin"}.get(status.kind, "lac")
        waited = cal.on_or_after(status.start) - cal.on_or_after(started)
        if waited < URGENT or (status.kind == CIN and rng.random() < CIN_FIRST):
            # the plan came first; the assessment carries on beside it, sometimes late
            return OUTCOME_OF[status.kind], None, worry
        if waited <= STEPPED_DOWN:  # completed just before the conference or meeting
            return OUTCOME_OF[status.kind], cal.before(status.start, rng.randint(2, 8)), worry
        # helped by early help for months before things got worse
        return Outcome.STEP_DOWN, None, worry
    if episode.end <= setting.last:
        if episode.closure_reason == "step_down":
            return Outcome.STEP_DOWN, episode.end, "none"
        return Outcome.NO_FURTHER_ACTION, episode.end, "none"
    return Outcome.STEP_DOWN, None, "none"


def _signer(roster, episode: CaseEpisode, completed: int):
    """The manager of the pod holding the family, else (the front door's, or a vacancy) of
    the pod that held it next, else any pod manager at work: every assessment is signed."""
    teams = [episode.team_on(completed), *(team for team, _start, _end in episode.teams)]
    for team in teams:
        if team is not None and (manager := roster.manager(team, completed)) is not None:
            return manager
    for team in sorted(roster.posts):
        if (manager := roster.manager(team, completed)) is not None:
            return manager
    return None


def write_assessments(rng: random.Random, setting: Setting, families: list[CaseFamily]) -> dict:
    cal, roster = setting.calendar, setting.roster
    today = date_of(setting.today)
    counts = {"assessments": 0, "assessments in progress": 0, "assessments overdue": 0}
    assessments = []
    for family in families:
        voice = Voice(family)
        for episode in family.episodes:
            if not setting.first <= episode.start <= setting.last:
                continue
            started = cal.days[cal.on_or_after(episode.start) + rng.randint(0, 3)]
            if started > setting.today:
                continue
            if episode.end <= setting.last and (
                started > episode.end or not any(h.worker_id for h in episode.holdings)
            ):
                continue  # closed at the front door, or within days: no further action
            author = setting.author_on(rng, episode, min(started, setting.last)) or (
                setting.author_on(rng, episode, episode.holdings[0].start)
                if episode.holdings
                else None
            )
            if author is None:
                continue
            outcome, decided, worry = _outcome(rng, setting, family, episode, started)
            if rng.random() < LATE_SHARE:
                completed = cal.add(started, rng.randint(*LATE))
            else:
                completed = cal.add(started, rng.randint(*WORKING_DAYS_TO_COMPLETE))
            if decided is not None:
                completed = max(started, min(completed, decided) if outcome in CLOSING else decided)
            signed_by = signed = None
            if completed > setting.last:
                completed, outcome = None, ""
            else:
                manager = _signer(roster, episode, completed)
                sign_day = cal.add(completed, rng.randint(1, 6))
                if episode.end <= setting.last:  # signed off by the day the case closed
                    sign_day = min(sign_day, episode.end)
                    completed = min(completed, sign_day)
                if manager is not None and sign_day <= setting.last:
                    signed_by = manager.user_id
                    signed = min(setting.now, moment(sign_day, rng.randrange(540, 1020, 5)))
            sections = voice.assessment(rng, started, episode, outcome, worry)
            assessment = Assessment(
                family_id=family.pk,
                started=date_of(started),
                due=add_working_days(date_of(started), Assessment.WORKING_DAYS_TO_COMPLETE),
                completed=date_of(completed) if completed else None,
                outcome=outcome,
                author_id=author[0],
                signed_off_by_id=signed_by,
                signed_off=signed,
                **sections,
            )
            when = min(setting.now, moment(started, rng.randrange(540, 1020, 5)))
            assessments.append(as_written(assessment, setting.users[author[0]], when))
            counts["assessments"] += 1
            if assessment.completed is None:
                counts["assessments in progress"] += 1
                counts["assessments overdue"] += assessment.due < today
        if len(assessments) >= BATCH:
            save_all(Assessment, assessments)
            assessments = []
    save_all(Assessment, assessments)
    return counts
