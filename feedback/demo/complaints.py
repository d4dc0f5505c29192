"""The demo's complaints and compliments over the three years of history (from the first of
the month three years ago, as families.demo starts it), shaped like the published figures
(evaluation 004) at scale 1:

- **Stage 1 complaints falling by about half**: about 125 in the first year, 88 in the
  second, 58 in the third (times ``scale``), about real demo families (their pod and worker
  on the day), and some about a worker or a pod only. Themes weighted as the seeds tell it:
  calls not answered and failure to provide support early on, delays in paperwork and visits
  later. Most stage 1 responses in time, a few extended once with a reason, a few late;
  about one in twelve goes on to stage 2 and a few of those to a stage 3 panel; upheld and
  partly upheld complaints get an action with an owner. A child who complains is offered an
  advocate. Each stage's deadline is the one its clock gives (feedback/complaints/clocks.py).
- **Compliments rising several-fold**: about 14, 40 and 108 a year, for the families'
  workers and pods, with their themes; the older ones seen by the worker.
- **Now**: two open stage 1 complaints about Ash Pod families (the demo pod, so the
  ``pod-manager`` sign-in sees them, one due this week), and a compliment for the
  ``social-worker`` sign-in not yet seen.

Planned in plain Python from a few reads, written with bulk_create and their history."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from config.bulk import refresh_planner_statistics
from families.models import Allocation, Family, PodAllocation
from feedback.complaints import clocks
from feedback.models import (
    Complaint,
    ComplaintAction,
    ComplaintStage,
    Compliment,
    Outcome,
    Theme,
)
from feedback.models.base import From, ReceivedBy
from onestory.demo.saving import as_written, save_all
from pods.models import Team, TeamMembership, Worker
from pods.working_days import add_working_days, is_working_day, subtract_working_days

COMPLAINTS_A_YEAR = (125, 88, 58)
COMPLIMENTS_A_YEAR = (14, 40, 108)
DEMO_POD = "Ash Pod"
ABOUT_FAMILY = 0.85
TO_STAGE_2 = 0.08
TO_STAGE_3 = 0.2  # of those at stage 2
EXTENDED, LATE = 0.08, 0.07
# Theme weights in the first year and the last, by the seeded names (0002_seed_themes).
THEME_WEIGHTS = {
    "Failure to provide support": (5, 2),
    "Calls to the social worker not answered": (6, 2),
    "Lack of information shared": (3, 2),
    "Delays in paperwork": (1, 5),
    "Delays in visits or responses": (2, 5),
    "Changes of social worker": (3, 1),
}
FROM_WEIGHTS = {
    From.PARENT: 70,
    From.CHILD: 7,
    From.CARER: 8,
    From.ADVOCATE: 5,
    From.PROFESSIONAL: 4,
    From.OTHER: 6,
}
SUMMARIES = {
    "Failure to provide support": "I asked for help with the children's school and nobody came.",
    "Calls to the social worker not answered": "I left messages all week and no one rang back.",
    "Lack of information shared": "Nobody told me what was decided at the meeting.",
    "Delays in paperwork": "The conference report came the night before the meeting.",
    "Delays in visits or responses": "The visit we were promised did not happen for weeks.",
    "Changes of social worker": "We have had three social workers this year.",
}
RESPONSES = {
    Outcome.UPHELD: "You were right, and we are sorry. We have changed how the pod works.",
    Outcome.PARTLY_UPHELD: "Some of what you said was right, and we have put that right.",
    Outcome.NOT_UPHELD: "We looked at the record carefully and spoke to the people involved.",
}
ACTIONS = [
    "Remind the pod to return calls within one working day",
    "Send reports to parents three working days before a conference",
    "Introduce a new worker to the family in person before a change",
    "Agree with the family how they want to be kept informed",
]
COMPLIMENT_WORDS = [
    "She listened to us and never gave up on our family.",
    "Thank you for always calling back, even when it was late.",
    "He explained everything so the children understood.",
    "The pod knew us: whoever answered knew what was happening.",
    "The help with the school made all the difference to our son.",
    "Your report to the court was fair and clear.",
]
FIRST_NAMES = ["Grace", "Tom", "Aisha", "Mark", "Leanne", "Daniel", "Chloe", "Imran", "Kerry"]
LAST_NAMES = ["Hill", "Patel", "Jones", "Walsh", "Okoro", "Evans", "Singh", "Murphy", "Clarke"]


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    """Write the complaints and compliments (after supervision.demo.build, in its
    transaction); counts for seed_demo's line."""
    rng = random.Random(rng.getrandbits(64))
    world = _World.load(today)
    complaints = _plan_complaints(rng, world, scale)
    complaints += _open_in_the_demo_pod(rng, world)
    written = _write_complaints(world, complaints)
    compliments = _write_compliments(rng, world, scale)
    refresh_planner_statistics("feedback")
    return {"complaints": written, "compliments": compliments}


