"""Leaving a group, or being forgotten: rows about a person removed or anonymised."""

from __future__ import annotations

from storage.repositories.base import Repository


class Erasure(Repository):
    """Deletes a person's rows, or keeps the group's record with 'a former member'."""
