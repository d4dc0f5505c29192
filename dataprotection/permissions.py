"""Who may do what with retention and subject access requests. Views and templates ask these;
nothing else checks roles for data protection.

The data protection officer keeps the retention rules and legal holds, reviews what has passed
its date, and handles subject access requests. The review list names families by reference
and rule only, never a name or a line of the record: deciding that a record has passed its
date needs its dates, not its contents."""

from __future__ import annotations

from pods import permissions as pod_permissions
from pods.selectors import worker_for


def can_user_manage_retention(user) -> bool:
    return pod_permissions.is_data_protection_officer(worker_for(user))


def can_user_handle_access_requests(user) -> bool:
    return pod_permissions.is_data_protection_officer(worker_for(user))
