"""Side effects a command reports as values, for the platform to act on.

Platforms never read a command's text to learn what it did: the router hands
them these values in its Result.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GroupCreated:
    """A group was set up in this channel: the platform may add who is already there."""

    group_id: int
    channel: str


@dataclass(frozen=True)
class ScheduleChanged:
    """Something that decides what is due changed: the delivery engine should look again."""


Effect = GroupCreated | ScheduleChanged
