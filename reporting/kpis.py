"""The KPI registry: every figure the service reports, each one function
``(period, scope) -> value`` with its definition in its docstring, registered once with its
name, unit, direction and the scopes it supports. The monthly report, the dashboards and the
exports read this registry and nothing else, so a later issue adds a KPI here (complaints,
audits, surveys) without touching them.

Every KPI is computed in the database from effective-dated records for the instant it names,
so any past month can be computed today and gives the same answer it gave then. "At the month
end" means on the last day of the period; "in the month" means from its first to its last
day, both included."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from families.models import Allocation, ChildStatus, Episode, Family, FamilyMember, PodAllocation
from onestory.models import Assessment
from onestory.timeliness import visit_counts
from pods.models import Team, TeamMembership, Worker, current_on
from supervision.models import (
    GroupSupervision,
    OneToOneSupervision,
    ReflectivePracticeGroup,
    RPGSession,
)

AUTHORITY, TEAM, WORKER = "authority", "team", "worker"
SOCIAL_WORKERS = (Worker.Role.SOCIAL_WORKER, Worker.Role.SENIOR_SOCIAL_WORKER)


# --- periods and scopes ----------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month."""

    year: int
    month: int

    @classmethod
    def of(cls, day: datetime.date) -> Period:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``YYYY-MM``; ValueError with a message a person can act on otherwise."""
        try:
            year, month = (int(part) for part in text.strip().split("-"))
            period = cls(year, month)
            period.start  # noqa: B018 - validates the month
        except (ValueError, TypeError):
            raise ValueError(
                f"{text!r} is not a month: write it as YYYY-MM, e.g. 2025-03"
            ) from None
        return period

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)

    def minus(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 - months
        return Period(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return self.start.strftime("%B %Y")


@dataclass(frozen=True)
class Scope:
    """The authority, one team, or one worker."""

    kind: str
    team: Team | None = None
    worker: Worker | None = None

    @classmethod
    def authority(cls) -> Scope:
        return cls(AUTHORITY)

    @classmethod
    def of_team(cls, team: Team) -> Scope:
        return cls(TEAM, team=team)

    @classmethod
    def of_worker(cls, worker: Worker) -> Scope:
        return cls(WORKER, worker=worker)

    @property
    def label(self) -> str:
        if self.kind == TEAM:
            return self.team.name
        if self.kind == WORKER:
            return self.worker.name
        return settings.PODS_COUNCIL_NAME


# --- the registry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KPI:
    key: str
    name: str
    unit: str  # "children", "families", "%", "per FTE", "sessions", ...
    up_is_good: bool | None  # None: neither (a count to watch)
    scopes: tuple[str, ...]
    compute: Callable[[Period, Scope], Decimal | int | None]
    published: str = ""  # the ground-truth key the demo generator counts, when it counts it

    @property
    def definition(self) -> str:
        return " ".join((self.compute.__doc__ or "").split())

    def value(self, period: Period, scope: Scope):
        if scope.kind not in self.scopes:
            raise ValueError(f"{self.name} is not reported for a {scope.kind}")
        return self.compute(period, scope)


REGISTRY: dict[str, KPI] = {}


def kpi(key, name, unit, *, up_is_good=None, scopes=(AUTHORITY, TEAM, WORKER), published=""):
    """Register the decorated function as a KPI."""

    def register(compute):
        if key in REGISTRY:
            raise ValueError(f"KPI {key!r} is registered twice")
        REGISTRY[key] = KPI(key, name, unit, up_is_good, tuple(scopes), compute, published)
        return compute

    return register


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to one decimal place; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ratio(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- who is in scope ---------------------------------------------------------------------------


def _families(scope: Scope, day: datetime.date) -> QuerySet[Family]:
    """Families open on the day, held by the scope on the day."""
    families = Family.objects.filter(
        Exists(Episode.objects.filter(current_on(day), family=OuterRef("pk")))
    )
    return _held(families, scope, day, "pk")


def _held(rows: QuerySet, scope: Scope, day: datetime.date, family_path: str) -> QuerySet:
    if scope.kind == TEAM:
        return rows.filter(
            Exists(
                PodAllocation.objects.filter(
                    current_on(day), team=scope.team, family=OuterRef(family_path)
                )
            )
        )
    if scope.kind == WORKER:
        return rows.filter(
            Exists(
                Allocation.objects.filter(
                    current_on(day), worker=scope.worker, family=OuterRef(family_path)
                )
            )
        )
    return rows


def _statuses(scope: Scope, day: datetime.date, kind: str) -> QuerySet[ChildStatus]:
    return _held(ChildStatus.objects.filter(current_on(day), kind=kind), scope, day, "family_id")


def _staff(scope: Scope, day: datetime.date, roles=SOCIAL_WORKERS) -> QuerySet[Worker]:
    """Workers in the roles employed on the day (in the team on the day, for a team)."""
    workers = Worker.objects.employed_on(day).filter(role__in=roles)
    if scope.kind == TEAM:
        workers = workers.filter(
            Exists(
                TeamMembership.objects.filter(
                    current_on(day), team=scope.team, worker=OuterRef("pk")
                )
            )
        )
    elif scope.kind == WORKER:
        workers = workers.filter(pk=scope.worker.pk)
    return workers


def children_behind(key: str, period: Period, scope: Scope) -> QuerySet[FamilyMember] | None:
    """The children a child-counting KPI counts (for the drill-down list), or None for a KPI
    that does not count children."""
    day = period.end
    if key == "open_children":
        return FamilyMember.objects.filter(relationship="child", family__in=_families(scope, day))
    kinds = {
        "cp_children": (ChildStatus.Kind.CP_PLAN, None),
        "children_in_care": (ChildStatus.Kind.LOOKED_AFTER, None),
        "children_in_care_excl_uasc": (ChildStatus.Kind.LOOKED_AFTER, False),
    }
    if key not in kinds:
        return None
    kind, uasc = kinds[key]
    statuses = _statuses(scope, day, kind)
    if uasc is not None:
        statuses = statuses.filter(uasc=uasc)
    return FamilyMember.objects.filter(
        relationship="child",
        person_id__in=statuses.values("person_id"),
        family_id__in=statuses.values("family_id"),
    )


# --- families and children -------------------------------------------------------------------


@kpi("open_children", "Open children", "children", published="open_children")
def open_children(period: Period, scope: Scope) -> int:
    """Children (people recorded as a child of the family) in families with an episode open
    at the month end; for a team or worker, families they hold at the month end."""
    return FamilyMember.objects.filter(
        relationship="child", family__in=_families(scope, period.end)
    ).count()


@kpi("open_families", "Open families", "families", published="open_families")
def open_families(period: Period, scope: Scope) -> int:
    """Families with an episode open at the month end (held by the team or worker then)."""
    return _families(scope, period.end).count()


@kpi("cp_children", "Children on child protection plans", "children", published="cp_children")
def cp_children(period: Period, scope: Scope) -> int:
    """Children with a child protection plan at the month end."""
    return (
        _statuses(scope, period.end, ChildStatus.Kind.CP_PLAN).values("person").distinct().count()
    )


@kpi("children_in_care", "Children in care", "children", published="children_in_care")
def children_in_care(period: Period, scope: Scope) -> int:
    """Children looked after at the month end, unaccompanied asylum-seeking children included."""
    return (
        _statuses(scope, period.end, ChildStatus.Kind.LOOKED_AFTER)
        .values("person")
        .distinct()
        .count()
    )


@kpi(
    "children_in_care_excl_uasc",
    "Children in care, excluding UASC",
    "children",
    published="children_in_care_excl_uasc",
)
def children_in_care_excl_uasc(period: Period, scope: Scope) -> int:
    """Children looked after at the month end whose looked-after status is not marked as an
    unaccompanied asylum-seeking child's."""
    return (
        _statuses(scope, period.end, ChildStatus.Kind.LOOKED_AFTER)
        .filter(uasc=False)
        .values("person")
        .distinct()
        .count()
    )


