"""The demo authority's supervision, built deterministically from a seed after
``onestory.demo``, from what the earlier builders wrote:

- a year of **weekly group supervision** in every pod (on the pod's day; a week missed now and
  then; none this week, so the pod manager opens it), each with five to eight of the pod's
  open families, a scaling score that moves from week to week for each family, decisions
  owned by the family's worker or the manager, most done by their due date and some not, and
  the management-oversight entry each discussion writes to the family's chronology;
- **1:1 supervision** of everyone in a pod by their pod manager about every four weeks
  (two for the newly qualified), sometimes late, and of each pod manager by a senior leader;
- **reflective practice groups** across teams, facilitated by lead practitioners, the
  professional educator and the principal social worker, meeting monthly for 75 minutes,
  with attendance that is far from perfect (each member has their own habit);
- a few workers' requests to bring a family to this week's session.

Everything is planned in Python from ``onestory.demo.world`` and written in bulk."""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.utils import timezone

from onestory.demo.saving import as_written, save_all
from onestory.demo.world import day, load_families, load_roster, moment
from onestory.models import Entry
from pods.models import Team, Worker
from pods.working_days import is_working_day
from supervision.models import (
    CaseDiscussion,
    Decision,
    DiscussionRequest,
    GroupSupervision,
    OneToOneSupervision,
    ReflectivePracticeGroup,
    RPGSession,
)
from supervision.services import oversight_texts

Role = Worker.Role
WEEKS = 52
SKIPPED_WEEK = 0.06  # a week with no session (leave, a court day, Christmas)
FAMILIES_PER_SESSION = (5, 8)
DONE_ON_TIME = 0.8
DONE_LATE = 0.12  # the rest stay open: some overdue now
ONE_TO_ONE_LATE = 0.15
RPG_SIZE = (9, 12)
RPG_FACILITATORS = (
    Role.LEAD_PRACTITIONER,
    Role.PROFESSIONAL_EDUCATOR,
    Role.PRINCIPAL_SOCIAL_WORKER,
)

QUESTIONS = [
    "Is {child} safe enough at home while Mum is unwell?",
    "How do we help Dad engage with the plan?",
    "Are we drifting? Nothing has changed in six weeks.",
    "Should we step down to early help?",
    "What would it take for {child} to go back to school full time?",
    "Is it time to think about a legal planning meeting?",
    "How do we hear {child}'s voice when they will not talk to us?",
    "Who in the network could do more?",
]
WORKING_WELL = [
    "Grandma collects {child} from school every day.",
    "Mum is going to every appointment with the health visitor.",
    "{child} has a trusted adult at school.",
    "The home is warm and there is food in the cupboards.",
    "Dad has started the parenting course.",
    "The family let us in and talk openly.",
]
WORRIES = [
    "The police were called to the home again at the weekend.",
    "{child} has missed eight days of school this half term.",
    "Mum says she is drinking again.",
    "The house was cold and there was no food.",
    "{child} has a bruise nobody can explain.",
    "A new partner is staying and we know nothing about him.",
]
NEEDS = [
    "A family network meeting before the review.",
    "Weekly direct work with {child}.",
    "A referral to the domestic abuse service.",
    "Housing to look at the damp.",
    "A joint visit with the school nurse.",
]
HYPOTHESES = [
    "Mum may be isolated since the move and using alcohol to cope.",
    "{child}'s behaviour at school may be the only way they can show what is happening at home.",
    "Dad may avoid us because of his own experience of care.",
    "The family may be telling us what we want to hear.",
]
DECISIONS = [
    "Visit with the health visitor",
    "Convene a family network meeting",
    "Refer to the domestic abuse service",
    "Speak to the school about attendance",
    "Do direct work with {child} on their three houses",
    "Ask the police for the call-out log",
    "Update the One Story summary and the plan",
    "Book a core group",
    "Ask the lead practitioner to join a visit",
]
PRACTICE_NOTES = [
    "Caseload reviewed: two families to step down. Court skills training booked.",
    "Talked through the assessment for the Smith family; analysis needs strengthening.",
    "Good progress on direct work; shared tools with the student.",
    "Workload is heavy this month: one family reallocated within the pod.",
]
WELLBEING = [
    "Feeling tired after a difficult strategy meeting; agreed a lighter week.",
    "Settling in well; enjoys working in the pod.",
    "Finding home visits to one family frightening; agreed joint visits.",
    "Managing caring responsibilities at home; flexible hours agreed.",
]
RPG_THEMES = [
    "Endings",
    "Working with fathers",
    "When families do not want us",
    "Holding hope",
    "Fear and risk",
    "Our own histories in the work",
    "Working with anger",
    "Closing cases well",
    "Dilemmas about thresholds",
    "Staying curious",
]
RPG_NOTES = [
    "We thought about how endings stir up our own experiences of loss, and how to plan them.",
    "The group explored the pull to rescue, and what it is like to sit with not knowing.",
    "We talked about the felt side of visits where we are not welcome, and staying curious.",
    "A dilemma about thresholds: when does worry become risk? Different views were held well.",
]


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    """Write the demo authority's supervision (after onestory.demo.build, in its
    transaction); return counts for seed_demo's summary line."""
    roster, families = load_roster(), load_families()
    seeds = [rng.getrandbits(64) for _ in range(4)]
    counts = _group_supervision(random.Random(seeds[0]), today, roster, families)
    counts |= _one_to_ones(random.Random(seeds[1]), today, roster)
    counts |= _rpgs(random.Random(seeds[2]), today)
    counts |= _requests(random.Random(seeds[3]), today, roster, families)
    with connection.cursor() as cursor:
        tables = [CaseDiscussion, Decision, GroupSupervision, Entry]
        cursor.execute(
            "ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
        )
    return counts


