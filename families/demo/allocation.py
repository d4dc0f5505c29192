"""Step 2, allocation: ``AllocationSweep`` makes one pass through the days, moving each new
episode from the front door to the least loaded pod and its least loaded case-holding worker in
post (a ``Slot``), applying the continuity rule to re-referrals, handing a leaver's families to a
colleague in the pod, making the odd change of worker for other reasons, and at the end giving
the demo sign-ins a caseload with something on every screen. It reads the teams and memberships
``pods.demo`` built and writes nothing: the allocations are kept on the simulated episodes."""

from __future__ import annotations

import datetime
import heapq
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass

from families.demo.cases import CaseSimulation
from families.demo.simulated import CP, LAC, YEAR, Role, SimEpisode, _date
from families.services import within_continuity_window
from pods.models import Team, TeamMembership, Worker

# Case-holding roles and the share of a full caseload each carries per FTE.
CASE_HOLDERS = {
    Role.SOCIAL_WORKER: 1.0,
    Role.SENIOR_SOCIAL_WORKER: 1.0,
    Role.STUDENT_SOCIAL_WORKER: 0.25,
}
STUDENT_MAX_CHILDREN = 5
DEMO_CASEHOLDERS = ("social-worker", "senior-social-worker")
DEMO_CASELOAD = (14, 18)  # children per FTE the demo case-holders end with
CHANGES_OF_WORKER_PER_YEAR = 0.12  # per allocation, besides leavers
AVOID_LEAVERS_DAYS = 28  # nobody is given a family in their last four weeks, if avoidable

CONTINUITY_REASON = "Continuity: re-referred within 12 months of closing"
LAUNCH_REASON = "Transferred into the pods when the service began"
LEAVER_REASON = "Worker left the service"
MOVED_TEAM_REASON = "Worker moved to another team"
CHANGE_REASONS = [
    "Caseload balancing in the pod",
    "The family asked for a different worker",
    "Worker reduced their hours",
    "Worker on long-term sick leave",
    "Matched to a worker with the right experience for the family",
]


@dataclass(eq=False, slots=True)
class Slot:
    """A case-holding worker's time in a pod: member and in post from ``start`` to ``end``."""

    worker_id: int
    user_id: int
    team_id: int
    weight: float
    start: int
    end: int  # the last day; far in the future when they are still there
    left_service: bool
    student: bool

    def covers(self, day: int) -> bool:
        return self.start <= day <= self.end


FOREVER = datetime.date.max.toordinal()


