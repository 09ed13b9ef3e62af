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


@dataclass(frozen=True)
class PersonForgotten:
    """Someone asked to be forgotten (/forget me): once the reply has gone, the platform
    keeps nothing that ties `user_ref` to the bot (like a direct conversation's record)."""

    platform: str
    user_ref: str


@dataclass(frozen=True)
class GroupChanged:
    """A command saved a change in this group (never reported for a private command, so
    nobody else's view changes at the moment someone writes, say, a concern): views kept
    up to date for its members (a Slack Home tab, a pinned summary) should look again."""

    group_id: int


Effect = GroupCreated | ScheduleChanged | PersonForgotten | GroupChanged
