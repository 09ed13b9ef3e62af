"""The contribution log's records: who was there, time given, expenses, payment choices."""

from __future__ import annotations

from storage.repositories.base import Repository


class Contributions(Repository):
    """Recording contributions: presence at meetings, time, expenses and payment choices."""
