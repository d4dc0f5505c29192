"""Writes of the quality-assurance programme: draw a quarter's sample, give an audit its
auditor (with a time-limited grant when they are outside the family's pod), record the
auditor's grades and actions, moderate. Each is one transaction; refusals are
``ValidationError``s with a message a person can act on, keyed by the form field they concern."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from families import services as family_services
from families.models import Allocation, FamilyGrant
from families.selectors import current_team
from feedback.audits import sampling
from feedback.models.audits import (
    Audit,
    AuditAction,
    AuditArea,
    AuditGrade,
    AuditProgramme,
    Grade,
)
from pods import permissions as pod_permissions
from pods.models import Team, Worker
from pods.selectors import worker_for

# The grant lasts to the end of the quarter and this many days more, for moderation.
GRANT_MARGIN_DAYS = 21
ALREADY_UNDER_WAY = (
    "{programme} cannot be drawn again: {count} of its audits already have an auditor. "
    "Draw again only before any auditor is assigned"
)
PER_POD_RANGE = "Enter a number of families per pod between 1 and 50"
NOT_A_PRACTITIONER = (
    "{name} cannot audit: auditors are qualified practitioners (social workers, senior social "
    "workers, reviewing officers, lead practitioners, pod managers and the principal social "
    "worker)"
)
AUDITOR_IS_WORKER = (
    "{name} is the family's worker, so cannot audit the record alone: choose a practitioner "
    "who does not work with the family, or choose a self-audit with their manager"
)
SELF_AUDIT_NOT_WORKER = (
    "A self-audit is done by the family's own worker with their manager, and {name} is not "
    "the family's worker"
)
NO_MANAGER = "A self-audit needs the pod manager of {team} as moderator, and {team} has none today"
AUDITOR_HAS_LEFT = "{name} no longer works for the service: choose someone in post"
SELF_START_NOT_WORKER = "Only the family's allocated worker can start a self-audit of its record"
SELF_START_OPEN = (
    "The record already has an audit under way ({audit}): finish that one before starting another"
)
NOT_SAMPLED = "This audit already has an auditor"
NOT_OPEN_FOR_GRADES = "This audit has been submitted, so its grades can no longer be changed"
GRADE_NEEDED = "Choose a grade for {area}"
GRADE_OFF_SCALE = "Choose a grade for {area} from the four-point scale"
OVERALL_NEEDED = "Choose the overall grade"
OVERALL_OFF_SCALE = "Choose the overall grade from the four-point scale"
FINDINGS_NEEDED = "Enter what the audit found"
ACTION_DUE_NEEDED = "Enter the date action {n} is due by"
ACTION_TEXT_NEEDED = "Enter what is to be done for action {n}"
ACTION_DUE_PAST = "The due date of action {n} must be today or later"
NO_OWNER = (
    "The family has no allocated worker to own the actions: ask the pod manager to allocate "
    "the family, or leave the actions empty"
)
NOT_SUBMITTED = "Only a submitted audit can be moderated"
MODERATOR_IS_AUDITOR = "You audited this record, so another manager must moderate it"
NOT_THE_MANAGER = "Only the pod manager of the family's pod can moderate its audit"
REASON_FOR_CHANGE = "Say why you changed the overall grade"


@dataclass(frozen=True)
class AreaGrade:
    area: str
    grade: int | None
    comment: str = ""


@dataclass(frozen=True)
class ActionDraft:
    text: str
    due: datetime.date | None


def _pods(day: datetime.date) -> list[Team]:
    return list(Team.objects.pods().active_on(day).order_by("pk"))


@transaction.atomic
def programme_draw(
    *, year: int, quarter: int, per_pod: int, by, day: datetime.date | None = None
) -> AuditProgramme:
    """Create (or redraw) the quarter's programme and its sample of audits, one set per pod.

    A redraw replaces the audits still waiting for an auditor, and is refused once any has
    one; the same data and programme give the same sample (sampling.rng_for)."""
    if not 1 <= per_pod <= 50:
        raise ValidationError({"per_pod": PER_POD_RANGE})
    day = day or timezone.localdate()
    programme, _created = AuditProgramme.objects.select_for_update().get_or_create(
        year=year, quarter=quarter, defaults={"per_pod": per_pod}
    )
    under_way = programme.audits.exclude(status=Audit.Status.SAMPLED).count()
    if under_way:
        raise ValidationError(ALREADY_UNDER_WAY.format(programme=programme, count=under_way))
    programme.audits.all().delete()
    programme.per_pod = per_pod
    programme.drawn = timezone.now()
    programme.drawn_by = by
    programme.save()
    teams = _pods(day)
    pools = sampling.candidates(day, teams)
    audits = [
        Audit(
            programme=programme,
            family_id=candidate.family_id,
            team_id=candidate.team_id,
            plan_type=candidate.plan_type,
            worker_id=candidate.worker_id,
        )
        for team in teams
        for candidate in sampling.draw(
            pools[team.pk], per_pod, sampling.rng_for(year, quarter, team.pk)
        )
    ]
    for audit in audits:
        audit.save()  # one by one, so each has its history from the start
    return programme


def _family_worker_id(audit: Audit) -> int | None:
    """The family's allocated worker now, else its worker when drawn."""
    current = (
        Allocation.objects.filter(family=audit.family, end__isnull=True)
        .values_list("worker_id", flat=True)
        .first()
    )
    return current or audit.worker_id


