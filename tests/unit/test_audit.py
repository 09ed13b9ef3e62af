"""The audit log: facilitator actions are saved with the command's work, only when it
succeeds; /group log shows them to every member, newest last, 30 to a page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from handlers.core.router import Router
from scheduler.clock import VirtualClock
from storage.db import Database
from storage.models import AuditEntry, Person
from storage.repositories.audit import AuditLog
from tests.support import privately
from tests.unit.support import Chat, refused_without_change


@pytest.fixture
def chat(router: Router, clock: VirtualClock) -> Chat:
    return Chat(router, clock)


async def actions(db: Database) -> list[tuple[str, str | None]]:
    """Each entry's action and who did it (their platform id), oldest first."""
    async with db.sessions() as session:
        rows = await session.execute(
            select(AuditEntry.action, Person.external_id)
            .outerjoin(Person, Person.id == AuditEntry.person_id)
            .order_by(AuditEntry.id)
        )
        return [(action, who) for action, who in rows]


async def group(chat: Chat) -> None:
    await chat.say("alice", "/group setup Steering group")
    await chat.say("bob", "Hello")


async def log_of(chat: Chat, who: str, said: str = "/group log") -> str:
    return privately(await chat.say(who, said), who)


async def test_a_facilitator_action_is_saved_with_who_did_it(
    chat: Chat, database: Database
) -> None:
    await group(chat)
    await chat.say("alice", "/group timezone Europe/Paris")
    await chat.say("alice", "/group facilitator add @bob")
    assert await actions(database) == [
        ("set up this group", "alice"),
        ("changed the time zone to Europe/Paris", "alice"),
        ("made Bob a facilitator", "alice"),
    ]


async def test_a_refused_command_logs_nothing(chat: Chat, database: Database) -> None:
    await group(chat)
    await refused_without_change(
        chat, database, "alice", "/group timezone Mars/Base", "Nothing was changed"
    )
    await refused_without_change(chat, database, "bob", "/group timezone Europe/Paris", "Only")
    assert await actions(database) == [("set up this group", "alice")]


async def test_an_undescribed_facilitator_change_gets_a_plain_entry_without_its_words(
    chat: Chat, database: Database
) -> None:
    await group(chat)
    await chat.say("alice", "/icebreaker add Which biscuit would Sam Hargreaves dunk?")
    await chat.say("alice", "/icebreaker list")  # reading: nothing to log
    logged = await actions(database)
    assert logged[1:] == [("used /icebreaker add (add your own question for the group)", "alice")]
    assert not any("Hargreaves" in action or "biscuit" in action for action, _ in logged)


async def test_members_read_the_log_in_the_groups_time_with_newest_last(
    chat: Chat, clock: VirtualClock
) -> None:
    await group(chat)
    await chat.say("alice", "/group timezone America/New_York")
    clock.advance(timedelta(days=1, hours=2))
    await chat.say("alice", "/group breaks 45m")
    shown = await log_of(chat, "bob")
    assert "Times are in New York time." in shown
    first = shown.index("Mon 30 Nov 04:00 — Alice set up this group")
    last = shown.index("Tue 1 Dec 06:00 — Alice set break reminders to every 45 minutes")
    assert first < last
    assert "page" not in shown


async def test_an_empty_log_says_what_will_show(chat: Chat, database: Database) -> None:
    await group(chat)
    async with database.sessions() as session:  # a group set up before the log began
        await session.execute(delete(AuditEntry))
        await session.commit()
    assert "Nothing is in the log yet." in await log_of(chat, "bob")


async def test_the_log_shows_30_at_a_time_with_older_pages_and_all(
    chat: Chat, database: Database
) -> None:
    await group(chat)
    for hour in range(34):  # 35 entries with the set-up
        await chat.say("alice", f"/concern limit {hour % 20 + 1}", dm=True)
    newest = await log_of(chat, "bob")
    assert newest.count("—") == 30
    assert "set up this group" not in newest
    assert "This is page 1 of 2. Type /group log 2 to see older things" in newest
    older = await log_of(chat, "bob", "/group log 2")
    assert older.count("—") == 5 and "set up this group" in older
    assert "page" not in older.split("\n")[-1]
    everything = await log_of(chat, "bob", "/group log all")
    assert everything.count("—") == 35
    await refused_without_change(chat, database, "bob", "/group log 3", "there's no page 3")
    await refused_without_change(chat, database, "bob", "/group log soon", "page number")


async def test_a_forgotten_person_shows_as_a_former_member(
    chat: Chat, database: Database, clock: VirtualClock
) -> None:
    await group(chat)
    await chat.say("alice", "/group facilitator add @bob")
    await chat.say("bob", "/group aims Improve crisis care together")
    async with database.sessions() as session:
        await session.execute(
            update(Person).where(Person.external_id == "bob").values(forgotten_at=clock.now())
        )
        await session.execute(update(AuditEntry).where(AuditEntry.id == 1).values(person_id=None))
        await session.commit()
    shown = await log_of(chat, "alice")
    assert "— a former member set up this group" in shown
    assert "— a former member changed the group's aims" in shown
    assert "— Alice made Bob a facilitator" in shown  # until Bob's name is forgotten too
    async with database.sessions() as session:
        await AuditLog(session).forget_name("Bob")
        await session.commit()
    shown = await log_of(chat, "alice")
    assert "— Alice made a former member a facilitator" in shown
    assert "Bob" not in shown