def _fill(rng, texts: list[str], child: str) -> str:
    return rng.choice(texts).format(child=child)


def _pods() -> list[Team]:
    return list(Team.objects.filter(kind=Team.Kind.POD).order_by("pk"))


def _families_by_pod(families, on: int) -> dict[int, list]:
    """Open families on the day, by the pod that held them, with their worker's user id."""
    by_pod: dict[int, list] = {}
    for family in families:
        for episode in family.episodes:
            if episode.start <= on <= episode.end:
                team = episode.team_on(on)
                holding = episode.holding_on(on)
                if team is not None:
                    by_pod.setdefault(team, []).append((family, holding))
                break
    return by_pod


def _group_supervision(rng, today: datetime.date, roster, families) -> dict[str, int]:
    pods = _pods()
    worker_of_user = dict(Worker.objects.values_list("user_id", "pk"))
    this_monday = today - datetime.timedelta(days=today.weekday())
    scores: dict[int, int] = {}  # family: the last score
    last_discussed: dict[int, int] = {}
    sessions, plans = [], []  # plans: (session index, family, holding, score, decisions)
    attendance = []
    for week in range(WEEKS, 0, -1):
        monday = this_monday - datetime.timedelta(weeks=week)
        by_pod = _families_by_pod(families, monday.toordinal())
        for pod in pods:
            weekday = 1 + pod.pk % 3  # Tuesday to Thursday, the pod's day
            when = monday + datetime.timedelta(days=weekday)
            while not is_working_day(when):
                when += datetime.timedelta(days=1)
            manager = roster.manager(pod.pk, when.toordinal())
            if manager is None or rng.random() < SKIPPED_WEEK:
                continue
            candidates = by_pod.get(pod.pk, [])
            if not candidates:
                continue
            # The least recently discussed first, with a little chance about it.
            candidates = sorted(
                candidates, key=lambda fh: (last_discussed.get(fh[0].pk, 0), rng.random())
            )
            chosen = candidates[: rng.randint(*FAMILIES_PER_SESSION)]
            in_pod = {p.worker_id for p in roster.in_post(pod.pk, when.toordinal(), tuple(Role))}
            members = [w for w in in_pod if not roster.is_away(w, when.toordinal())]
            sessions.append(
                GroupSupervision(
                    pod=pod,
                    date=when,
                    facilitator_id=manager.worker_id,
                    status=GroupSupervision.Status.CLOSED,
                    closed=moment(when.toordinal(), 12 * 60 + 30),
                )
            )
            attendance.append(sorted(w for w in members if rng.random() < 0.88))
            for family, holding in chosen:
                previous = scores.get(family.pk, rng.randint(2, 7))
                score = min(10, max(0, previous + rng.choice((-1, 0, 0, 1, 1, 2, -2))))
                scores[family.pk] = score
                last_discussed[family.pk] = when.toordinal()
                # The family's worker owns the first decision when they are in the pod that
                # day; otherwise the manager does.
                holder = worker_of_user.get(holding.user_id) if holding else None
                owner = holder if holder in in_pod else manager.worker_id
                plans.append((len(sessions) - 1, family, score, owner, manager))
    sessions = save_all(GroupSupervision, sessions)
    through = GroupSupervision.attendees.through
    through.objects.bulk_create(
        [
            through(groupsupervision_id=session.pk, worker_id=worker_id)
            for session, workers in zip(sessions, attendance, strict=True)
            for worker_id in workers
        ],
        batch_size=5000,
    )
    return _discussions(rng, today, sessions, plans) | {"group supervision sessions": len(sessions)}


