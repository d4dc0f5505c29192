"""Who may do what with a family's One Story, once they can see the family at all (that is
only ``Family.objects.visible_to``; DESIGN §5). Views, services and templates ask these."""

from __future__ import annotations

from families.models import Family
from families.permissions import can_user_write_case, is_manager_of_family_team
from onestory.models import Entry
from pods.permissions import is_pod_manager, is_student
from pods.selectors import worker_for


def can_user_write_story(user, family: Family) -> bool:
    """Entries and the summary are case narrative: business support read them, and do not
    write them (DESIGN §5)."""
    return can_user_write_case(user, family)


def needs_countersignature(user) -> bool:
    """A student's entry waits for a qualified colleague's countersignature."""
    return is_student(worker_for(user))


def can_user_countersign(user, entry: Entry) -> bool:
    """A qualified social worker other than the author."""
    worker = worker_for(user)
    return worker is not None and not is_student(worker) and user.pk != entry.author_id


def can_user_correct_entry(user, entry: Entry) -> bool:
    """A final entry is corrected by its author or by a pod manager, never silently by a
    colleague: the reason and the corrector go into the entry's history. Business support
    never do, even of an entry the service wrote for them (a call they took)."""
    if not entry.is_final or not can_user_write_story(user, entry.family):
        return False
    return user.pk == entry.author_id or is_pod_manager(worker_for(user))


def can_user_sign_off(user, family: Family) -> bool:
    """Assessments and plans are signed off by the manager of the family's pod."""
    return is_manager_of_family_team(user, family)


def can_user_challenge(user, entry: Entry) -> bool:
    """Anyone who writes the family's story logs a challenge a person makes to a final entry
    (a parent tells their worker, or any colleague in the pod)."""
    return entry.is_final and can_user_write_story(user, entry.family)


def can_user_answer_challenge(user, family: Family) -> bool:
    """The manager of the family's pod decides whether the record was wrong."""
    return is_manager_of_family_team(user, family)
