"""What a person may do with a family they can see. Seeing a family at all is decided only by
``Family.objects.visible_to`` (families/models/visibility.py); these checks come after it, so a
refusal here (403) never reveals a family that the person could not already see."""

from __future__ import annotations

from django.utils import timezone

from families.models import Allocation, Family
from families.selectors import current_team
from pods.models import TeamMembership, Worker
from pods.selectors import worker_for

# Roles that write case records. Business support read and schedule, but do not write the
# family's story (DESIGN §5).
CASE_WRITER_ROLES = {
    Worker.Role.POD_MANAGER,
    Worker.Role.SENIOR_SOCIAL_WORKER,
    Worker.Role.SOCIAL_WORKER,
    Worker.Role.STUDENT_SOCIAL_WORKER,
    Worker.Role.LEAD_PRACTITIONER,
}
# Roles that can hold a family as its allocated worker.
CASE_HOLDER_ROLES = [
    Worker.Role.SOCIAL_WORKER,
    Worker.Role.SENIOR_SOCIAL_WORKER,
    Worker.Role.STUDENT_SOCIAL_WORKER,
    Worker.Role.POD_MANAGER,
]
REFERRER_ROLES = CASE_WRITER_ROLES | {Worker.Role.BUSINESS_SUPPORT_OFFICER}


def _role(user) -> str | None:
    worker = worker_for(user)
    return worker.role if worker else None


def is_manager_of_family_team(user, family: Family) -> bool:
    """The user manages the team that holds the family (or held it last)."""
    worker = worker_for(user)
    team = current_team(family)
    return (
        worker is not None
        and team is not None
        and worker.role == Worker.Role.POD_MANAGER
        and TeamMembership.objects.current_on(timezone.localdate())
        .filter(worker=worker, team=team)
        .exists()
    )


def is_allocated_worker(user, family: Family) -> bool:
    worker = worker_for(user)
    return (
        worker is not None
        and Allocation.objects.filter(family=family, worker=worker, end__isnull=True).exists()
    )


def can_user_write_case(user, family: Family) -> bool:
    return _role(user) in CASE_WRITER_ROLES


def can_user_hold_families(user) -> bool:
    """Roles that can be a family's allocated worker, and so have "my families"."""
    return _role(user) in CASE_HOLDER_ROLES


def can_user_refer(user) -> bool:
    return _role(user) in REFERRER_ROLES


def can_user_allocate(user, family: Family) -> bool:
    return is_manager_of_family_team(user, family)


def can_user_give_access(user, family: Family) -> bool:
    """The pod manager, and the family's own worker (to invite a lead practitioner)."""
    return is_manager_of_family_team(user, family) or is_allocated_worker(user, family)


can_user_view_access_log = can_user_give_access


def can_user_restrict(user, family: Family) -> bool:
    return is_manager_of_family_team(user, family)


def can_user_break_glass(user) -> bool:
    return _role(user) == Worker.Role.SENIOR_LEADER
