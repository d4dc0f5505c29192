"""The demo authority's quality-assurance audits, built after the families, the One Story and
supervision, from what those builders wrote:

- a **programme every quarter** of the three years, drawn on the first working day after the
  5th of the quarter's first month by the rule the app uses (feedback.audits.sampling: per
  pod, stratified by the plan type on the day, skipping families audited in the last 12 months
  and closed or restricted ones; the rng is the demo's), about 91 audits a quarter
  at scale 1 (the published Q2 2016-17 figure) shared between the pods;
- an **auditor** for each from a practitioner in another pod, or (one in eight) a self-audit
  by the family's worker with their pod manager; grades for the six areas around an overall
  grade that is **good or better for about 47% of children in need and two-thirds of the
  others** (about 63% overall, as published); moderation by the pod manager, who changes one
  grade in ten;
- **actions for the worker**, most done by their due date; those of the last two months
  still open, due in the coming weeks, so the demo social worker (Sam Okafor, Ash Pod) has one
  on their home page;
- the current quarter part-way: some audits moderated, some submitted or with their auditor
  (those from outside the pod hold an audit grant in force), and one in Ash Pod still waiting
  for an auditor.

Everything is planned in Python and written in bulk with history (onestory.demo.saving)."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from families import services as family_services
from families.models import Family, FamilyGrant
from feedback.audits import sampling
from feedback.audits.services import grant_expiry
from feedback.models.audits import AREAS, Audit, AuditAction, AuditGrade, AuditProgramme
from onestory.demo.saving import as_written, save_all
from onestory.demo.world import QUALIFIED, day, load_families, load_roster, moment
from pods.models import Team, Worker
from pods.working_days import is_working_day, months_before

PUBLISHED_PER_QUARTER = 91
GOOD_OR_BETTER = {"cin": 0.47}  # children in need; everyone else:
GOOD_OR_BETTER_OTHERS = 0.67
SELF_AUDIT = 0.125
MODERATOR_CHANGES = 0.1
OPEN_ACTION_DAYS = 60  # actions of audits moderated this recently are still open
DEMO_WORKER = "social-worker"
DEMO_POD = "Ash Pod"
FINDINGS = [
    "The child's voice comes through clearly in the direct work and the summary.",
    "The assessment is thorough but the analysis does not say what the worries mean for the child.",
    "The plan is specific, with timescales the family understands.",
    "Management oversight is recorded after each group supervision.",
    "The chronology has gaps after visits; the One Story summary is out of date.",
    "The family's own words are used throughout; the relationship is warm and honest.",
]
LEARNING = [
    "Record the child's words, not only what we observed.",
    "Link each action in the plan to the worry it addresses.",
    "Update the summary after every review.",
    "Use the scaling question with the family, not only in supervision.",
]
ACTIONS = [
    "Update the One Story summary after the review",
    "Add the child's own words to the plan",
    "Write the analysis section of the assessment",
    "Record the last three visits in the chronology",
    "Ask the school for their view before the next core group",
    "Complete direct work on the child's three houses",
]


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    """Write the demo's audit programmes (after supervision.demo.build, in its transaction);
    return counts for seed_demo's summary line."""
    rng = random.Random(rng.getrandbits(64))
    roster, families = load_roster(), load_families()
    pods = list(Team.objects.pods().order_by("pk"))
    if not pods or not families:
        return {"audits": 0}
    plan = _Plan(rng, today, roster, families, pods, scale)
    for year, quarter in _quarters(today):
        plan.quarter(year, quarter)
    plan.make_sure_the_demo_worker_has_an_open_action()
    plan.leave_one_waiting_in(DEMO_POD)
    return plan.write()


def _quarters(today: datetime.date) -> list[tuple[int, int]]:
    """The financial quarters from three years ago to the current one."""
    year, quarter = sampling.quarter_of(today.replace(year=today.year - 3))
    last = sampling.quarter_of(today)
    quarters = []
    while (year, quarter) <= last:
        quarters.append((year, quarter))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return quarters[1:]  # the first is only part of the three years


