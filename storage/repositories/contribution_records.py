"""Reading the contribution log back: one person's record, a group's, a period's."""

from __future__ import annotations

from storage.repositories.base import Repository


class ContributionRecords(Repository):
    """What the contribution log holds, gathered for views and the finance export."""
