"""Access needs written with /prefs access reach the facilitators, privately, in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, say, texts

NEEDS = "Papers a week ahead, large print"
MEETING = datetime(2026, 12, 12, 14, 0, tzinfo=UTC)


async def setup(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await say(app, "carol", "hello")
    await say(app, "bob", f"/prefs access {NEEDS}", dm=True)
    await say(app, "alice", "/meeting new Steering 2026-12-12 14:00 for 2h")


async def test_facilitators_get_access_needs_with_the_pack_and_members_do_not(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await setup(app)
    await fast_forward(engine, clock, MEETING - timedelta(days=3) + timedelta(minutes=1))
    to_alice = [r for r in sender.received if r.where == "dm:alice" and r.key.startswith("access")]
    assert len(to_alice) == 1 and f"bob: {NEEDS}" in to_alice[0].text
    assert not any(NEEDS in r.text for r in sender.received if r.where != "dm:alice")


async def test_group_shows_access_needs_to_facilitators_only(app: App) -> None:
    await setup(app)
    assert f"bob: {NEEDS}" in texts(await say(app, "alice", "/group"))
    assert NEEDS not in texts(await say(app, "carol", "/group"))
