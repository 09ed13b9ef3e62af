"""Actions: who may give them, reminders the day before and on the day (once each, with a
Done button), and "done" works and stops reminders. (Open actions in the pack: see
test_decisions.py, which follows the loop to the next pack.)"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import all_refused, refused, say, texts
from tests.unit.followup_support import (
    got,
    group_that_met,
    kinds,
    press,
)


async def test_reminders_come_once_each_with_a_done_button_that_works(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    engine = app.delivery(sender)
    result = await say(app, "alice", "/action Book a bigger room owner @bob by 2026-12-10")
    post = texts(result)
    assert "Action 1: Book a bigger room" in post
    assert "bob will do this by Thursday 10 December" in post
    assert result.sent[0].address.channel == "group"
    assert "bob will get reminders. Either of you can mark it done with /action done 1." in (
        texts(result)
    )
    await say(app, "alice", "/action Send the survey owner @dan by 2026-12-10")
    await say(app, "dan", "/action done 2")  # done early: dan gets no reminders

    await fast_forward(engine, clock, datetime(2026, 12, 9, 9, 59, tzinfo=UTC))
    assert kinds(sender, "dm:bob", "action") == []
    await fast_forward(engine, clock, datetime(2026, 12, 10, 10, 1, tzinfo=UTC))
    assert kinds(sender, "dm:bob", "action") == ["actionbefore", "actionday"]
    assert kinds(sender, "dm:dan", "action") == []
    before = got(sender, "dm:bob", "actionbefore")[0]
    assert (
        "A gentle reminder: action 1 is due tomorrow (Thursday 10 December): Book a bigger room"
    ) in before
    assert "1. Done" in before

    listed = texts(await say(app, "carol", "/action"))
    assert "Action 1: Book a bigger room (bob, by Thursday 10 December)" in listed
    assert "Send the survey" not in listed
    done = await press(app, sender, "bob", "Done")  # the button on the reminder
    assert "Action 1 is done: Book a bigger room" in texts(done)
    assert "Thank you, bob" in texts(done)
    assert "no open actions" in texts(await say(app, "carol", "/action"))
    await fast_forward(engine, clock, datetime(2026, 12, 20, tzinfo=UTC))
    assert kinds(sender, "dm:bob", "action") == ["actionbefore", "actionday"]


async def test_who_may_give_and_close_actions(app: App, clock: VirtualClock) -> None:
    await group_that_met(app, clock)
    mine = await say(app, "dan", "/action Send the survey link by 2026-12-18")
    assert "dan will do this by Friday 18 December" in texts(mine)
    await refused(
        app,
        "dan",
        "/action Bring biscuits owner @bob by 2026-12-18",
        "can give an action to someone else",
    )
    await refused(app, "bob", "/action done 1", "Only dan, the person who added it")
    assert "is done" in texts(await say(app, "alice", "/action done 1"))
    await refused(app, "dan", "/action done 1", "already done")


async def test_bad_input_changes_nothing(app: App, clock: VirtualClock) -> None:
    await group_that_met(app, clock)
    await all_refused(
        app,
        [
            ("alice", "/action Book a room", "and by when"),
            ("alice", "/action Book a room by post", "as a date"),
            ("alice", "/action Book a room by 2026-12-01", "as a date"),
            ("alice", "/action Book a room owner @zed by 2026-12-20", "zed"),
            ("alice", "/action by 2026-12-20", "what the action is"),
            ("alice", "/action done 9", "no action 9"),
            ("alice", "/action done x", "start with the action's number"),
        ],
    )