def grant_expiry(programme: AuditProgramme | None) -> datetime.datetime:
    """When an auditor's grant ends: midnight after the quarter's last day and the margin,
    but at least the margin from now (an audit assigned late) and never beyond the longest
    grant families.services allows."""
    now = timezone.now()
    end = timezone.localdate()
    if programme is not None:
        end = sampling.quarter_bounds(programme.year, programme.quarter)[1]
    until = timezone.make_aware(
        datetime.datetime.combine(
            end + datetime.timedelta(days=GRANT_MARGIN_DAYS + 1), datetime.time()
        )
    )
    latest = now + datetime.timedelta(days=family_services.MAX_GRANT_DAYS)
    earliest = now + datetime.timedelta(days=GRANT_MARGIN_DAYS)
    return min(max(until, earliest), latest)


def pod_manager_of(team: Team, day: datetime.date) -> Worker | None:
    return (
        pod_permissions.members_on(team, day)
        .filter(role=Worker.Role.POD_MANAGER)
        .order_by("pk")
        .first()
    )


def can_be_auditor(worker: Worker) -> bool:
    return worker.role in AUDITOR_ROLES


AUDITOR_ROLES = {
    Worker.Role.SOCIAL_WORKER,
    Worker.Role.SENIOR_SOCIAL_WORKER,
    Worker.Role.REVIEWING_OFFICER,
    Worker.Role.LEAD_PRACTITIONER,
    Worker.Role.POD_MANAGER,
    Worker.Role.PRINCIPAL_SOCIAL_WORKER,
}


@transaction.atomic
def audit_assign(*, audit: Audit, auditor: Worker, self_audit: bool, by, request=None) -> Audit:
    """Give a sampled audit its auditor. Someone outside the family's pod is given an audit
    grant through the family's door, to the end of the quarter and a margin; a self-audit is
    the family's worker with their pod manager named as moderator."""
    audit = (
        Audit.objects.select_for_update(of=("self",))
        .select_related("programme", "family")
        .get(pk=audit.pk)
    )
    today = timezone.localdate()
    name = auditor.name
    if audit.status != Audit.Status.SAMPLED:
        raise ValidationError(NOT_SAMPLED)
    if auditor.role not in AUDITOR_ROLES:
        raise ValidationError({"auditor": NOT_A_PRACTITIONER.format(name=name)})
    if not Worker.objects.employed_on(today).filter(pk=auditor.pk).exists():
        raise ValidationError({"auditor": AUDITOR_HAS_LEFT.format(name=name)})
    is_worker = auditor.pk == _family_worker_id(audit)
    team = current_team(audit.family) or audit.team
    if self_audit:
        if not is_worker:
            raise ValidationError({"auditor": SELF_AUDIT_NOT_WORKER.format(name=name)})
        manager = pod_manager_of(team, today)
        if manager is None:
            raise ValidationError({"self_audit": NO_MANAGER.format(team=team.name)})
        audit.moderator = manager.user
    elif is_worker:
        raise ValidationError({"auditor": AUDITOR_IS_WORKER.format(name=name)})
    if not pod_permissions.is_member(auditor, team, today):
        audit.grant = family_services.grant_give(
            family=audit.family,
            user=auditor.user,
            kind=FamilyGrant.Kind.AUDIT,
            reason=f"Quality-assurance audit ({audit.programme or 'outside the programme'})",
            expires=grant_expiry(audit.programme),
            granted_by=by,
            request=request,
        )
    audit.auditor = auditor.user
    audit.self_audit = self_audit
    audit.status = Audit.Status.ASSIGNED
    audit.save()
    return audit


@transaction.atomic
def audit_self_start(*, family, by, request=None) -> Audit:
    """A worker audits their own case with their manager ("social workers audit their own
    work in order to learn"): an audit outside the quarterly programme, assigned to them as a
    self-audit with their pod manager as moderator. It is not in the programme's results,
    which are those of the random sample."""
    worker = worker_for(by)
    current = (
        Allocation.objects.filter(family=family, end__isnull=True)
        .values_list("worker_id", flat=True)
        .first()
    )
    if worker is None or worker.pk != current:
        raise ValidationError(SELF_START_NOT_WORKER)
    under_way = family.audits.exclude(status=Audit.Status.MODERATED).first()
    if under_way is not None:
        raise ValidationError(
            SELF_START_OPEN.format(audit=under_way.programme or "outside the programme")
        )
    today = timezone.localdate()
    audit = Audit.objects.create(
        programme=None,
        family=family,
        team=current_team(family),
        plan_type=sampling.plan_type_on([family.pk], today)[family.pk],
        worker=worker,
    )
    return audit_assign(audit=audit, auditor=worker, self_audit=True, by=by, request=request)