@kpi(
    "care_applications_in_quarter",
    "Care applications in the quarter",
    "applications",
    scopes=(AUTHORITY, TEAM),
    published="care_applications_in_quarter",
)
def care_applications_in_quarter(period: Period, scope: Scope) -> int:
    """Children whose care proceedings began in the three calendar months ending with the
    month (this month and the two before); for a team, families it held when they began."""
    first = period.minus(2).start
    applications = ChildStatus.objects.filter(
        kind=ChildStatus.Kind.CARE_PROCEEDINGS, start__range=(first, period.end)
    )
    if scope.kind == TEAM:
        applications = applications.filter(
            Exists(
                PodAllocation.objects.filter(
                    team=scope.team,
                    family=OuterRef("family_id"),
                    start__lte=OuterRef("start"),
                ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef("start")))
            )
        )
    return applications.values("person").distinct().count()


# --- the workforce -----------------------------------------------------------------------------


@kpi("caseload", "Children per social worker FTE", "children per FTE", up_is_good=False,
     scopes=(AUTHORITY, TEAM, WORKER))  # fmt: skip
def caseload(period: Period, scope: Scope) -> Decimal | None:
    """Open children allocated at the month end to social workers and senior social workers,
    divided by the full-time equivalent of the social workers and senior social workers
    employed then (in the team then, for a team). For one worker: their children divided by
    their FTE."""
    day = period.end
    staff = _staff(scope, day)
    fte = staff.aggregate(fte=Coalesce(Sum("fte"), Decimal(0)))["fte"]
    held = Allocation.objects.filter(current_on(day), worker__in=staff).values("family")
    children = FamilyMember.objects.filter(
        relationship="child", family__in=_families(Scope.authority(), day).filter(pk__in=held)
    ).count()
    return ratio(children, fte)


