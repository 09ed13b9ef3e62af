"""The summary message each group keeps pinned in its room (on platforms that pin)."""

from __future__ import annotations

from storage.models import PinnedSummary
from storage.repositories.base import Repository


class PinnedSummaries(Repository):
    """Which message is each group's pinned summary, and what it shows."""

    async def of_group(self, group_id: int) -> PinnedSummary | None:
        """The group's pinned summary, if one was posted."""
        return await self.session.get(PinnedSummary, group_id)

    async def posted(self, group_id: int, event_id: str, digest: str) -> PinnedSummary:
        """Remember a newly posted summary."""
        row = PinnedSummary(
            group_id=group_id, event_id=event_id, digest=digest, edits=0, told_no_power=False
        )
        self.session.add(row)
        return row