class _World:
    """What the builder reads: families with their pod and worker over time, pod managers,
    themes, the complaints officer."""

    @classmethod
    def load(cls, today: datetime.date) -> _World:
        world = cls()
        world.today = today
        world.start = today.replace(year=today.year - 3, day=1)
        world.pods = defaultdict(list)  # family -> [(start, end, team_id)]
        for row in PodAllocation.objects.values_list("family_id", "start", "end", "team_id"):
            world.pods[row[0]].append(row[1:])
        world.workers = defaultdict(list)  # family -> [(start, end, worker_id)]
        for row in Allocation.objects.values_list("family_id", "start", "end", "worker_id"):
            world.workers[row[0]].append(row[1:])
        world.family_ids = sorted(world.pods)
        world.addresses = dict(Family.objects.values_list("pk", "address"))
        world.team_ids = list(Team.objects.filter(kind=Team.Kind.POD).values_list("pk", flat=True))
        world.managers = dict(
            TeamMembership.objects.filter(
                end__isnull=True, worker__role=Worker.Role.POD_MANAGER
            ).values_list("team_id", "worker__user_id")
        )
        world.officer = (
            Worker.objects.select_related("user").get(user__username="complaints-officer").user
        )
        world.demo_pod = Team.objects.filter(name=DEMO_POD).values_list("pk", flat=True).first()
        world.demo_worker = Worker.objects.filter(user__username="social-worker").first()
        themes = Theme.objects.all()
        world.complaint_themes = {t.name: t for t in themes if t.used_for == Theme.For.COMPLAINTS}
        world.compliment_themes = [t for t in themes if t.used_for == Theme.For.COMPLIMENTS]
        return world

    def on(self, spans, day):
        """The id held on ``day`` from (start, end, id) spans, or None."""
        for start, end, pk in spans:
            if start <= day and (end is None or day <= end):
                return pk
        return None

    def families_on(self, day, team_id=None):
        """Every family in a pod (or in ``team_id``) on ``day``: for the few picks of today."""
        return [
            pk
            for pk in self.family_ids
            if (team := self.on(self.pods[pk], day)) and (team_id is None or team == team_id)
        ]

    def a_family_on(self, rng, day) -> int | None:
        """A family in a pod on ``day``, by trying a few at random (a scan of every family
        for each complaint would grow with the square of the scale)."""
        for _ in range(60):
            pk = rng.choice(self.family_ids)
            if self.on(self.pods[pk], day):
                return pk
        return None


def _working_day_in(rng, start, end) -> datetime.date:
    day = start + datetime.timedelta(days=rng.randrange(max(1, (end - start).days)))
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _year_windows(world):
    for year in range(3):
        start = world.start + datetime.timedelta(days=365 * year)
        end = min(world.today, start + datetime.timedelta(days=365))
        yield year, start, end


def _plan_complaints(rng, world, scale) -> list[dict]:
    """Complaints through the history: those whose answer would fall after today are open."""
    planned = []
    names = list(THEME_WEIGHTS)
    for year, start, end in _year_windows(world):
        weights = [
            THEME_WEIGHTS[n][0] * (2 - year) / 2 + THEME_WEIGHTS[n][1] * year / 2 for n in names
        ]
        for _ in range(round(COMPLAINTS_A_YEAR[year] * scale)):
            received = _working_day_in(rng, start, end)
            if received > world.today:
                continue
            themes = list(dict.fromkeys(rng.choices(names, weights, k=rng.choice((1, 1, 2)))))
            planned.append(_about(rng, world, received, themes))
    return [p for p in planned if p is not None]