@kpi("agency_rate", "Agency social workers", "%", up_is_good=False, scopes=(AUTHORITY, TEAM))
def agency_rate(period: Period, scope: Scope) -> Decimal | None:
    """Agency staff among the social workers and senior social workers employed at the month
    end, as a percentage of their headcount."""
    counts = _staff(scope, period.end).aggregate(
        all=Count("pk"), agency=Count("pk", filter=Q(employment=Worker.Employment.AGENCY))
    )
    return percent(counts["agency"], counts["all"])


@kpi("turnover", "Social worker turnover, 12 months", "%", up_is_good=False,
     scopes=(AUTHORITY,))  # fmt: skip
def turnover(period: Period, scope: Scope) -> Decimal | None:
    """Social workers and senior social workers whose last day fell in the 12 months ending
    at the month end, as a percentage of the average of their headcount on the first day of
    those 12 months and at the month end."""
    first = period.minus(11).start
    leavers = Worker.objects.filter(
        role__in=SOCIAL_WORKERS, leave_date__range=(first, period.end)
    ).count()
    headcount = (
        _staff(scope, first - datetime.timedelta(days=1)).count()
        + _staff(scope, period.end).count()
    )
    return percent(leavers * 2, headcount)


# --- continuity ---------------------------------------------------------------------------------


@kpi("changes_of_worker", "Changes of social worker per child, 12 months", "per child",
     up_is_good=False, scopes=(AUTHORITY, TEAM))  # fmt: skip
def changes_of_worker(period: Period, scope: Scope) -> Decimal | None:
    """Changes of social worker in the 12 months ending at the month end (an allocation that
    replaced another worker in the same episode; an episode's first allocation is not a
    change) in the families open at the month end, per open child."""
    families = _families(scope, period.end)
    changes = Allocation.objects.filter(
        is_change_of_worker=True,
        start__gte=period.minus(11).start,
        start__lte=period.end,
        family__in=families,
    ).count()
    children = FamilyMember.objects.filter(relationship="child", family__in=families).count()
    if not children:
        return None
    return (Decimal(changes) / children).quantize(Decimal("0.01"), ROUND_HALF_UP)


@kpi("one_worker_12_months", "Children with one social worker in 12 months", "%",
     up_is_good=True, scopes=(AUTHORITY, TEAM))  # fmt: skip
def one_worker_12_months(period: Period, scope: Scope) -> Decimal | None:
    """Open children at the month end whose family had no change of social worker in the 12
    months ending then, as a percentage of open children."""
    families = _families(scope, period.end)
    changed = Allocation.objects.filter(
        is_change_of_worker=True,
        start__gte=period.minus(11).start,
        start__lte=period.end,
        family=OuterRef("family_id"),
    )
    counts = FamilyMember.objects.filter(relationship="child", family__in=families).aggregate(
        all=Count("pk"), steady=Count("pk", filter=~Q(Exists(changed)))
    )
    return percent(counts["steady"], counts["all"])


def _re_referrals(period: Period):
    """Episodes beginning in the month within 12 months of the end of the family's previous
    episode, with the worker who last held the previous one."""
    previous = Episode.objects.filter(family=OuterRef("family_id"), end__lt=OuterRef("start"))
    return (
        Episode.objects.filter(start__range=(period.start, period.end))
        .annotate(
            previous_end=Subquery(previous.order_by("-end").values("end")[:1]),
            previous_id=Subquery(previous.order_by("-end").values("pk")[:1]),
        )
        .filter(previous_end__gte=F("start") - datetime.timedelta(days=365))
    )


@kpi("re_referrals", "Re-referrals within 12 months", "families", up_is_good=False,
     scopes=(AUTHORITY,))  # fmt: skip
def re_referrals(period: Period, scope: Scope) -> int:
    """Families whose episode began in the month within 12 months of the end of their
    previous episode."""
    return _re_referrals(period).count()


@kpi("re_referrals_same_worker", "Re-referrals back to the same worker", "%", up_is_good=True,
     scopes=(AUTHORITY,))  # fmt: skip
def re_referrals_same_worker(period: Period, scope: Scope) -> Decimal | None:
    """Of the re-referrals in the month, the percentage whose first social worker was the one
    who last held the family's previous episode (the continuity rule)."""
    last_worker = Allocation.objects.filter(episode_id=OuterRef("previous_id")).order_by("-start")
    first_worker = Allocation.objects.filter(episode_id=OuterRef("pk")).order_by("start")
    counts = (
        _re_referrals(period)
        .annotate(
            last_worker=Subquery(last_worker.values("worker_id")[:1]),
            first_worker=Subquery(first_worker.values("worker_id")[:1]),
        )
        .aggregate(all=Count("pk"), same=Count("pk", filter=Q(last_worker=F("first_worker"))))
    )
    return percent(counts["same"], counts["all"])


