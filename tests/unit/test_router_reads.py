"""Read-only commands read what they need once, and write nothing.

A signed Slack request waits on every statement a command sends, so a read that
comes back (the speaker's membership, the group's meetings, an item lead's name)
is time a member waits for their answer. The ceilings here are today's counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from bot.app import App
from handlers.core.router import Incoming, Result
from handlers.followups import name_of
from storage.repositories.erasure import FORMER_MEMBER
from storage.uow import UnitOfWork
from tests.support import GROUP, privately, say
from tests.unit.test_agenda import group_with_meeting, with_items

#: The most statements each command may send, for a member in a group with a meeting
#: and five agenda items. /agenda: who is speaking, the group with their membership,
#: the meetings, moved or cancelled dates, ended meetings, the items, the leads' names.
CEILINGS = {"/agenda": 7, "/meeting": 5, "/roles": 10, "/help": 2}


@contextmanager
def statements(app: App) -> Iterator[list[str]]:
    """Every SQL statement sent to the database inside the block."""
    sent: list[str] = []

    def record(*args: Any) -> None:
        sent.append(args[2])  # (connection, cursor, statement, parameters, context, many)

    engine = app.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def bob_says(app: App, said: str) -> tuple[Result, list[str]]:
    """bob says `said` in the group's channel; what he got and the statements sent."""
    with statements(app) as sent:
        result = await app.handle(Incoming("console", "bob", "bob", said, GROUP))
    return result, sent


@pytest.fixture
async def busy(app: App) -> App:
    """A group with a meeting and five agenda items, two of them led by members."""
    await group_with_meeting(app)
    await with_items(app)
    await say(app, "alice", "/agenda add Thanks and close minutes 5")
    return app


async def test_showing_reads_each_thing_once_and_writes_nothing(busy: App) -> None:
    for said, ceiling in CEILINGS.items():
        result, sent = await bob_says(busy, said)
        assert privately(result, "bob"), said
        assert len(sent) <= ceiling, (said, sent)
        assert not result.wrote and not result.changes_schedule, said
        writes = [s for s in sent if s.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
        assert writes == [], said
    shown = privately((await bob_says(busy, "/agenda"))[0], "bob")
    assert "Budget for 2027 (20 min) - led by carol" in shown
    assert "Crisis care stories (30 min) - led by bob" in shown


async def test_a_membership_read_once_is_not_kept_after_it_ends(busy: App) -> None:
    async with UnitOfWork(busy.db.sessions) as uow:
        group = await uow.groups.in_channel("console", GROUP)
        carol = await uow.people.find("console", "carol")
        bob = await uow.people.find("console", "bob")
        assert group is not None and carol is not None and bob is not None
        assert await name_of(uow, carol.id, group_id=group.id) == "carol"
        assert await uow.groups.membership(group.id, bob.id) is not None
        assert await uow.groups.leave(group, carol)
        await uow.people.not_a_person(bob)  # removed with one DELETE statement
        assert await uow.groups.membership(group.id, carol.id) is None
        assert await uow.groups.membership(group.id, bob.id) is None
        assert await name_of(uow, carol.id, group_id=group.id) == FORMER_MEMBER
