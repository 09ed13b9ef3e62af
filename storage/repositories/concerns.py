"""Anonymous concerns, their drafts and quotas: nothing here links a concern to a person."""

from __future__ import annotations

from storage.repositories.base import Repository


class Concerns(Repository):
    """Concerns waiting, shared or withheld, found by group, batch or receipt."""