class AllocationSweep:
    def __init__(self, *, rng, simulation: CaseSimulation):
        self.rng, self.sim = rng, simulation
        self.today = simulation.today
        teams = list(
            Team.objects.filter(kind__in=[Team.Kind.POD, Team.Kind.FRONT_DOOR]).order_by("pk")
        )
        self.team_group = {team.pk: team.group_id for team in teams}
        self.team_name = {team.pk: team.name for team in teams}
        self.front_doors = [t for t in teams if t.kind == Team.Kind.FRONT_DOOR]
        if not self.front_doors:
            raise RuntimeError("families.demo needs the front door team built by pods.demo")
        self.pods = [t for t in teams if t.kind == Team.Kind.POD]
        self.pod_active = {
            t.pk: (t.active_from.toordinal(), t.active_to.toordinal() if t.active_to else FOREVER)
            for t in self.pods
        }
        self.adolescent_pods = {t.pk for t in self.pods if "adolescen" in t.specialism.lower()}
        self.launch = min(t.active_from for t in teams).toordinal()
        self.slots: dict[int, list[Slot]] = defaultdict(list)
        rows = (
            TeamMembership.objects.filter(team__kind=Team.Kind.POD, worker__role__in=CASE_HOLDERS)
            .values_list(
                "worker_id",
                "worker__user_id",
                "team_id",
                "start",
                "end",
                "worker__start_date",
                "worker__leave_date",
                "worker__role",
                "worker__fte",
            )
            .order_by("team_id", "start", "worker_id")
        )
        for worker_id, user_id, team_id, start, end, joined, left, role, fte in rows:
            first = max(start, joined).toordinal()
            last = min(d.toordinal() for d in (end, left) if d) if (end or left) else FOREVER
            if first <= last:
                self.slots[team_id].append(
                    Slot(
                        worker_id,
                        user_id,
                        team_id,
                        float(fte) * CASE_HOLDERS[role],
                        first,
                        last,
                        bool(left) and (end is None or left <= end),
                        role == Role.STUDENT_SOCIAL_WORKER,
                    )
                )
        self.user_of = {s.worker_id: s.user_id for slots in self.slots.values() for s in slots}
        self.load = Counter()  # children held, by worker
        self.pod_load = Counter()  # children held, by pod
        self.held = defaultdict(set)  # (worker, pod) -> episodes
        self.current = {}  # episode -> its current allocation (a list)
        self.events = []
        self.sequence = itertools.count()
        self._capacity_day, self._capacity = None, {}

    # --- events ---------------------------------------------------------------------------

    def _push(self, day: int, order: int, *payload) -> None:
        self.events.append((day, order, next(self.sequence), *payload))

    def run(self) -> None:
        today = self.today
        for episode in self.sim.episodes:
            if episode.start > today:
                continue
            if episode.end < today:
                self._push(episode.end + 1, 0, "release", episode)
            # a re-referral within the continuity window is looked at on the day it arrives
            move = episode.start if self._may_continue(episode) else self._move_day(episode)
            if move <= min(episode.end, today):
                self._push(move, 3, "move", episode)
        for slots in self.slots.values():
            for slot in slots:
                if slot.end < today:
                    self._push(slot.end + 1, 1, "departure", slot)
        heapq.heapify(self.events)
        while self.events:
            day, _order, _seq, kind, subject, *rest = heapq.heappop(self.events)
            if kind == "release":
                self._release(subject)
            elif kind == "departure":
                self._departure(subject, day)
            elif kind == "change":
                self._change(subject, rest[0], day)
            else:
                self._move(subject, day)
        for episode in self.sim.episodes:
            if episode.start <= today and not episode.pod_allocations:
                self._front_door_stay(episode, episode.end)
        self._demo_caseloads()

    def _schedule_change(self, episode: SimEpisode, allocation: list) -> None:
        wait = int(self.rng.expovariate(CHANGES_OF_WORKER_PER_YEAR / YEAR)) + 14
        day = allocation[1] + wait
        if day <= min(episode.end, self.today):
            heapq.heappush(
                self.events, (day, 2, next(self.sequence), "change", episode, allocation)
            )

    # --- choosing ---------------------------------------------------------------------------

    def _capacities(self, day: int) -> dict[int, float]:
        """Each pod's case-holding FTE in post on ``day`` (students count for less)."""
        if self._capacity_day != day:
            self._capacity_day = day
            self._capacity = {
                pod.pk: sum(s.weight for s in self.slots[pod.pk] if s.covers(day))
                for pod in self.pods
                if self.pod_active[pod.pk][0] <= day <= self.pod_active[pod.pk][1]
            }
        return self._capacity

    def _choose_pod(self, day: int, episode: SimEpisode, exclude=()) -> int | None:
        capacity = {k: v for k, v in self._capacities(day).items() if v > 0 and k not in exclude}
        if not capacity:
            return None
        load = {k: self.pod_load[k] / v for k, v in capacity.items()}
        mean = sum(load.values()) / len(load)
        teenagers = [k for k in load if k in self.adolescent_pods and load[k] < mean * 1.15]
        if episode.adolescent and teenagers:
            return self.rng.choice(teenagers)
        ordinary = [k for k in load if k not in self.adolescent_pods or load[k] < mean * 0.85]
        candidates = self.rng.sample(ordinary or list(load), min(8, len(ordinary or load)))
        return min(candidates, key=lambda k: load[k] * self.rng.uniform(0.94, 1.06))

    def _choose_worker(self, pod: int, day: int, episode: SimEpisode, exclude=None) -> Slot | None:
        children = len(episode.family.children)
        slots = [
            s
            for s in self.slots[pod]
            if s.covers(day)
            and s.worker_id != exclude
            and not (
                s.student
                and (episode.high_need or self.load[s.worker_id] + children > STUDENT_MAX_CHILDREN)
            )
        ]
        staying = [s for s in slots if s.end >= day + AVOID_LEAVERS_DAYS]
        slots = staying or slots
        if not slots:
            return None
        return min(
            slots,
            key=lambda s: (
                (self.load[s.worker_id] + children / 2) / s.weight * self.rng.uniform(0.97, 1.03)
            ),
        )

    def _move_day(self, episode: SimEpisode) -> int:
        return max(episode.move, self.launch)

    @staticmethod
    def _may_continue(episode: SimEpisode) -> bool:
        previous = episode.previous
        return previous is not None and within_continuity_window(
            _date(previous.end), _date(episode.start)
        )

    def _continuity_slot(self, episode: SimEpisode) -> Slot | None:
        """The continuity rule, as families.services.family_rerefer applies it: back to the
        last worker, in the last pod, when they are still there."""
        previous = episode.previous
        if not self._may_continue(episode) or not previous.allocations:
            return None
        team = previous.pod_allocations[-1][0]
        worker = previous.allocations[-1][0]
        for slot in self.slots.get(team, ()):
            if slot.worker_id == worker and slot.covers(episode.start):
                return slot
        return None

    # --- changes ------------------------------------------------------------------------------

    def _hold(self, episode, slot: Slot, day: int, reason: str, change: bool) -> None:
        current = self.current.get(episode)
        children = len(episode.family.children)
        if current is not None:
            current[2] = day - 1
            self.load[current[0]] -= children
            self.held[(current[0], episode.pod_allocations[-1][0])].discard(episode)
        if episode.pod_allocations[-1][0] != slot.team_id:
            self.pod_load[episode.pod_allocations[-1][0]] -= children
            episode.pod_allocations[-1][2] = day - 1
            name = self.team_name[slot.team_id]
            episode.pod_allocations.append([slot.team_id, day, None, f"Moved to {name}: {reason}"])
            self.pod_load[slot.team_id] += children
        allocation = [slot.worker_id, day, None, reason if change else "", change]
        episode.allocations.append(allocation)
        self.current[episode] = allocation
        self.load[slot.worker_id] += children
        self.held[(slot.worker_id, slot.team_id)].add(episode)
        self._schedule_change(episode, allocation)

    def _front_door_stay(self, episode: SimEpisode, last: int) -> None:
        team = self.front_doors[episode.family.seq % len(self.front_doors)].pk
        reason = "Re-referral" if episode.previous else "Referral"
        start = max(episode.start, self.launch)
        if start <= last:
            episode.pod_allocations.append([team, start, last, reason])

    def _move(self, episode: SimEpisode, day: int) -> None:
        """The family leaves the front door for a pod and one of its workers (or goes back to
        its last worker under the continuity rule, without passing the front door)."""
        slot = self._continuity_slot(episode) if day == episode.start else None
        if slot is not None:
            pod_reason = worker_reason = CONTINUITY_REASON
        elif day < self._move_day(episode):  # not them: the front door, as for anyone
            if self._move_day(episode) <= min(episode.end, self.today):
                self._push_now(self._move_day(episode), 3, "move", episode)
            return
        else:
            excluded = set()
            while slot is None:
                pod = self._choose_pod(day, episode, exclude=excluded)
                if pod is None:  # nobody can take it today: try again tomorrow
                    if day < min(episode.end, self.today):
                        self._push_now(day + 1, 3, "move", episode)
                    return
                slot = self._choose_worker(pod, day, episode)
                excluded.add(pod)
            pod_reason, worker_reason = "Allocation", ""
            if episode.start < self.launch and day == self.launch:
                pod_reason = worker_reason = LAUNCH_REASON
            elif day > episode.start:
                self._front_door_stay(episode, day - 1)
        children = len(episode.family.children)
        episode.pod_allocations.append([slot.team_id, day, None, pod_reason])
        self.pod_load[slot.team_id] += children
        allocation = [slot.worker_id, day, None, worker_reason, False]
        episode.allocations.append(allocation)
        self.current[episode] = allocation
        self.load[slot.worker_id] += children
        self.held[(slot.worker_id, slot.team_id)].add(episode)
        self._schedule_change(episode, allocation)

    def _push_now(self, day, order, kind, episode) -> None:
        heapq.heappush(self.events, (day, order, next(self.sequence), kind, episode))

    def _release(self, episode: SimEpisode) -> None:
        allocation = self.current.pop(episode, None)
        children = len(episode.family.children)
        if allocation is not None:
            allocation[2] = episode.end
            self.load[allocation[0]] -= children
            self.held[(allocation[0], episode.pod_allocations[-1][0])].discard(episode)
        if episode.pod_allocations:
            last = episode.pod_allocations[-1]
            if last[2] is None:
                last[2] = episode.end
                if allocation is not None:
                    self.pod_load[last[0]] -= children

    def _departure(self, slot: Slot, day: int) -> None:
        """The worker's last day in the pod was yesterday: each family they held goes to a
        colleague in the pod in post, never left without a worker."""
        reason = LEAVER_REASON if slot.left_service else MOVED_TEAM_REASON
        for episode in sorted(
            self.held.pop((slot.worker_id, slot.team_id), ()), key=lambda e: e.family.seq
        ):
            if episode.end < day:
                continue
            successor = self._choose_worker(slot.team_id, day, episode, exclude=slot.worker_id)
            if successor is None:  # nobody left in the pod: another pod takes the family
                pod = self._choose_pod(day, episode, exclude={slot.team_id})
                successor = self._choose_worker(pod, day, episode) if pod else None
            if successor is not None:
                self._hold(episode, successor, day, reason, change=True)

    def _change(self, episode: SimEpisode, allocation: list, day: int) -> None:
        if self.current.get(episode) is not allocation or episode.end < day:
            return
        pod = episode.pod_allocations[-1][0]
        successor = self._choose_worker(pod, day, episode, exclude=allocation[0])
        if successor is not None:
            self._hold(episode, successor, day, self.rng.choice(CHANGE_REASONS), change=True)

    def _demo_caseloads(self) -> None:
        """The demo sign-ins hold a caseload like their colleagues' (about 16 children) with
        a child protection plan and a child looked after among it, so every screen has
        something to show. Families change hands in the last weeks, as caseload balancing
        in the pod (a family on a plan or in care may come from another pod)."""
        today = self.today
        workers = dict(
            Worker.objects.filter(user__username__in=DEMO_CASEHOLDERS).values_list(
                "user__username", "pk"
            )
        )
        for username in DEMO_CASEHOLDERS:
            worker = workers.get(username)
            slots = itertools.chain.from_iterable(self.slots.values())
            slot = next((s for s in slots if s.worker_id == worker and s.covers(today)), None)
            if slot is None:
                continue
            day = today - self.rng.randint(7, 45)
            if not slot.covers(day):
                continue
            colleagues = [  # not the other demo sign-in: they keep what they were given
                s
                for s in self.slots[slot.team_id]
                if s.covers(day) and s.worker_id not in workers.values()
            ]

            def movable(episode, day=day):
                allocation = self.current[episode]
                return allocation[1] < day and episode.end > today

            for kind in (CP, LAC):
                if any(_open_status(e, kind, today) for e in self.held[(worker, slot.team_id)]):
                    continue
                wanted = sorted(
                    (
                        e
                        for e, allocation in self.current.items()
                        if allocation[0] not in workers.values()
                        and movable(e)
                        and _open_status(e, kind, today)
                    ),
                    key=lambda e: (e.pod_allocations[-1][0] != slot.team_id, e.family.seq),
                )
                if wanted:
                    self._hold(wanted[0], slot, day, "Caseload balancing in the pod", True)
            for _ in range(40):
                load = self.load[worker] / slot.weight
                if DEMO_CASELOAD[0] <= load <= DEMO_CASELOAD[1] or not colleagues:
                    break
                if load < DEMO_CASELOAD[0]:  # from the busiest colleague
                    giver = max(colleagues, key=lambda s: self.load[s.worker_id] / s.weight)
                    pool = self.held[(giver.worker_id, slot.team_id)]
                    receiver = slot
                else:  # to the least busy qualified one
                    qualified = [s for s in colleagues if not s.student] or colleagues
                    receiver = min(qualified, key=lambda s: self.load[s.worker_id] / s.weight)
                    pool = self.held[(worker, slot.team_id)]
                # families on plans or in care stay where they are: the screens show them
                choice = sorted(
                    (e for e in pool if movable(e) and not e.high_need), key=lambda e: e.family.seq
                )
                if not choice:
                    break
                self._hold(choice[0], receiver, day, "Caseload balancing in the pod", True)
        # the scheduled changes after today are irrelevant now
        self.events.clear()


def _open_status(episode: SimEpisode, kind: str, day: int) -> bool:
    return any(s.kind == kind and s.start <= day < s.end for s in episode.statuses)