def _check_grades(grades: list[AreaGrade], overall, findings: str, submit: bool) -> dict:
    errors: dict[str, str] = {}
    for row in grades:
        label = AuditArea(row.area).label
        if row.grade is None:
            if submit:
                errors[f"grade_{row.area}"] = GRADE_NEEDED.format(area=label.lower())
        elif row.grade not in Grade.values:
            errors[f"grade_{row.area}"] = GRADE_OFF_SCALE.format(area=label.lower())
    if overall is None:
        if submit:
            errors["overall"] = OVERALL_NEEDED
    elif overall not in Grade.values:
        errors["overall"] = OVERALL_OFF_SCALE
    if submit and not findings.strip():
        errors["findings"] = FINDINGS_NEEDED
    return errors


def _check_actions(actions: list[ActionDraft], today: datetime.date) -> dict:
    errors: dict[str, str] = {}
    for n, action in enumerate(actions, start=1):
        if not action.text.strip() and action.due is None:
            continue
        if not action.text.strip():
            errors[f"action_{n}_text"] = ACTION_TEXT_NEEDED.format(n=n)
        if action.due is None:
            errors[f"action_{n}_due"] = ACTION_DUE_NEEDED.format(n=n)
        elif action.due < today:
            errors[f"action_{n}_due"] = ACTION_DUE_PAST.format(n=n)
    return errors


@transaction.atomic
def audit_record(
    *,
    audit: Audit,
    grades: list[AreaGrade],
    overall: int | None,
    findings: str,
    learning: str,
    actions: list[ActionDraft],
    submit: bool,
    by,
) -> Audit:
    """Save the auditor's grades, findings, learning and actions; ``submit`` sends the audit
    for moderation, and needs every area and the whole graded and the findings written.
    The actions given replace the audit's actions: they belong to the family's worker."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != Audit.Status.ASSIGNED:
        raise ValidationError(NOT_OPEN_FOR_GRADES)
    today = timezone.localdate()
    errors = _check_grades(grades, overall, findings, submit) | _check_actions(actions, today)
    wanted = [action for action in actions if action.text.strip()]
    owner_id = _family_worker_id(audit)
    if wanted and owner_id is None and not errors:
        errors["action_1_text"] = NO_OWNER
    if errors:
        raise ValidationError(errors)
    for row in grades:
        if row.grade is None:
            AuditGrade.objects.filter(audit=audit, area=row.area).delete()
        else:
            AuditGrade.objects.update_or_create(
                audit=audit, area=row.area, defaults={"grade": row.grade, "comment": row.comment}
            )
    audit.actions.all().delete()
    if wanted:
        owner = Worker.objects.select_related("user").get(pk=owner_id).user
        for action in wanted:
            AuditAction.objects.create(
                audit=audit, text=action.text.strip(), due=action.due, owner=owner, created_by=by
            )
    audit.overall = overall
    audit.findings = findings.strip()
    audit.learning = learning.strip()
    if submit:
        audit.auditor_overall = overall
        audit.status = Audit.Status.SUBMITTED
        audit.submitted = timezone.now()
    audit.save()
    return audit


@transaction.atomic
def audit_moderate(*, audit: Audit, grade: int, note: str, by, request=None) -> Audit:
    """A manager of the family's pod, who did not audit it, agrees or changes the overall
    grade; an audit grant given for it ends now."""
    audit = (
        Audit.objects.select_for_update(of=("self",))
        .select_related("grant", "family")
        .get(pk=audit.pk)
    )
    if audit.status != Audit.Status.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED)
    if audit.auditor_id == by.pk:
        raise ValidationError(MODERATOR_IS_AUDITOR)
    team = current_team(audit.family) or audit.team
    if not pod_permissions.manages(worker_for(by), team, timezone.localdate()):
        raise ValidationError(NOT_THE_MANAGER)
    if grade not in Grade.values:
        raise ValidationError({"grade": OVERALL_OFF_SCALE})
    if grade != audit.auditor_overall and not note.strip():
        raise ValidationError({"note": REASON_FOR_CHANGE})
    audit.overall = grade
    audit.moderation_note = note.strip()
    audit.moderator = by
    audit.moderated = timezone.now()
    audit.status = Audit.Status.MODERATED
    audit.save()
    if audit.grant is not None and audit.grant.revoked is None:
        family_services.grant_revoke(grant=audit.grant, by=by, request=request)
    return audit


@transaction.atomic
def audit_action_done(*, action: AuditAction, day: datetime.date | None = None) -> AuditAction:
    action.done = day or timezone.localdate()
    action.save()
    return action
