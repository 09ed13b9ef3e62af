"""What every Matrix bot test needs: a world (homeserver, bot, people, database, clock),
the bot running in the test's loop, members with real clients, and group rooms.

The bot runs on a fresh SQLite database with a virtual clock; deliveries are
driven with fast_forward (no waiting for reminders). Usernames are unique per
test: the homeserver is shared by the whole session.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app import build_app
from bot.config import MatrixSettings
from bot.platforms.matrix.calls import Tuning
from bot.platforms.matrix.platform import AlongsideMatrix
from scheduler.clock import VirtualClock
from tests.integration.matrix.homeserver import Homeserver, RegisteredUser
from tests.integration.matrix.members import Member, Seen, start_members

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
FAST = Tuning(
    sync_timeout_ms=5_000,
    request_timeout=20,
    attempts=4,
    backoff=0.05,
    backoff_cap=0.5,
    room_wait=15,
)


@dataclass
class World:
    """A homeserver, a registered bot and people, one database and one clock."""

    server: Homeserver
    bot: RegisteredUser
    people: dict[str, RegisteredUser]
    database_url: str
    store: Path
    clock: VirtualClock


async def make_world(server: Homeserver, tmp_path: Path, *names: str) -> World:
    """Register the bot and people with unique names (the homeserver is shared)."""
    suffix = uuid.uuid4().hex[:8]
    bot = await server.aregister_user(f"alongside-{suffix}", "bot-password")
    people = {n: await server.aregister_user(f"{n}-{suffix}", f"{n}-password") for n in names}
    return World(
        server,
        bot,
        people,
        f"sqlite:///{tmp_path / 'bot.db'}",
        tmp_path / "store",
        VirtualClock(START),
    )


@asynccontextmanager
async def running_bot(
    world: World, tuning: Tuning = FAST, **settings: Any
) -> AsyncIterator[AlongsideMatrix]:
    """The bot on the world's database, store and clock, stopped (not logged out) after."""
    app = await build_app(world.database_url, world.clock)
    options: dict[str, Any] = {"encrypt_dms": False, **settings}
    platform = AlongsideMatrix(
        app,
        MatrixSettings(
            homeserver=world.server.base_url,
            user_id=world.bot.user_id,
            password=world.bot.password,
            store_path=str(world.store),
            **options,
        ),
        tuning,
    )
    await platform.start()
    try:
        yield platform
    finally:
        await platform.stop()
        await app.close()


@asynccontextmanager
async def people(world: World, *names: str, e2e: Path | None = None) -> AsyncIterator[list[Member]]:
    """Members with real clients (E2E stores under `e2e` when given)."""
    members = [
        Member(world.server, world.people[n], world.bot.user_id, store_dir=e2e / n if e2e else None)
        for n in names
    ]
    await start_members(members)
    try:
        yield members
    finally:
        for member in members:
            await member.close()


async def group_room(
    world: World, owner: Member, others: list[Member], name: str, **options: Any
) -> str:
    """A room with the bot and everyone in it, made a group by `owner`."""
    room = await owner.create_room(
        name, invite=[world.bot.user_id, *(m.user_id for m in others)], **options
    )
    for member in others:
        await member.join(room)
    await owner.until(lambda: owner.in_room(room, world.bot.user_id), "the bot to join")
    await owner.say(room, f"/group setup {name}")
    await owner.hears(f"Welcome to {name}", room)
    return room


def name(member: Member) -> str:
    """The name the bot calls a member by (their localpart: nobody set a display name)."""
    return member.user_id[1:].partition(":")[0]


async def dm_room(member: Member) -> str:
    """The member's direct room with the bot (the bot opens it with its first private word)."""
    await member.until(lambda: len(member.dm_rooms) == 1, "one DM with the bot")
    (room,) = member.dm_rooms
    return room


async def settle(*members: Member) -> None:
    """One more sync each, so counts of what people saw are final."""
    for member in members:
        await member.sync(wait_ms=200)


def once(member: Member, text: str, room_id: str | None = None, dm: bool | None = None) -> Seen:
    """The one message from the bot saying `text` there: exactly one, pinging nobody."""
    found = member.bot_said(text, room_id, dm)
    assert len(found) == 1, (member.user_id, text, [s.body[:80] for s in found])
    assert found[0].content.get("m.mentions") == {}, found[0].content
    return found[0]


def never(member: Member, text: str, room_id: str | None = None, dm: bool | None = None) -> None:
    """The bot never said `text` to this member there."""
    found = member.bot_said(text, room_id, dm)
    assert found == [], (member.user_id, text, [s.body[:80] for s in found])


def quiet(*members: Member) -> None:
    """Every message from the bot that these members saw pings nobody and is a notice."""
    for member in members:
        for seen in member.from_bot():
            assert seen.content.get("m.mentions") == {}, seen.content
            assert seen.content.get("msgtype") == "m.notice", seen.content


async def open_dm(world: World, member: Member) -> str:
    """The member opens a direct room with the bot themselves (as Element does)."""
    room = await member.create_room("", invite=[world.bot.user_id], direct=True)
    await member.until(lambda: member.in_room(room, world.bot.user_id), "the bot in the DM")
    return room