# --- practice ----------------------------------------------------------------------------------


@kpi("assessments_in_timescale", "Assessments completed within 45 working days", "%",
     up_is_good=True, scopes=(AUTHORITY, TEAM))  # fmt: skip
def assessments_in_timescale(period: Period, scope: Scope) -> Decimal | None:
    """Of the assessments completed in the month, the percentage completed by their due date
    (45 working days from the start, England and Wales bank holidays skipped)."""
    completed = _held(
        Assessment.objects.filter(completed__range=(period.start, period.end)),
        scope,
        period.end,
        "family_id",
    )
    counts = completed.aggregate(
        all=Count("pk"), in_time=Count("pk", filter=Q(completed__lte=F("due")))
    )
    return percent(counts["in_time"], counts["all"])


@kpi("visits_in_timescale", "Children seen within timescale", "%", up_is_good=True)
def visits_in_timescale(period: Period, scope: Scope) -> Decimal | None:
    """Children on a child protection or child in need plan, or looked after, at the month end
    who were not overdue a statutory visit then (seen on a final home visit within the
    interval for their status: 10 working days on a CP plan, 6 weeks looked after, 20 working
    days on a CIN plan, by default), as a percentage of them. A child with more than one
    status is overdue when any of them is. Working days skip weekends and England and Wales
    bank holidays."""
    children, in_time = visit_counts(_families(scope, period.end), period.end)
    return percent(in_time, children)


@kpi("one_to_ones_in_timescale", "1:1 supervision within timescale", "%", up_is_good=True,
     scopes=(AUTHORITY, TEAM))  # fmt: skip
def one_to_ones_in_timescale(period: Period, scope: Scope) -> Decimal | None:
    """Pod staff other than pod managers, employed and in a pod at the month end, whose last
    1:1 supervision on or before the month end was within their interval (every 4 weeks; 2 for
    the newly qualified), as a percentage of them."""
    day = period.end
    pods = Team.objects.filter(kind=Team.Kind.POD) if scope.kind == AUTHORITY else [scope.team]
    staff = (
        Worker.objects.employed_on(day)
        .exclude(role=Worker.Role.POD_MANAGER)
        .filter(
            Exists(
                TeamMembership.objects.filter(current_on(day), team__in=pods, worker=OuterRef("pk"))
            )
        )
    )
    regular = datetime.timedelta(days=settings.PODS_ONE_TO_ONE_DAYS)
    newly = datetime.timedelta(days=settings.PODS_ONE_TO_ONE_DAYS_NEWLY_QUALIFIED)
    recent = OneToOneSupervision.objects.filter(supervisee=OuterRef("pk"), date__lte=day)
    counts = staff.aggregate(
        all=Count("pk"),
        in_time=Count(
            "pk",
            filter=(Q(newly_qualified=False) & Exists(recent.filter(date__gte=day - regular)))
            | (Q(newly_qualified=True) & Exists(recent.filter(date__gte=day - newly))),
        ),
    )
    return percent(counts["in_time"], counts["all"])


@kpi("group_supervision_sessions", "Group supervision sessions per pod", "sessions",
     up_is_good=True, scopes=(AUTHORITY, TEAM))  # fmt: skip
def group_supervision_sessions(period: Period, scope: Scope) -> Decimal | None:
    """Group supervision sessions held in the month, per pod (for a team: its sessions)."""
    sessions = GroupSupervision.objects.filter(date__range=(period.start, period.end))
    if scope.kind == TEAM:
        return Decimal(sessions.filter(pod=scope.team).count())
    pods = Team.objects.active_on(period.end).filter(kind=Team.Kind.POD).count()
    return ratio(sessions.count(), pods)


@kpi("rpg_attendance", "Reflective practice group attendance", "%", up_is_good=True,
     scopes=(AUTHORITY,))  # fmt: skip
def rpg_attendance(period: Period, scope: Scope) -> Decimal | None:
    """Attendances at reflective practice group sessions held in the month, as a percentage
    of the places (each group's members and facilitators at each session)."""
    sessions = RPGSession.objects.filter(date__range=(period.start, period.end))
    came = RPGSession.attendees.through.objects.filter(rpgsession__in=sessions).count()
    # One row per session and member (or facilitator) of its group: the places offered.
    members = ReflectivePracticeGroup.members.through.objects.filter(
        reflectivepracticegroup__sessions__in=sessions
    ).count()
    facilitators = ReflectivePracticeGroup.facilitators.through.objects.filter(
        reflectivepracticegroup__sessions__in=sessions
    ).count()
    return percent(came, members + facilitators)