def _discussions(rng, today, sessions, plans) -> dict[str, int]:
    full = {
        w: f"{first} {last}"
        for w, first, last in Worker.objects.values_list(
            "pk", "user__first_name", "user__last_name"
        )
    }
    entries, discussions, decisions = [], [], []
    positions: dict[int, int] = {}
    for index, family, score, owner, manager in plans:
        session = sessions[index]
        position = positions[index] = positions.get(index, 0) + 1
        child = family.children[0].first_name if family.children else "the baby"
        when = moment(session.date.toordinal(), rng.randrange(600, 750, 5))
        texts = {
            "question": _fill(rng, QUESTIONS, child),
            "working_well": _fill(rng, WORKING_WELL, child),
            "worries": _fill(rng, WORRIES, child),
            "needs_to_happen": _fill(rng, NEEDS, child),
            "hypotheses": _fill(rng, HYPOTHESES, child) if rng.random() < 0.6 else "",
        }
        chosen = []
        for number in range(rng.choice((1, 1, 2, 2, 3))):
            due = session.date + datetime.timedelta(days=rng.choice((7, 7, 14, 14, 21, 28)))
            who = owner if number == 0 or rng.random() < 0.6 else manager.worker_id
            chosen.append((_fill(rng, DECISIONS, child), who, due))
        presenter = owner
        entry_texts = oversight_texts(
            where=f"Group supervision of {session.pod.name}",
            presenter=full.get(presenter, ""),
            score=score,
            decisions=[(text, full[who], due) for text, who, due in chosen],
            **texts,
        )
        author = manager.user_id
        entries.append(
            as_written(
                Entry(
                    family_id=family.pk,
                    kind=Entry.Kind.SUPERVISION_DECISION,
                    occurred=when,
                    status=Entry.Status.FINAL,
                    author_id=author,
                    created=when,
                    updated=when,
                    **entry_texts,
                ),
                None,
                when,
            )
        )
        discussions.append(
            CaseDiscussion(
                group_session=session,
                family_id=family.pk,
                position=position,
                reasons="on the pod's list",
                presenting_worker_id=presenter,
                scaling_score=score,
                discussed=when,
                **texts,
            )
        )
        decisions.append(chosen)
    entries = save_all(Entry, entries)
    for discussion, entry in zip(discussions, entries, strict=True):
        discussion.entry_id = entry.pk
    discussions = save_all(CaseDiscussion, discussions)
    rows = []
    now = timezone.now()
    users = dict(Worker.objects.values_list("pk", "user_id"))
    for discussion, chosen in zip(discussions, decisions, strict=True):
        for text, who, due in chosen:
            luck = rng.random()
            done = None
            if luck < DONE_ON_TIME:
                done_day = due - datetime.timedelta(days=rng.randint(0, 6))
            elif luck < DONE_ON_TIME + DONE_LATE:
                done_day = due + datetime.timedelta(days=rng.randint(1, 10))
            else:
                done_day = None
            if done_day is not None and done_day < today:
                done = min(now, moment(done_day.toordinal(), rng.randrange(540, 1020, 5)))
            rows.append(
                Decision(
                    discussion=discussion,
                    text=text,
                    owner_id=who,
                    due=due,
                    done=done,
                    done_by_id=users[who] if done else None,
                )
            )
    save_all(Decision, rows)
    return {"case discussions": len(discussions), "decisions": len(rows)}


def _one_to_ones(rng, today: datetime.date, roster) -> dict[str, int]:
    """Everyone in a pod, by the pod's manager; each pod manager by a senior leader."""
    first = (today - datetime.timedelta(weeks=WEEKS)).toordinal()
    last = today.toordinal() - 1
    workers = {w.pk: w for w in Worker.objects.all()}
    leaders = [w for w in workers.values() if w.role == Role.SENIOR_LEADER and not w.leave_date]
    rows = []
    for pod in _pods():
        for post in roster.posts.get(pod.pk, ()):
            worker = workers[post.worker_id]
            leader = None
            if worker.role == Role.POD_MANAGER:
                if not leaders:
                    continue
                leader = leaders[pod.pk % len(leaders)]
                interval = 35
            else:
                interval = 14 if worker.newly_qualified else 28
            on = max(post.start, first) + rng.randint(0, interval)
            while on <= min(post.end, last):
                if leader is not None:
                    supervisor_id, supervisor_user = leader.pk, leader.user_id
                else:
                    manager = roster.manager(pod.pk, on)
                    if manager is None or manager.worker_id == worker.pk:
                        on += interval
                        continue
                    supervisor_id, supervisor_user = manager.worker_id, manager.user_id
                when = day(on)
                while not is_working_day(when):
                    when += datetime.timedelta(days=1)
                if when.toordinal() > last:
                    break
                rows.append(
                    as_written(
                        OneToOneSupervision(
                            supervisor_id=supervisor_id,
                            supervisee_id=worker.pk,
                            date=when,
                            practice_notes=rng.choice(PRACTICE_NOTES),
                            wellbeing=rng.choice(WELLBEING),
                            recorded_by_id=supervisor_user,
                            created=moment(when.toordinal(), 15 * 60),
                        ),
                        None,
                        moment(when.toordinal(), 15 * 60),
                    )
                )
                late = rng.randint(5, 20) if rng.random() < ONE_TO_ONE_LATE else 0
                on = when.toordinal() + interval + late + rng.randint(-3, 3)
    save_all(OneToOneSupervision, rows)
    return {"1:1 supervisions": len(rows)}


