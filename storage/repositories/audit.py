"""The audit log of facilitator actions."""

from __future__ import annotations

from storage.repositories.base import Repository


class AuditLog(Repository):
    """Facilitator actions in a group, in plain words, oldest first."""