def _about(rng, world, received, themes, *, family_id=None) -> dict | None:
    complaint = {"received": received, "themes": themes}
    if family_id is None and rng.random() < ABOUT_FAMILY:
        family_id = world.a_family_on(rng, received)
    if family_id is not None:
        complaint["family"] = family_id
        complaint["team"] = world.on(world.pods[family_id], received)
        complaint["worker"] = world.on(world.workers[family_id], received)
    else:
        complaint["team"] = rng.choice(world.team_ids)
        complaint["worker"] = None
    if complaint["team"] is None and complaint.get("family") is None:
        return None
    complaint["from_kind"] = rng.choices(list(FROM_WEIGHTS), list(FROM_WEIGHTS.values()))[0]
    return complaint


def _open_in_the_demo_pod(rng, world) -> list[dict]:
    """Two open stage 1 complaints about Ash Pod families: one just in, one due this week."""
    if world.demo_pod is None:
        return []
    families = world.families_on(world.today, world.demo_pod)
    opened = []
    for received, themes in (
        (subtract_working_days(world.today, 9), ["Delays in paperwork"]),  # due this week
        (subtract_working_days(world.today, 1), ["Calls to the social worker not answered"]),
    ):
        if families:
            complaint = _about(rng, world, received, themes, family_id=rng.choice(families))
            complaint.update(from_kind=From.PARENT, keep_open=True)
            opened.append(complaint)
    return opened


