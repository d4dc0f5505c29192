"""Who may see and do what with complaints, compliments, surveys and audits. Views and templates
ask these functions; nothing else checks roles for feedback.

A complaint or compliment about a family is case data: it is seen only through the family's
door (``Family.objects.visible_to``), except by the complaints officer, whose job is every
complaint. Staff survey answers are anonymous: nobody may see who gave an answer, because
nothing records it."""

from __future__ import annotations

from pods import permissions as pod_permissions
from pods.selectors import worker_for

# --- complaints and compliments ---------------------------------------------------------------


def can_user_manage_complaints(user) -> bool:
    """The complaints officer records, extends, answers and escalates every complaint."""
    return pod_permissions.is_complaints_officer(worker_for(user))


# --- surveys ------------------------------------------------------------------------------------


# --- audits -------------------------------------------------------------------------------------
