"""Which Slack workspace the work in hand is for (several-workspaces mode).

Set when a request is authorised (bot/platforms/slack/installations.py), kept with
the request's inbox row (`Work.team`), and set for each scheduled message from its
group's workspace (bot/platforms/slack/workspaces.py). The Web API client then
speaks as that workspace's bot. With one bot token it is always None.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_TEAM: ContextVar[str | None] = ContextVar("slack_team", default=None)


def current_team() -> str | None:
    """The workspace (team id) the work in hand is for; None with one bot token."""
    return _TEAM.get()


def use_team(team: str | None) -> None:
    """From now on in this task (and tasks it starts), the work is for this workspace."""
    _TEAM.set(team)


@contextlib.contextmanager
def in_team(team: str | None) -> Iterator[None]:
    """The work inside is for this workspace."""
    token = _TEAM.set(team)
    try:
        yield
    finally:
        _TEAM.reset(token)