def _stages(rng, world, complaint) -> list[dict]:
    """Stage 1 (and perhaps 2 and 3), each answered on its clock, or open when not yet due."""
    stages, opened, number = [], complaint["received"], 1
    while True:
        stage = {"number": number, "opened": opened, "due": clocks.stage_due(number, opened)}
        stages.append(stage)
        if complaint.get("keep_open"):
            return stages
        fate = rng.random()
        deadline = stage["due"]
        if number < 3 and fate < EXTENDED:
            deadline = stage["extended_to"] = clocks.latest_extension(number, opened)
            stage["extension_reason"] = "The worker concerned was on leave"
        late = EXTENDED <= fate < EXTENDED + LATE
        span = max(1, (clocks.working_days_left(opened, deadline)))
        responded = add_working_days(opened, rng.randint(max(1, span // 2), span))
        if late:
            responded = add_working_days(deadline, rng.randint(1, 8))
        if responded > world.today:
            return stages  # still open
        stage["responded"] = responded
        stage["outcome"] = rng.choices(list(Outcome), (3, 4, 5))[0]
        escalate = TO_STAGE_2 if number == 1 else TO_STAGE_3 if number == 2 else 0
        requested = add_working_days(responded, rng.randint(3, 18))
        if rng.random() >= escalate or requested > world.today:
            if clocks.escalation_deadline(responded) < world.today:
                complaint["closed"] = clocks.escalation_deadline(responded)
            return stages
        opened, number = requested, number + 1


def _write_complaints(world, planned) -> int:
    planned.sort(key=lambda c: c["received"])
    rng = random.Random(len(planned))
    numbers = defaultdict(int)
    rows, stage_plans = [], []
    for plan in planned:
        stages = _stages(rng, world, plan)
        year = plan["received"].year
        numbers[year] += 1
        child = plan["from_kind"] == From.CHILD
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        address = world.addresses.get(plan.get("family"), "") or "1 High Street\nBrightwater"
        complaint = Complaint(
            reference=f"C-{year}-{numbers[year]:04d}",
            received=plan["received"],
            received_by=rng.choice(ReceivedBy.values),
            from_kind=plan["from_kind"],
            from_name=name,
            from_address=address,
            family_id=plan.get("family"),
            worker_id=plan["worker"],
            team_id=plan["team"],
            summary=SUMMARIES[plan["themes"][0]],
            advocate_offered=plan["received"] if child else None,
            advocate_accepted=rng.random() < 0.6 if child else None,
            closed=plan.get("closed"),
            learning="Shared with the pod at group supervision" if plan.get("closed") else "",
            recorded_by=world.officer,
        )
        created = datetime.datetime.combine(plan["received"], datetime.time(10), datetime.UTC)
        complaint.created = created
        rows.append(as_written(complaint, world.officer, created))
        stage_plans.append(stages)
    saved = save_all(Complaint, rows)
    through = Complaint.themes.through
    through.objects.bulk_create(
        through(complaint_id=complaint.pk, theme_id=world.complaint_themes[name].pk)
        for complaint, plan in zip(saved, planned, strict=True)
        for name in plan["themes"]
    )
    stages, actions = [], []
    for complaint, plans in zip(saved, stage_plans, strict=True):
        for stage in plans:
            stages.append(
                as_written(
                    ComplaintStage(
                        complaint_id=complaint.pk,
                        number=stage["number"],
                        opened=stage["opened"],
                        due=stage["due"],
                        extended_to=stage.get("extended_to"),
                        extension_reason=stage.get("extension_reason", ""),
                        handled_by=world.officer,
                        responded=stage.get("responded"),
                        outcome=stage.get("outcome", ""),
                        response=RESPONSES[stage["outcome"]] if stage.get("outcome") else "",
                    ),
                    world.officer,
                    complaint.created,
                )
            )
        last = plans[-1]
        if last.get("outcome") in (Outcome.UPHELD, Outcome.PARTLY_UPHELD):
            due = last["responded"] + datetime.timedelta(days=30)
            owner = world.managers.get(complaint.team_id) or world.officer.pk
            actions.append(
                as_written(
                    ComplaintAction(
                        complaint_id=complaint.pk,
                        text=rng.choice(ACTIONS),
                        owner_id=owner,
                        due=due,
                        done=due - datetime.timedelta(days=5) if due < world.today else None,
                        created_by=world.officer,
                    ),
                    world.officer,
                    complaint.created,
                )
            )
    save_all(ComplaintStage, stages)
    save_all(ComplaintAction, actions)
    return len(saved)


def _write_compliments(rng, world, scale) -> int:
    rows, theme_rows = [], []
    for year, start, end in _year_windows(world):
        for _ in range(round(COMPLIMENTS_A_YEAR[year] * scale)):
            received = _working_day_in(rng, start, end)
            family = world.a_family_on(rng, received)
            if received > world.today or family is None:
                continue
            rows.append(
                _compliment(rng, world, received, family, world.on(world.workers[family], received))
            )
    if world.demo_worker is not None:
        ash = world.families_on(world.today, world.demo_pod)
        mine = [f for f in ash if world.on(world.workers[f], world.today) == world.demo_worker.pk]
        recent = subtract_working_days(world.today, 2)
        rows.append(
            _compliment(rng, world, recent, (mine or ash or [None])[0], world.demo_worker.pk)
        )
    saved = save_all(Compliment, [r for r in rows if r is not None])
    through = Compliment.themes.through
    for compliment in saved:
        if world.compliment_themes:
            theme = rng.choice(world.compliment_themes)
            theme_rows.append(through(compliment_id=compliment.pk, theme_id=theme.pk))
    through.objects.bulk_create(theme_rows)
    return len(saved)


def _compliment(rng, world, received, family, worker) -> Compliment | None:
    team = world.on(world.pods[family], received) if family else world.demo_pod
    if family is None and worker is None and team is None:
        return None
    created = datetime.datetime.combine(received, datetime.time(11), datetime.UTC)
    old = (world.today - received).days > 30
    compliment = Compliment(
        received=received,
        received_by=rng.choice(ReceivedBy.values),
        from_kind=rng.choice((From.PARENT, From.PARENT, From.CARER, From.PROFESSIONAL)),
        from_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        family_id=family,
        worker_id=worker,
        team_id=team,
        words=rng.choice(COMPLIMENT_WORDS),
        seen_by_worker=created + datetime.timedelta(days=3) if old and worker else None,
        recorded_by=world.officer,
        created=created,
    )
    return as_written(compliment, world.officer, created)