def _draw_day(year: int, quarter: int) -> datetime.date:
    drawn = sampling.quarter_bounds(year, quarter)[0] + datetime.timedelta(days=5)
    while not is_working_day(drawn):
        drawn += datetime.timedelta(days=1)
    return drawn


class _Plan:
    """The audits planned in memory, quarter by quarter, then written in bulk."""

    def __init__(self, rng, today, roster, families, pods, scale):
        self.rng, self.today, self.roster, self.pods = rng, today, roster, pods
        self.families = families
        self.restricted = set(Family.objects.filter(restricted=True).values_list("pk", flat=True))
        self.per_pod = max(1, round(PUBLISHED_PER_QUARTER * scale / len(pods)))
        self.psw = (
            Worker.objects.filter(role=Worker.Role.PRINCIPAL_SOCIAL_WORKER)
            .values_list("user_id", flat=True)
            .first()
        )
        self.last_audited: dict[int, int] = {}  # family id: the day of its last draw
        self.programmes: list[AuditProgramme] = []
        self.audits: list[dict] = []
        self.current = sampling.quarter_of(today)

    def quarter(self, year: int, quarter: int) -> None:
        drawn = _draw_day(year, quarter)
        if drawn > self.today:
            return
        on = drawn.toordinal()
        since = months_before(drawn, sampling.RECENTLY_AUDITED_MONTHS).toordinal()
        pools = {team.pk: [] for team in self.pods}
        for family in self.families:
            if family.pk in self.restricted or self.last_audited.get(family.pk, 0) > since:
                continue
            for episode in family.episodes:
                if episode.start <= on <= episode.end:
                    team = episode.team_on(on)
                    if team in pools:
                        holding = episode.holding_on(on)
                        pools[team].append(
                            sampling.Candidate(
                                family.pk, team, _plan_type(family, on), _worker(holding)
                            )
                        )
                    break
        programme = AuditProgramme(
            year=year, quarter=quarter, per_pod=self.per_pod, drawn=moment(on, 9 * 60),
            drawn_by_id=self.psw,
        )  # fmt: skip
        self.programmes.append(programme)
        for team in self.pods:
            # The demo's own rng, not the programme's (seeded by the team's key, which is not
            # the same from one build to the next), so a seed gives the same audits.
            rng = random.Random(self.rng.getrandbits(64))
            for candidate in sampling.draw(pools[team.pk], self.per_pod, rng):
                self.last_audited[candidate.family_id] = on
                self.audits.append(self._audit(programme, candidate, on))

    def _audit(self, programme, candidate, on: int) -> dict:
        rng, roster = self.rng, self.roster
        worker = candidate.worker_id
        worker_user = next(
            (p.user_id for p in roster.posts.get(candidate.team_id, ()) if p.worker_id == worker),
            None,
        )
        manager = roster.manager(candidate.team_id, on)
        self_audit = worker_user is not None and manager is not None and rng.random() < SELF_AUDIT
        if self_audit:
            auditor = next(p for p in roster.posts[candidate.team_id] if p.worker_id == worker)
        else:
            others = [
                post
                for team in self.pods
                if team.pk != candidate.team_id
                for post in roster.in_post(team.pk, on, QUALIFIED)
            ]
            auditor = rng.choice(others) if others else None
        good_chance = GOOD_OR_BETTER.get(candidate.plan_type, GOOD_OR_BETTER_OTHERS)
        if rng.random() < good_chance:
            overall = 1 if rng.random() < 0.12 else 2
        else:
            overall = 3 if rng.random() < 0.85 else 4
        moderated_grade = overall
        if rng.random() < MODERATOR_CHANGES:
            moderated_grade = min(4, max(1, overall + rng.choice((-1, 1))))
        assigned = on + rng.randint(2, 10)
        submitted = assigned + rng.randint(12, 40)
        moderated = submitted + rng.randint(3, 15)
        return {
            "programme": programme,
            "candidate": candidate,
            "worker_user": worker_user,
            "manager": manager.user_id if manager else None,
            "auditor": auditor.user_id if auditor else None,
            "auditor_worker": auditor.worker_id if auditor else None,
            "self_audit": self_audit,
            "overall": overall,
            "moderated_grade": moderated_grade,
            "drawn": on,
            "assigned": assigned,
            "submitted": submitted,
            "moderated": moderated,
            "actions": rng.randint(1, 2) if worker_user else 0,
        }

    def make_sure_the_demo_worker_has_an_open_action(self) -> None:
        """The demo social worker's newest audited family has its audit moderated lately, so
        its action is open and due in the coming weeks on their home page."""
        user = get_user_model().objects.filter(username=DEMO_WORKER).values_list("pk", flat=True)
        theirs = [a for a in self.audits if a["worker_user"] in user and not a["self_audit"]]
        if not theirs:
            return
        audit = theirs[-1]
        last = self.today.toordinal() - 1
        audit["moderated"] = min(audit["moderated"], last)
        audit["submitted"] = min(audit["submitted"], audit["moderated"] - 1)
        audit["assigned"] = min(audit["assigned"], audit["submitted"] - 1)
        audit["actions"] = max(audit["actions"], 1)
        audit["demo_due"] = self.today.toordinal() + 17

    def leave_one_waiting_in(self, pod_name: str) -> None:
        pod = next((team for team in self.pods if team.name == pod_name), None)
        waiting = [
            a
            for a in self.audits
            if pod is not None
            and a["candidate"].team_id == pod.pk
            and (a["programme"].year, a["programme"].quarter) == self.current
            and "demo_due" not in a
        ]
        if waiting:
            waiting[0]["auditor"] = None

    def write(self) -> dict[str, int]:
        now = timezone.now()
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=self._user_ids())}
        save_all(
            AuditProgramme,
            [as_written(p, users.get(p.drawn_by_id), p.drawn) for p in self.programmes],
        )
        audits, grades, actions, grants = [], [], [], []
        for plan in self.audits:
            audit, its_grades, its_actions = self._rows(plan, users, now)
            if self._needs_grant(plan, audit):
                grants.append(self._grant(audit, users))
            audits.append(audit)
            grades.append(its_grades)
            actions.append(its_actions)
        save_all(Audit, audits)
        save_all(
            AuditGrade,
            [g for audit, rows in zip(audits, grades, strict=True) for g in _with(rows, audit)],
        )
        save_all(
            AuditAction,
            [a for audit, rows in zip(audits, actions, strict=True) for a in _with(rows, audit)],
        )
        with connection.cursor() as cursor:
            tables = [Audit, AuditGrade, AuditAction]
            cursor.execute(
                "ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
            )
        return {
            "audit programmes": len(self.programmes),
            "audits": len(audits),
            "audit actions": sum(len(rows) for rows in actions),
            "audit grants": len(grants),
        }

    def _user_ids(self) -> set[int]:
        ids = {self.psw}
        for plan in self.audits:
            ids |= {plan["auditor"], plan["manager"], plan["worker_user"]}
        return ids - {None}

    def _needs_grant(self, plan, audit) -> bool:
        """An audit of this quarter under way by an auditor from outside the family's pod
        (earlier quarters' grants have ended: none is written for them)."""
        programme = plan["programme"]
        return (
            (programme.year, programme.quarter) == self.current
            and audit.status in (Audit.Status.ASSIGNED, Audit.Status.SUBMITTED)
            and not (plan["self_audit"] or self._in_pod(plan))
        )

    def _in_pod(self, plan) -> bool:
        team = plan["candidate"].team_id
        return any(p.worker_id == plan["auditor_worker"] for p in self.roster.posts.get(team, ()))

    def _rows(self, plan, users, now):
        rng, today = self.rng, self.today.toordinal()
        candidate = plan["candidate"]
        audit = Audit(
            programme=plan["programme"], family_id=candidate.family_id, team_id=candidate.team_id,
            plan_type=candidate.plan_type, worker_id=candidate.worker_id,
            created=moment(plan["drawn"], 9 * 60),
        )  # fmt: skip
        who = users.get(self.psw)
        if plan["auditor"] is None:
            return as_written(audit, who, audit.created), [], []
        audit.auditor_id, audit.self_audit = plan["auditor"], plan["self_audit"]
        audit.status = Audit.Status.ASSIGNED
        if plan["self_audit"]:
            audit.moderator_id = plan["manager"]
        grades, actions = [], []
        if plan["submitted"] < today:
            audit.status = Audit.Status.SUBMITTED
            audit.submitted = moment(plan["submitted"], 15 * 60)
            audit.overall = audit.auditor_overall = plan["overall"]
            audit.findings = rng.choice(FINDINGS)
            audit.learning = rng.choice(LEARNING)
            grades = [
                AuditGrade(
                    area=area.value,
                    grade=min(4, max(1, plan["overall"] + rng.choice((-1, 0, 0, 0, 1)))),
                    comment=rng.choice(FINDINGS),
                )
                for area in AREAS
            ]
        if plan["moderated"] < today and plan["manager"] and plan["manager"] != plan["auditor"]:
            audit.status = Audit.Status.MODERATED
            audit.moderator_id = plan["manager"]
            audit.moderated = moment(plan["moderated"], 11 * 60)
            audit.overall = plan["moderated_grade"]
            if audit.overall != audit.auditor_overall:
                audit.moderation_note = "Moderated after reading the plan and the last visits."
            actions = self._actions(plan, audit)
        when = audit.moderated or audit.submitted or moment(plan["assigned"], 10 * 60)
        for row in grades:
            as_written(row, users.get(plan["auditor"]), when)
        for row in actions:
            as_written(row, users.get(plan["auditor"]), when)
        return as_written(audit, users.get(plan["auditor"]), when), grades, actions

    def _actions(self, plan, audit) -> list[AuditAction]:
        rng, today = self.rng, self.today.toordinal()
        rows = []
        for n in range(plan["actions"]):
            due = plan.get("demo_due") if n == 0 else None
            due = due or plan["moderated"] + rng.randint(21, 70)
            open_still = plan["moderated"] > today - OPEN_ACTION_DAYS or "demo_due" in plan
            done = None
            if not open_still:
                done = day(min(today - 1, due - rng.randint(-10, 14)))
            rows.append(
                AuditAction(
                    text=rng.choice(ACTIONS),
                    owner_id=plan["worker_user"],
                    due=day(due),
                    done=done,
                    created=audit.moderated,
                    created_by_id=plan["auditor"],
                )  # fmt: skip
            )
        return rows

    def _grant(self, audit, users) -> FamilyGrant:
        grant = family_services.grant_give(
            family=Family.objects.get(pk=audit.family_id),
            user=users[audit.auditor_id],
            kind=FamilyGrant.Kind.AUDIT,
            reason=f"Quality-assurance audit ({audit.programme})",
            expires=grant_expiry(audit.programme),
            granted_by=users.get(self.psw) or users[audit.auditor_id],
        )
        audit.grant_id = grant.pk
        return grant


def _with(rows: list, audit: Audit) -> list:
    for row in rows:
        row.audit = audit
    return rows


def _plan_type(family, on: int) -> str:
    kinds = {status.kind for status in family.statuses_on(on)}
    return next((plan for kind, plan in sampling.PRECEDENCE if kind in kinds), "other")


def _worker(holding) -> int | None:
    return holding.worker_id if holding is not None else None
