"""GitHub's repository roles, lowest first (commands check them; the REST helpers read them)."""

from __future__ import annotations

ROLES = ("none", "read", "triage", "write", "maintain", "admin")


def role_rank(role: str) -> int:
    """Position of ``role`` in :data:`ROLES`; an unknown (custom) role ranks as ``none``."""
    return ROLES.index(role) if role in ROLES else 0
