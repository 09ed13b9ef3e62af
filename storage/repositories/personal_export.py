"""Everything the bot holds about one person, gathered for /prefs export."""

from __future__ import annotations

from storage.repositories.base import Repository


class PersonalExport(Repository):
    """Reads every row about one person, in every group, for their own export."""
