"""Someone who leaves the group's channel stops being a member, after a kind goodbye;
another bot is never a member, so it gets no packs and isn't counted."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, say, texts

MEETING = datetime(2026, 12, 12, 14, 0, tzinfo=UTC)


async def members(app: App) -> str:
    return texts(await say(app, "alice", "/group"))


async def test_leaving_ends_membership_after_a_kind_goodbye(app: App, clock: VirtualClock) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-12 14:00 for 2h")
    goodbye = await app.router.leave("console", "group", "bob")
    assert [item.address.user for item in goodbye.sent] == ["bob"]
    said = texts(goodbye)
    assert "You've left Steering group" in said and "say something in its channel" in said
    assert "- bob" not in await members(app)
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, MEETING)
    assert sender.to("dm:bob") == []  # no pack, no reminders
    assert (await app.router.leave("console", "group", "bob")).sent == []  # only once


async def test_another_bot_is_never_a_member(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    now = app.clock.now()
    assert not await app.router.join("console", "group", "helper-bot", "Helper", now, is_bot=True)
    await say(app, "carol", "hello")
    assert await app.router.join("console", "group", "carol", "carol", now)
    await app.router.not_a_person("console", "carol")  # carol turned out to be a bot
    assert (await say(app, "carol", "/agenda")).sent == []  # a bot is never answered
    shown = await members(app)
    assert "Members (1)" in shown and "carol" not in shown and "Helper" not in shown


async def test_a_facilitator_is_never_taken_for_a_bot(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await app.router.not_a_person("console", "alice")  # alice sent what bots usually send
    assert "Members (1)" in await members(app)
