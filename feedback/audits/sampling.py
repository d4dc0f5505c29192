"""Drawing a quarter's sample of families to audit, per pod.

The rules, as the quality-assurance programme states them:

* the families are those a pod holds on the day of the draw, with an open episode; closed
  families, restricted ones (no audit grant could open them) and families with an audit drawn
  in the 12 months before the draw are skipped;
* each family's stratum is its plan type on the day of the draw, read from its children's
  statuses (``plan_type_on``): child protection first, then looked after, then child in need,
  else "other";
* each pod's ``per_pod`` places are shared between the strata in proportion to their sizes,
  with at least one for every stratum that has families when there are places enough
  (``allocate``);
* within a stratum the families are chosen at random by an rng seeded by the programme and
  the pod (``rng_for``), from the families in order of their key: the same data give the same
  sample however often it is redrawn.

Reads only: ``feedback.audits.services.programme_draw`` writes the audits."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from families.models import Allocation, ChildStatus, Episode, Family, PodAllocation
from feedback.models.audits import Audit, PlanType
from pods.models import Team
from pods.working_days import months_before

RECENTLY_AUDITED_MONTHS = 12
# A family's stratum when its children are on several plans: the first of these that applies.
PRECEDENCE = [
    (ChildStatus.Kind.CP_PLAN, PlanType.CHILD_PROTECTION),
    (ChildStatus.Kind.LOOKED_AFTER, PlanType.LOOKED_AFTER),
    (ChildStatus.Kind.CIN_PLAN, PlanType.CHILD_IN_NEED),
]
STRATA = [PlanType.CHILD_PROTECTION, PlanType.LOOKED_AFTER, PlanType.CHILD_IN_NEED, PlanType.OTHER]


def quarter_of(day: datetime.date) -> tuple[int, int]:
    """The financial year (the year it starts, 1 April) and quarter (1 = April to June)."""
    year = day.year if day.month >= 4 else day.year - 1
    return year, (day.month - 4) % 12 // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a financial quarter."""
    first_month = (quarter - 1) * 3 + 4
    start = datetime.date(year + (first_month > 12), (first_month - 1) % 12 + 1, 1)
    after_month = first_month + 3
    after = datetime.date(year + (after_month > 12), (after_month - 1) % 12 + 1, 1)
    return start, after - datetime.timedelta(days=1)


def rng_for(year: int, quarter: int, team_id: int) -> random.Random:
    """The programme's rng for one pod: a string seed, so it is the same in every process."""
    return random.Random(f"audit-programme:{year}:Q{quarter}:team:{team_id}")


def plan_type_on(family_ids: list[int], day: datetime.date) -> dict[int, str]:
    """Each family's plan type on ``day`` from its children's statuses (one query)."""
    kinds: dict[int, set[str]] = defaultdict(set)
    for family_id, kind in (
        ChildStatus.objects.current_on(day)
        .filter(family_id__in=family_ids)
        .values_list("family_id", "kind")
    ):
        kinds[family_id].add(kind)
    return {
        family_id: next(
            (plan for kind, plan in PRECEDENCE if kind in kinds[family_id]), PlanType.OTHER
        ).value
        for family_id in family_ids
    }


@dataclass(frozen=True)
class Candidate:
    family_id: int
    team_id: int
    plan_type: str
    worker_id: int | None


def candidates(day: datetime.date, teams: list[Team]) -> dict[int, list[Candidate]]:
    """The families each pod may have drawn on ``day``, by team id, in order of their key."""
    since = months_before(day, RECENTLY_AUDITED_MONTHS)
    held = PodAllocation.objects.current_on(day).filter(team__in=teams)
    open_episode = Episode.objects.filter(family=OuterRef("pk"), start__lte=day).exclude(
        end__lt=day
    )
    recently = Audit.objects.filter(
        family=OuterRef("pk"), created__date__gt=since, created__date__lte=day
    )
    rows = list(
        Family.objects.filter(pod_allocations__in=held, restricted=False)
        .filter(Exists(open_episode))
        .exclude(Exists(recently))
        .values_list("pk", "pod_allocations__team_id")
        .order_by("pk")
    )
    family_ids = [pk for pk, _team in rows]
    plans = plan_type_on(family_ids, day)
    workers = dict(
        Allocation.objects.current_on(day)
        .filter(family_id__in=family_ids)
        .values_list("family_id", "worker_id")
    )
    by_team: dict[int, list[Candidate]] = {team.pk: [] for team in teams}
    for family_id, team_id in rows:
        if team_id in by_team:
            by_team[team_id].append(
                Candidate(family_id, team_id, plans[family_id], workers.get(family_id))
            )
    return by_team


def allocate(sizes: dict[str, int], places: int) -> dict[str, int]:
    """Share ``places`` between strata of ``sizes`` in proportion (largest remainder), at
    least one for every non-empty stratum when there are places for each, never more than a
    stratum holds. Strata are taken in ``STRATA`` order wherever there is a tie."""
    order = [stratum for stratum in STRATA if sizes.get(stratum, 0) > 0]
    total = sum(sizes[stratum] for stratum in order)
    if total <= places:
        return {stratum: sizes[stratum] for stratum in order}
    quotas = {stratum: places * sizes[stratum] / total for stratum in order}
    if len(order) > places:  # too few places for one each: the largest strata get one
        largest = sorted(order, key=lambda s: (-quotas[s], order.index(s)))[:places]
        return {stratum: 1 for stratum in order if stratum in largest}
    shares = {stratum: max(1, int(quotas[stratum])) for stratum in order}
    while sum(shares.values()) > places:  # the minimum of one pushed us over: take back
        over = max(
            (s for s in order if shares[s] > 1),
            key=lambda s: (shares[s] - quotas[s], -order.index(s)),
        )
        shares[over] -= 1
    while sum(shares.values()) < places:
        under = max(
            (s for s in order if shares[s] < sizes[s]),
            key=lambda s: (quotas[s] - shares[s], -order.index(s)),
        )
        shares[under] += 1
    return shares


def draw(pool: list[Candidate], places: int, rng: random.Random) -> list[Candidate]:
    """A stratified random sample of one pod's ``pool`` (in order of family key)."""
    by_stratum: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in pool:
        by_stratum[candidate.plan_type].append(candidate)
    shares = allocate({s: len(c) for s, c in by_stratum.items()}, places)
    sample: list[Candidate] = []
    for stratum in STRATA:
        if shares.get(stratum):
            sample.extend(rng.sample(by_stratum[stratum], shares[stratum]))
    return sample
