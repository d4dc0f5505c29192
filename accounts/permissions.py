"""Who may do what with accounts and the security log. Views and templates ask these checks,
never ``is_superuser`` directly, so the rule has one place to change."""

from __future__ import annotations


def can_user_read_security_log(user) -> bool:
    """Administrators (superusers) read and export the security log. Its rows name workers,
    addresses and family references, so nobody else sees it: to them the page does not exist."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)
