"""Writes to the organisation. Each function is one business action, called alike from views,
admin, tasks and the seed command; each runs in one transaction, so nothing is half-saved.

Role and team changes are security events (DESIGN §5): the functions that make them write
them to the security log, with the actor (``actor``, and ``request`` for the address) when
the caller knows who it is; the seed and the nightly sync pass none."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.security_log import Kind, security_event_record
from pods.models import Absence, DutyRota, Team, TeamMembership, Worker

User = get_user_model()


def team_group_name(team_name: str) -> str:
    return f"Team: {team_name}"


@transaction.atomic
def team_create(
    *,
    name: str,
    kind: str,
    active_from: datetime.date,
    specialism: str = "",
    active_to: datetime.date | None = None,
) -> Team:
    group = Group.objects.create(name=team_group_name(name))
    team = Team(
        name=name,
        kind=kind,
        specialism=specialism,
        group=group,
        active_from=active_from,
        active_to=active_to,
    )
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_save(*, team: Team) -> Team:
    """Save a team edited in admin, creating or renaming its group to match."""
    if team.group_id is None:
        team.group = Group.objects.create(name=team_group_name(team.name))
    elif team.group.name != team_group_name(team.name):
        team.group.name = team_group_name(team.name)
        team.group.save(update_fields=["name"])
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def worker_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    fte: Decimal,
    start_date: datetime.date,
    employment: str = Worker.Employment.PERMANENT,
    newly_qualified: bool = False,
    specialism: str = "",
    leave_date: datetime.date | None = None,
    email: str = "",
    password: str | None = None,
    line_manager: Worker | None = None,
    actor=None,
    request=None,
) -> Worker:
    """Create the sign-in and the worker together. With no password the account cannot sign
    in until an administrator sets one."""
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    worker = Worker(
        user=user,
        role=role,
        fte=fte,
        start_date=start_date,
        leave_date=leave_date,
        employment=employment,
        newly_qualified=newly_qualified,
        specialism=specialism,
        line_manager=line_manager,
    )
    worker.full_clean()
    worker.save()
    _role_changed_record(worker=worker, old_role=None, actor=actor, request=request)
    return worker


@transaction.atomic
def worker_save(*, worker: Worker, actor=None, request=None) -> Worker:
    """Validate and save a worker (new or changed), as admin does: a role given or changed is
    written to the security log, and so is a new line manager (who may then read the
    worker's 1:1 wellbeing notes) or leave date (when their access ends); the worker's team
    groups follow a changed leave date."""
    old = (
        Worker.objects.select_for_update()
        .filter(pk=worker.pk)
        .values("role", "line_manager_id", "leave_date")
        .first()
        if worker.pk is not None
        else None
    )
    worker.full_clean()
    worker.save()
    old_role = old["role"] if old else None
    if worker.role != old_role:
        _role_changed_record(worker=worker, old_role=old_role, actor=actor, request=request)
    if old is not None:
        _access_changes_record(worker=worker, old=old, actor=actor, request=request)
    sync_worker_groups(worker=worker)
    return worker


def _access_changes_record(*, worker: Worker, old: dict, actor, request) -> None:
    changes = []
    if worker.line_manager_id != old["line_manager_id"]:
        before = Worker.objects.filter(pk=old["line_manager_id"]).first()
        changes.append(
            f"Line manager changed from {before or 'nobody'} to {worker.line_manager or 'nobody'}"
        )
    if worker.leave_date != old["leave_date"]:
        changes.append(f"Leave date changed from {old['leave_date']} to {worker.leave_date}")
    if changes:
        security_event_record(
            kind=Kind.USER_CHANGED,
            request=request,
            user=actor,
            target=worker,
            detail="; ".join(changes),
        )


def _role_changed_record(*, worker: Worker, old_role: str | None, actor, request) -> None:
    new = Worker.Role(worker.role).label
    detail = (
        f"Role given: {new}"
        if old_role is None
        else f"Role changed from {Worker.Role(old_role).label} to {new}"
    )
    security_event_record(
        kind=Kind.ROLE_CHANGED, request=request, user=actor, target=worker, detail=detail
    )


@transaction.atomic
def membership_save(
    *,
    membership: TeamMembership,
    today: datetime.date | None = None,
    actor=None,
    request=None,
) -> TeamMembership:
    """Validate and save a membership (new or changed), then bring the worker's team groups
    into step and write the change to the security log. The worker row is locked so two
    concurrent saves cannot both pass the one-pod-at-a-time check."""
    Worker.objects.select_for_update().filter(pk=membership.worker_id).first()
    before = (
        TeamMembership.objects.filter(pk=membership.pk).values("team_id", "start", "end").first()
        if membership.pk is not None
        else None
    )
    membership.full_clean()
    membership.save()
    sync_worker_groups(worker=membership.worker, today=today)
    detail = _membership_change(before, membership)
    if detail:
        security_event_record(
            kind=Kind.TEAM_CHANGED,
            request=request,
            user=actor,
            target=membership.worker,
            detail=detail,
        )
    return membership


def membership_start(
    *,
    worker: Worker,
    team: Team,
    start: datetime.date,
    end: datetime.date | None = None,
    today: datetime.date | None = None,
    actor=None,
    request=None,
) -> TeamMembership:
    return membership_save(
        membership=TeamMembership(worker=worker, team=team, start=start, end=end),
        today=today,
        actor=actor,
        request=request,
    )


def membership_end(
    *,
    membership: TeamMembership,
    end: datetime.date,
    today: datetime.date | None = None,
    actor=None,
    request=None,
) -> TeamMembership:
    membership.end = end
    return membership_save(membership=membership, today=today, actor=actor, request=request)


@transaction.atomic
def membership_delete(
    *,
    membership: TeamMembership,
    today: datetime.date | None = None,
    actor=None,
    request=None,
) -> None:
    worker = membership.worker
    detail = f"Membership of {membership.team} deleted ({_interval(membership)})"
    membership.delete()
    sync_worker_groups(worker=worker, today=today)
    security_event_record(
        kind=Kind.TEAM_CHANGED, request=request, user=actor, target=worker, detail=detail
    )


def _day(day: datetime.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else "none"


def _interval(membership: TeamMembership) -> str:
    start = _day(membership.start)
    return f"{start} to {_day(membership.end)}" if membership.end else f"{start} with no end date"


def _membership_change(before: dict | None, membership: TeamMembership) -> str:
    """How the security log says what a save changed; empty when it changed nothing."""
    if before is None:
        return f"Joined {membership.team} from {_interval(membership)}"
    changes = []
    if before["team_id"] != membership.team_id:
        old_team = Team.objects.filter(pk=before["team_id"]).first()
        changes.append(f"team from {old_team} to {membership.team}")
    for field in ("start", "end"):
        if before[field] != getattr(membership, field):
            changes.append(
                f"{field} from {_day(before[field])} to {_day(getattr(membership, field))}"
            )
    if not changes:
        return ""
    return (
        f"Membership of {membership.team} changed: {', '.join(changes)} "
        f"(now {_interval(membership)})"
    )


def sync_worker_groups(*, worker: Worker, today: datetime.date | None = None) -> None:
    """Make the worker's team groups exactly the groups of the teams they are in today, and
    none once they have left the service (whatever their memberships say). Groups that belong
    to no team (for example admin groups) are left alone."""
    today = today or timezone.localdate()
    user = worker.user
    has_left = worker.leave_date is not None and worker.leave_date < today
    current = set()
    if not has_left:
        current = set(
            Team.objects.filter(
                memberships__in=TeamMembership.objects.current_on(today).filter(worker=worker)
            ).values_list("group_id", flat=True)
        )
    held = set(user.groups.filter(team__isnull=False).values_list("id", flat=True))
    if held - current:
        user.groups.remove(*(held - current))
    if current - held:
        user.groups.add(*(current - held))


def leaver_sign_in_close(*, worker: Worker, today: datetime.date | None = None) -> bool:
    """Switch off the sign-in of a worker whose last day has passed. Never switches one back
    on: an administrator may have suspended someone still employed. Returns whether it did."""
    today = today or timezone.localdate()
    if worker.leave_date is None or worker.leave_date >= today or not worker.user.is_active:
        return False
    worker.user.is_active = False
    worker.user.save(update_fields=["is_active"])
    return True


def sync_all_team_groups(*, today: datetime.date | None = None) -> int:
    """Bring every worker's team groups into step and close the sign-ins of leavers; run
    daily because memberships and employment start and end on dates. An account with no
    Worker has no membership, so it loses any team group it holds. Returns how many
    workers were looked at."""
    today = today or timezone.localdate()
    workers = Worker.objects.select_related("user")
    for worker in workers:
        with transaction.atomic():
            sync_worker_groups(worker=worker, today=today)
            leaver_sign_in_close(worker=worker, today=today)
    team_groups_remove_from_accounts_without_worker()
    return len(workers)


@transaction.atomic
def team_groups_remove_from_accounts_without_worker() -> int:
    """Only the organisation's services put people in team groups, and only workers; an
    account with no Worker in one got there some other way (an administrator, a script), so
    it is taken out and the removal logged. Returns how many accounts were taken out."""
    accounts = list(User.objects.filter(worker__isnull=True, groups__team__isnull=False).distinct())
    for account in accounts:
        team_groups = list(account.groups.filter(team__isnull=False).order_by("name"))
        account.groups.remove(*team_groups)
        security_event_record(
            kind=Kind.TEAM_CHANGED,
            user=None,
            target=account,
            detail=f"Removed from {', '.join(g.name for g in team_groups)} by the nightly sync: "
            "no Worker",
        )
    return len(accounts)


@transaction.atomic
def absence_record(
    *, worker: Worker, start: datetime.date, end: datetime.date, kind: str
) -> Absence:
    absence = Absence(worker=worker, start=start, end=end, kind=kind)
    absence.full_clean()
    absence.save()
    return absence


@transaction.atomic
def duty_assign(*, team: Team, date: datetime.date, worker: Worker | None) -> DutyRota | None:
    """Put ``worker`` on duty for ``team`` on ``date`` (replacing whoever was), or clear the
    day when ``worker`` is None. The worker must be in the team and at work that day."""
    existing = DutyRota.objects.select_for_update().filter(team=team, date=date).first()
    if worker is None:
        if existing:
            existing.delete()
        return None
    day = existing or DutyRota(team=team, date=date)
    if day.worker_id == worker.pk:
        return day
    day.worker = worker
    day.full_clean()
    day.save()
    return day
