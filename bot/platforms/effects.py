"""What a platform does with the side effects a command reports.

Platforms learn what a command did from the values in its `Result`, never by
reading the command's text: `GroupCreated` (add the people already in that
channel) and `Result.changes_schedule` (wake the delivery engine).
"""

from __future__ import annotations

from collections.abc import Callable

from handlers.core.effects import GroupChanged, GroupCreated, PersonForgotten
from handlers.core.router import Result

#: Asks the delivery engine to look again at what is due (the runtime's `Wakeups.poke`).
Wake = Callable[[], None]


def no_wake() -> None:
    """The wake-up until the runtime gives a platform one: there is nothing to wake."""


def new_groups(result: Result) -> list[str]:
    """The channels the command just made groups, where the people already there join."""
    return [effect.channel for effect in result.effects if isinstance(effect, GroupCreated)]


def forgotten(result: Result) -> list[str]:
    """The platform ids of people the command forgot: keep nothing more that ties them to us."""
    return [e.user_ref for e in result.effects if isinstance(e, PersonForgotten)]


def wake_if_changed(result: Result, wake: Wake) -> None:
    """Wake the delivery engine, but only when the command saved something."""
    if result.changes_schedule:
        wake()


def changed_groups(result: Result) -> list[int]:
    """The groups the command changed, whose members' kept-up-to-date views should refresh."""
    return sorted({e.group_id for e in result.effects if isinstance(e, GroupChanged)})
