"""The demo authority's organisation, built deterministically from a seed.

A city-sized children's social work service like the one in the seeds: about 20 pods (one of
them the adolescent pod), a family assessment centre, fostering, the front door, practice
development (lead practitioners, the principal social worker, the professional educator),
independent reviewing officers and a leadership team: about 200 staff. Three years of joiners
and leavers give turnover and the agency rate a history, shaped like the seeds' figures
(turnover about 20% falling to about 14%; agency social workers about 20% falling towards 0).

``build(rng=..., today=..., scale=...)`` is called by ``manage.py seed_demo`` and by the
benchmark dataset generator; ``scale`` multiplies the number of pods.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from faker import Faker
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pods import services
from pods.models import Absence, DutyRota, Team, Worker
from pods.working_days import is_working_day

User = get_user_model()
Role = Worker.Role

DEMO_PASSWORD = "pods-demo-sign-in"

# The named demo sign-ins, one per role, listed in the README. The pod roles are all in the
# first pod, so they see one another's work.
DEMO_ACCOUNTS = [
    # username, first name, last name, role, team key
    ("social-worker", "Sam", "Okafor", Role.SOCIAL_WORKER, "pod:0"),
    ("senior-social-worker", "Priya", "Shah", Role.SENIOR_SOCIAL_WORKER, "pod:0"),
    ("student", "Jamie", "Lewis", Role.STUDENT_SOCIAL_WORKER, "pod:0"),
    ("pod-manager", "Morgan", "Hughes", Role.POD_MANAGER, "pod:0"),
    ("business-support", "Alex", "Brennan", Role.BUSINESS_SUPPORT_OFFICER, "pod:0"),
    ("lead-practitioner", "Ruth", "Adeyemi", Role.LEAD_PRACTITIONER, "practice"),
    ("senior-leader", "Helen", "Marsh", Role.SENIOR_LEADER, "leadership"),
    ("complaints-officer", "Nadia", "Kerr", Role.COMPLAINTS_OFFICER, "leadership"),
    ("performance-officer", "Lena", "Price", Role.PERFORMANCE_OFFICER, "leadership"),
    # Two, so that one proposes a destruction and the other confirms it.
    ("data-protection-officer", "Tomasz", "Nowak", Role.DATA_PROTECTION_OFFICER, "leadership"),
    ("data-protection-officer-2", "Amara", "Bello", Role.DATA_PROTECTION_OFFICER, "leadership"),
]
ADMIN_USERNAME = "admin"

POD_NAMES = [
    "Ash", "Beech", "Cedar", "Elm", "Hazel", "Holly", "Juniper", "Larch", "Maple", "Oak",
    "Pine", "Rowan", "Spruce", "Willow", "Yew", "Alder", "Birch", "Cherry", "Hawthorn",
    "Linden", "Poplar", "Sycamore", "Walnut", "Aspen", "Chestnut",
]  # fmt: skip

# Each pod's posts: (role, FTE). Deviations from the model come from vacancies and from the
# few pods given a different shape below.
POD_POSTS = [
    (Role.POD_MANAGER, "1"),
    (Role.SENIOR_SOCIAL_WORKER, "1"),
    (Role.SENIOR_SOCIAL_WORKER, "1"),
    (Role.SOCIAL_WORKER, "1"),
    (Role.SOCIAL_WORKER, "1"),
    (Role.SOCIAL_WORKER, "1"),
    (Role.SOCIAL_WORKER, "1"),
    (Role.SOCIAL_WORKER, "0.6"),
    (Role.STUDENT_SOCIAL_WORKER, "1"),
    (Role.BUSINESS_SUPPORT_OFFICER, "1"),
]
# Who leads a team, and so line manages its other staff: a pod's (or specialist team's) pod
# manager, Practice Development's principal social worker. Team leads are line managed by a
# senior leader; the senior leaders by the head of service (the first senior leader, the
# demo "senior-leader" sign-in), who has no line manager.
TEAM_LEAD_ROLES = {Role.POD_MANAGER, Role.PRINCIPAL_SOCIAL_WORKER}

LEAD_PRACTITIONER_SPECIALISMS = [
    "Domestic abuse",
    "Mental health",
    "Substance misuse",
    "Adolescents",
]


@dataclass
class TeamPlan:
    key: str
    name: str
    kind: str
    specialism: str
    posts: list[tuple[str, str, str]]  # role, FTE, specialism


@dataclass
class Occupant:
    role: str
    fte: Decimal
    employment: str
    start: datetime.date
    leave: datetime.date | None
    specialism: str = ""
    newly_qualified: bool = False
    demo_account: tuple | None = None
    team_key: str = ""
    worker: Worker | None = field(default=None, repr=False)


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    return today.replace(year=today.year - years, day=1)


def plan_teams(scale: float) -> list[TeamPlan]:
    pod_count = max(2, round(19 * scale))
    plans = []
    for index in range(pod_count):
        base = POD_NAMES[index % len(POD_NAMES)]
        name = (
            f"{base} Pod" if index < len(POD_NAMES) else f"{base} Pod {index // len(POD_NAMES) + 1}"
        )
        posts = [(role, fte, "") for role, fte in POD_POSTS]
        if index % 7 == 3:  # an acting pod manager on reduced hours
            posts[0] = (Role.POD_MANAGER, "0.8", "")
        if index % 6 == 5:  # a pod carrying an extra social worker
            posts.append((Role.SOCIAL_WORKER, "1", ""))
        if index % 9 == 4:  # no student placement this year
            posts = [post for post in posts if post[0] != Role.STUDENT_SOCIAL_WORKER]
        plans.append(TeamPlan(f"pod:{index}", name, Team.Kind.POD, "", posts))
    plans.append(
        TeamPlan(
            "pod:adolescent",
            "Adolescent Pod",
            Team.Kind.POD,
            "Adolescents at risk of care or custody",
            [(role, fte, "") for role, fte in POD_POSTS],
        )
    )
    specialist_copies = max(1, round(scale))

    def copies(name: str) -> list[str]:
        return (
            [name]
            if specialist_copies == 1
            else [f"{name} {n + 1}" for n in range(specialist_copies)]
        )

    for name in copies("Family Assessment Centre"):
        plans.append(
            TeamPlan(
                f"fac:{name}",
                name,
                Team.Kind.SPECIALIST,
                "Family assessment",
                [(Role.POD_MANAGER, "1", "")]
                + [(Role.SENIOR_SOCIAL_WORKER, "1", "")] * 2
                + [(Role.SOCIAL_WORKER, "1", "")] * 4
                + [(Role.BUSINESS_SUPPORT_OFFICER, "1", "")],
            )
        )
    for name in copies("Fostering"):
        plans.append(
            TeamPlan(
                f"fostering:{name}",
                name,
                Team.Kind.SPECIALIST,
                "Fostering",
                [(Role.POD_MANAGER, "1", "")]
                + [(Role.SOCIAL_WORKER, "1", "")] * 6
                + [(Role.BUSINESS_SUPPORT_OFFICER, "1", "")],
            )
        )
    for name in copies("Front Door for Families"):
        plans.append(
            TeamPlan(
                f"front:{name}",
                name,
                Team.Kind.FRONT_DOOR,
                "",
                [(Role.POD_MANAGER, "1", "")]
                + [(Role.SENIOR_SOCIAL_WORKER, "1", "")] * 2
                + [(Role.SOCIAL_WORKER, "1", "")] * 6
                + [(Role.BUSINESS_SUPPORT_OFFICER, "1", "")] * 2,
            )
        )
    plans.append(
        TeamPlan(
            "practice",
            "Practice Development",
            Team.Kind.SPECIALIST,
            "Practice and learning",
            [(Role.PRINCIPAL_SOCIAL_WORKER, "1", ""), (Role.PROFESSIONAL_EDUCATOR, "1", "")]
            + [
                (Role.LEAD_PRACTITIONER, "1", s)
                for s in LEAD_PRACTITIONER_SPECIALISMS * specialist_copies
            ],
        )
    )
    plans.append(
        TeamPlan(
            "reviewing",
            "Independent Reviewing Service",
            Team.Kind.SPECIALIST,
            "Conferences and reviews",
            [(Role.REVIEWING_OFFICER, "1", "")] * (4 * specialist_copies),
        )
    )
    plans.append(
        TeamPlan(
            "leadership",
            "Leadership Team",
            Team.Kind.LEADERSHIP,
            "",
            [(Role.SENIOR_LEADER, "1", "")] * (5 + specialist_copies - 1)
            # The complaints officer: the service's complaints and feedback, in one post.
            + [(Role.COMPLAINTS_OFFICER, "1", "")]
            # The performance officer: the DfE's statutory returns and the service's data.
            + [(Role.PERFORMANCE_OFFICER, "1", "")]
            # Data protection: retention and subject access requests, two officers.
            + [(Role.DATA_PROTECTION_OFFICER, "1", "")] * 2,
        )
    )
    return plans


class OrganisationBuilder:
    """Simulates three years of staffing month by month, then writes it through pods.services."""

    def __init__(self, *, rng: random.Random, today: datetime.date, scale: float):
        self.rng = rng
        self.today = today
        self.scale = scale
        self.faker = Faker("en_GB")
        self.faker.seed_instance(rng.randrange(1_000_000))
        self.history_start = _years_ago(today, 3)
        self.service_launch = _years_ago(today, 5)
        self.usernames: set[str] = {account[0] for account in DEMO_ACCOUNTS} | {ADMIN_USERNAME}

    # --- the simulation -----------------------------------------------------------------

    def _progress(self, day: datetime.date) -> float:
        """0 at the start of the three years of history, 1 today."""
        span = (self.today - self.history_start).days
        return min(1.0, max(0.0, (day - self.history_start).days / span))

    def _annual_leaving_rate(self, occupant: Occupant, day: datetime.date) -> float:
        if occupant.employment == Worker.Employment.AGENCY:
            return 0.45
        if occupant.role in (Role.SOCIAL_WORKER, Role.SENIOR_SOCIAL_WORKER):
            return 0.20 - 0.07 * self._progress(day)  # about 20% falling to about 13%
        return 0.08

    def _agency_chance(self, day: datetime.date) -> float:
        return 0.35 * (1 - self._progress(day)) ** 2  # agency hiring dies away

    def _new_occupant(self, role: str, fte: str, specialism: str, start: datetime.date) -> Occupant:
        social_work = role in (Role.SOCIAL_WORKER, Role.SENIOR_SOCIAL_WORKER)
        agency = social_work and self.rng.random() < self._agency_chance(start)
        return Occupant(
            role=role,
            fte=Decimal(fte),
            employment=Worker.Employment.AGENCY if agency else Worker.Employment.PERMANENT,
            start=start,
            leave=None,
            specialism=specialism,
            newly_qualified=role == Role.SOCIAL_WORKER and not agency and self.rng.random() < 0.35,
        )

    def simulate_post(self, role: str, fte: str, specialism: str) -> list[Occupant]:
        """The chain of people who held one post from before the history began until today."""
        longest_stay = 150 if role == Role.STUDENT_SOCIAL_WORKER else 365 * 12
        first_start = self.history_start - datetime.timedelta(
            days=self.rng.randrange(1, longest_stay)
        )
        occupants = [self._new_occupant(role, fte, specialism, first_start)]
        if role == Role.SOCIAL_WORKER and occupants[0].employment == Worker.Employment.PERMANENT:
            occupants[0].employment = (
                Worker.Employment.AGENCY if self.rng.random() < 0.2 else Worker.Employment.PERMANENT
            )
        occupants[0].newly_qualified = False
        day = self.history_start
        while day <= self.today:
            current = occupants[-1]
            if role == Role.STUDENT_SOCIAL_WORKER:
                placement_end = current.start + datetime.timedelta(
                    days=self.rng.randrange(150, 210)
                )
                if placement_end > self.today:
                    break
                current.leave = max(placement_end, current.start)
                day = current.leave + datetime.timedelta(days=self.rng.randrange(1, 60))
            else:
                if self.rng.random() >= self._annual_leaving_rate(current, day) / 12:
                    day += datetime.timedelta(days=30)
                    continue
                current.leave = max(day, current.start)
                day = current.leave + datetime.timedelta(days=self.rng.randrange(14, 100))
            if day > self.today:
                break
            occupants.append(self._new_occupant(role, fte, specialism, day))
        last = occupants[-1]
        if last.newly_qualified and (self.today - last.start).days > 365:
            last.newly_qualified = False
        return occupants

    # --- writing it -----------------------------------------------------------------------

    def _username(self, first: str, last: str) -> str:
        base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        candidate, n = base, 1
        while candidate in self.usernames:
            n += 1
            candidate = f"{base}{n}"
        self.usernames.add(candidate)
        return candidate

    def build(self) -> dict[str, int]:
        plans = plan_teams(self.scale)
        teams = {
            plan.key: services.team_create(
                name=plan.name,
                kind=plan.kind,
                specialism=plan.specialism,
                active_from=self.service_launch,
            )
            for plan in plans
        }
        demo_by_post = {}
        for account in DEMO_ACCOUNTS:
            plan = next(p for p in plans if p.key == account[4])
            post_index = next(
                i
                for i, post in enumerate(plan.posts)
                if post[0] == account[3] and (plan.key, i) not in demo_by_post
            )  # two accounts of one role take two posts
            demo_by_post[(plan.key, post_index)] = account

        occupants: list[Occupant] = []
        for plan in plans:
            for index, (role, fte, specialism) in enumerate(plan.posts):
                account = demo_by_post.get((plan.key, index))
                if account:
                    chain = [
                        Occupant(
                            role=role,
                            fte=Decimal(fte),
                            employment=Worker.Employment.PERMANENT,
                            start=(
                                self.today - datetime.timedelta(days=60)
                                if role == Role.STUDENT_SOCIAL_WORKER
                                else self.history_start - datetime.timedelta(days=400)
                            ),
                            leave=None,
                            specialism=LEAD_PRACTITIONER_SPECIALISMS[0]
                            if role == Role.LEAD_PRACTITIONER
                            else specialism,
                            demo_account=account,
                        )
                    ]
                else:
                    chain = self.simulate_post(role, fte, specialism)
                for occupant in chain:
                    occupant.team_key = plan.key
                occupants.extend(chain)

        for occupant in occupants:
            occupant.worker = self._create_worker(occupant)
            services.membership_start(
                worker=occupant.worker,
                team=teams[occupant.team_key],
                start=max(occupant.start, self.service_launch),
                end=occupant.leave,
                today=self.today,
            )
        self._name_line_managers(plans, occupants)
        self._create_admin()
        current = [o for o in occupants if o.leave is None or o.leave >= self.today]
        absences = self._create_absences(current)
        duty_days = self._create_duty_rota(teams, current, absences)
        return {
            "teams": len(teams),
            "workers": len(occupants),
            "in post today": len(current),
            "absences": len(absences),
            "duty days": duty_days,
        }

    def _create_worker(self, occupant: Occupant) -> Worker:
        if occupant.demo_account:
            username, first, last, *_ = occupant.demo_account
            password = DEMO_PASSWORD
        else:
            first, last = self.faker.first_name(), self.faker.last_name()
            username, password = self._username(first, last), None
        return services.worker_create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@brightwater.example",
            role=occupant.role,
            fte=occupant.fte,
            start_date=occupant.start,
            leave_date=occupant.leave,
            employment=occupant.employment,
            newly_qualified=occupant.newly_qualified,
            specialism=occupant.specialism,
            password=password,
        )

    def _name_line_managers(self, plans: list[TeamPlan], occupants: list[Occupant]) -> None:
        """Each worker's line manager on their last day in post (today for those still in
        post): their team's lead, for a team lead a senior leader (taken in turn team by
        team, so the first pod's manager has the head of service), for a senior leader the
        head of service. Deterministic: it follows the plan's order, never the random draw."""
        by_team: dict[str, list[Occupant]] = {}
        for occupant in occupants:
            by_team.setdefault(occupant.team_key, []).append(occupant)
        team_number = {plan.key: number for number, plan in enumerate(plans)}

        def in_post(people, day, roles):
            return [
                o
                for o in people
                if o.role in roles and o.start <= day and (o.leave is None or o.leave >= day)
            ]

        workers = []
        for occupant in occupants:
            day = min(occupant.leave or self.today, self.today)
            leaders = in_post(by_team.get("leadership", []), day, {Role.SENIOR_LEADER})
            team_lead = next(
                (
                    o
                    for o in in_post(by_team[occupant.team_key], day, TEAM_LEAD_ROLES)
                    if o is not occupant
                ),
                None,
            )
            if occupant.role == Role.SENIOR_LEADER:
                manager = leaders[0] if leaders and leaders[0] is not occupant else None
            elif occupant.role in TEAM_LEAD_ROLES or team_lead is None:
                number = team_number[occupant.team_key]
                manager = leaders[number % len(leaders)] if leaders else None
            else:
                manager = team_lead
            if manager is not None:
                occupant.worker.line_manager = manager.worker
                workers.append(occupant.worker)
        bulk_update_with_history(workers, Worker, ["line_manager"], batch_size=500)

    def _create_admin(self) -> None:
        User.objects.create_superuser(
            username=ADMIN_USERNAME,
            email="admin@brightwater.example",
            password=DEMO_PASSWORD,
            first_name="Ade",
            last_name="Ministrator",
        )

    def _create_absences(self, current: list[Occupant]) -> list[Absence]:
        """Leave and sickness around today, so pods show who is away and who covers."""
        absences = []
        for occupant in current:
            if occupant.demo_account and occupant.demo_account[0] == "social-worker":
                start = self.today + datetime.timedelta(days=24)
                absences.append(
                    Absence(
                        worker=occupant.worker,
                        kind=Absence.Kind.ANNUAL_LEAVE,
                        start=start,
                        end=start + datetime.timedelta(days=4),
                    )
                )
                continue
            if occupant.demo_account:
                continue
            roll = self.rng.random()
            if roll < 0.10:
                start = self.today - datetime.timedelta(days=self.rng.randrange(0, 5))
                kind = Absence.Kind.ANNUAL_LEAVE
                end = start + datetime.timedelta(days=self.rng.randrange(4, 14))
            elif roll < 0.13:
                start = self.today - datetime.timedelta(days=self.rng.randrange(0, 10))
                kind = Absence.Kind.SICKNESS
                end = start + datetime.timedelta(days=self.rng.randrange(2, 20))
            elif roll < 0.35:
                start = self.today + datetime.timedelta(days=self.rng.randrange(7, 90))
                kind = Absence.Kind.ANNUAL_LEAVE
                end = start + datetime.timedelta(days=self.rng.randrange(2, 14))
            else:
                continue
            absences.append(Absence(worker=occupant.worker, kind=kind, start=start, end=end))
        return bulk_create_with_history(absences, Absence)

    def _create_duty_rota(self, teams, current: list[Occupant], absences: list[Absence]) -> int:
        """Four weeks back and two weeks ahead of duty for every pod, rotating through its
        social workers who are at work that day."""
        away = {}
        for absence in absences:
            away.setdefault(absence.worker_id, []).append((absence.start, absence.end))
        days = [
            self.today + datetime.timedelta(days=offset)
            for offset in range(-28, 15)
            if is_working_day(self.today + datetime.timedelta(days=offset))
        ]
        duty_roles = {Role.SOCIAL_WORKER, Role.SENIOR_SOCIAL_WORKER}
        rows = []
        for key, team in teams.items():
            if not key.startswith("pod:"):
                continue
            people = [o for o in current if o.team_key == key and o.role in duty_roles]
            for number, day in enumerate(days):
                at_work = [
                    o
                    for o in people
                    if o.start <= day
                    and (o.leave is None or o.leave >= day)
                    and not any(s <= day <= e for s, e in away.get(o.worker.pk, []))
                ]
                if at_work:
                    rows.append(
                        DutyRota(team=team, date=day, worker=at_work[number % len(at_work)].worker)
                    )
        bulk_create_with_history(rows, DutyRota)
        return len(rows)


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    return OrganisationBuilder(rng=rng, today=today, scale=scale).build()
