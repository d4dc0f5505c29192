"""Who may see and do what with complaints, compliments, surveys and audits. Views and templates
ask these functions; nothing else checks roles for feedback.

A complaint or compliment about a family is case data: it is seen only through the family's
door (``Family.objects.visible_to``), except by the complaints officer, whose job is every
complaint. Staff survey answers are anonymous: nobody may see who gave an answer, because
nothing records it."""

from __future__ import annotations

from django.utils import timezone

from families.models import Family
from families.permissions import is_manager_of_family_team
from pods import permissions as pod_permissions
from pods.models import Worker
from pods.selectors import worker_for

# --- complaints and compliments ---------------------------------------------------------------


def can_user_manage_complaints(user) -> bool:
    """The complaints officer records, extends, answers and escalates every complaint."""
    return pod_permissions.is_complaints_officer(worker_for(user))


def can_user_oversee_complaints(user) -> bool:
    """The complaints officer (every complaint) and pod managers (their pod's): the roles
    that have a "Complaints" link. Asked on every page, so it reads no table."""
    worker = worker_for(user)
    return pod_permissions.is_complaints_officer(worker) or pod_permissions.is_pod_manager(worker)


def can_user_see_complaints(user) -> bool:
    """Whether the complaints list is for them: those who oversee complaints, and a worker a
    complaint is about (who sees that it exists and its outcome)."""
    if can_user_oversee_complaints(user):
        return True
    worker = worker_for(user)
    return worker is not None and worker.complaints.exists()


def can_user_read_complaint_words(user, complaint) -> bool:
    """Whether they may read what the complainant said, who they are, and the response, on
    a complaint they can see (``feedback.complaints.selectors.complaints_visible_to``). A
    complaint about a family is case data: only those who can see the family read its words
    (the complaints officer reads every complaint: it is their job). The worker it is about
    who cannot see the family learns only that it exists, its stages and its outcome."""
    if can_user_manage_complaints(user):
        return True
    if complaint.family_id is None:
        return True
    return Family.objects.visible_to(user).filter(pk=complaint.family_id).exists()


def can_user_see_complainant_contact(user) -> bool:
    """The complainant's address and email are for writing to them: the complaints officer's."""
    return can_user_manage_complaints(user)


def can_user_record_compliments(user) -> bool:
    """Compliments are recorded by the complaints officer (who keeps feedback) and by
    business support and pod managers, who take most of them by phone or post."""
    worker = worker_for(user)
    return (
        pod_permissions.is_complaints_officer(worker)
        or pod_permissions.is_business_support(worker)
        or pod_permissions.is_pod_manager(worker)
    )


# --- surveys ------------------------------------------------------------------------------------

# Those who run surveys and read every wave's results: the service's leaders and the principal
# social worker (who owns practice standards). A pod manager reads their own pod's results.
SURVEY_LEADER_ROLES = {Worker.Role.SENIOR_LEADER, Worker.Role.PRINCIPAL_SOCIAL_WORKER}


def can_user_run_surveys(user) -> bool:
    """Create waves and ask people: senior leaders and the principal social worker."""
    worker = worker_for(user)
    return worker is not None and worker.role in SURVEY_LEADER_ROLES


def can_user_see_wave_results(user, wave) -> bool:
    """The whole wave's results: its owner, senior leaders and the principal social worker."""
    return wave.owner_id == user.pk or can_user_run_surveys(user)


def survey_teams_for(user):
    """The pods whose slice of results a pod manager reads (their own, today)."""
    return pod_permissions.managed_pods(worker_for(user), timezone.localdate())


def can_user_see_team_results(user, wave, team) -> bool:
    """One team's slice: whoever sees the whole wave, and the team's pod manager. A slice of
    fewer than five shows no figure (feedback/surveys/results.py), whoever reads it."""
    if can_user_see_wave_results(user, wave):
        return True
    if wave.team_id is not None and wave.team_id != team.pk:
        return False
    return survey_teams_for(user).filter(pk=team.pk).exists()


def can_user_see_surveys(user) -> bool:
    """Whether the Surveys link is for them: those who run surveys and pod managers (their
    pod's results). Asked on every page, so it reads no table."""
    return can_user_run_surveys(user) or pod_permissions.is_pod_manager(worker_for(user))


def can_user_ask_for_wave(user, wave) -> bool:
    """Those who run surveys ask anyone; a pod manager asks the parents and carers of the
    families they can see (the form checks each family through the door)."""
    if can_user_run_surveys(user):
        return True
    return wave.instrument.audience != wave.instrument.Audience.STAFF and (
        pod_permissions.is_pod_manager(worker_for(user))
    )


def can_user_moderate_comments(user, wave) -> bool:
    """Comments are the wave's owner's to publish or withhold; until then only they read them."""
    return wave.owner_id == user.pk


def can_user_enter_interview(user, wave) -> bool:
    """Any worker who can see the family (the view opens it through the door first) enters a
    telephone interview, for an instrument that is not anonymous."""
    return worker_for(user) is not None and not wave.instrument.anonymous


# --- audits -------------------------------------------------------------------------------------


def _is_principal_social_worker(worker) -> bool:
    return worker is not None and worker.role == Worker.Role.PRINCIPAL_SOCIAL_WORKER


def can_user_run_audit_programme(user) -> bool:
    """The principal social worker draws each quarter's sample: the programme is theirs."""
    return _is_principal_social_worker(worker_for(user))


def can_user_see_audit_programme(user) -> bool:
    """The programme's list of audits: the principal social worker (every pod) and pod
    managers (their pods), who assign the auditors."""
    worker = worker_for(user)
    return _is_principal_social_worker(worker) or pod_permissions.is_pod_manager(worker)


def can_user_see_audit_results(user) -> bool:
    """The results: senior leaders and the principal social worker (every pod), pod managers
    (their own pods)."""
    worker = worker_for(user)
    return can_user_see_audit_programme(user) or pod_permissions.is_senior_leader(worker)


def audit_teams_for(user):
    """The pods whose audits ``user`` sees in the programme and the results: None for every
    pod (senior leaders, the principal social worker), else the pods they manage today."""
    worker = worker_for(user)
    if _is_principal_social_worker(worker) or pod_permissions.is_senior_leader(worker):
        return None
    return list(pod_permissions.managed_pods(worker, timezone.localdate()))


def can_user_assign_auditor(user, audit) -> bool:
    """The principal social worker, or the pod manager of the pod the family was drawn in."""
    worker = worker_for(user)
    return _is_principal_social_worker(worker) or pod_permissions.manages(
        worker, audit.team, timezone.localdate()
    )


def can_user_start_self_audit(user, family) -> bool:
    """The family's allocated worker offers to audit their own record with their manager."""
    worker = worker_for(user)
    return (
        worker is not None and family.allocations.filter(end__isnull=True, worker=worker).exists()
    )


def can_user_grade_audit(user, audit) -> bool:
    """The auditor, and in a self-audit the manager doing it with them, until it is
    submitted."""
    return audit.status == audit.Status.ASSIGNED and (
        audit.auditor_id == user.pk or (audit.self_audit and audit.moderator_id == user.pk)
    )


def can_user_moderate_audit(user, audit, family) -> bool:
    """The pod manager of the family's pod, who did not audit it, once it is submitted."""
    return (
        audit.status == audit.Status.SUBMITTED
        and audit.auditor_id != user.pk
        and is_manager_of_family_team(user, family)
    )


def can_user_complete_audit_action(user, action, family) -> bool:
    """The worker who owns the action, or the manager of the family's pod."""
    return action.owner_id == user.pk or is_manager_of_family_team(user, family)