def _rpgs(rng, today: datetime.date) -> dict[str, int]:
    """Groups of nine to twelve across teams, each with a facilitator; monthly sessions."""
    in_post = list(
        Worker.objects.filter(leave_date__isnull=True)
        .exclude(role__in=(Role.SENIOR_LEADER, Role.BUSINESS_SUPPORT_OFFICER))
        .order_by("pk")
    )
    facilitators = [w for w in in_post if w.role in RPG_FACILITATORS]
    others = [w for w in in_post if w.role not in RPG_FACILITATORS]
    if not facilitators or not others:
        return {"reflective practice groups": 0, "RPG sessions": 0}
    rng.shuffle(others)
    groups, memberships = [], []
    size = rng.randint(*RPG_SIZE)
    chunks = [others[i : i + size] for i in range(0, len(others), size)]
    for number, members in enumerate(chunks, start=1):
        facilitator = facilitators[(number - 1) % len(facilitators)]
        groups.append(ReflectivePracticeGroup(name=f"Reflective practice group {number}"))
        memberships.append((facilitator, members))
    groups = save_all(ReflectivePracticeGroup, groups)
    facilitated = ReflectivePracticeGroup.facilitators.through
    membership = ReflectivePracticeGroup.members.through
    facilitated.objects.bulk_create(
        [
            facilitated(reflectivepracticegroup_id=group.pk, worker_id=facilitator.pk)
            for group, (facilitator, _members) in zip(groups, memberships, strict=True)
        ]
    )
    membership.objects.bulk_create(
        [
            membership(reflectivepracticegroup_id=group.pk, worker_id=member.pk)
            for group, (_facilitator, members) in zip(groups, memberships, strict=True)
            for member in members
        ],
        batch_size=5000,
    )
    habit = {w.pk: rng.choice((0.45, 0.6, 0.75, 0.85, 0.9, 0.95)) for w in others}
    sessions, attended = [], []
    for group, (facilitator, members) in zip(groups, memberships, strict=True):
        week = rng.randrange(4)
        for month in range(12, 0, -1):
            start = (today.replace(day=1) - datetime.timedelta(days=30 * month)).replace(day=1)
            when = start + datetime.timedelta(days=7 * week + 2)
            while not is_working_day(when):
                when += datetime.timedelta(days=1)
            if when >= today or rng.random() < 0.05:
                continue
            sessions.append(
                RPGSession(
                    group=group,
                    date=when,
                    minutes=rng.choice((75, 75, 75, 75, 60, 90)),
                    themes=rng.choice(RPG_THEMES),
                    notes=rng.choice(RPG_NOTES),
                    recorded_by_id=facilitator.user_id,
                )
            )
            attended.append(
                [facilitator.pk] + [m.pk for m in members if rng.random() < habit[m.pk]]
            )
    sessions = save_all(RPGSession, sessions)
    through = RPGSession.attendees.through
    through.objects.bulk_create(
        [
            through(rpgsession_id=session.pk, worker_id=worker_id)
            for session, workers in zip(sessions, attended, strict=True)
            for worker_id in workers
        ],
        batch_size=5000,
    )
    return {"reflective practice groups": len(groups), "RPG sessions": len(sessions)}


def _requests(rng, today: datetime.date, roster, families) -> dict[str, int]:
    """This week: a worker or two in each pod asks to bring a family to the session."""
    by_pod = _families_by_pod(families, today.toordinal())
    rows = []
    for pod in _pods():
        candidates = [(f, h) for f, h in by_pod.get(pod.pk, []) if h and h.worker_id]
        for family, holding in rng.sample(candidates, min(len(candidates), rng.randint(0, 2))):
            rows.append(
                DiscussionRequest(
                    family_id=family.pk,
                    requested_by_id=holding.worker_id,
                    note="Things have changed since the last visit",
                    requested=min(timezone.now(), moment(today.toordinal() - 1, 16 * 60)),
                )
            )
    DiscussionRequest.objects.bulk_create(rows)
    return {"requests to discuss": len(rows)}
