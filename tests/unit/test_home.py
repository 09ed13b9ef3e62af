"""/home: one person's next meeting, roles, actions and preferences; facilitators' extras."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from bot.platforms.text import render_text
from handlers.core.effects import GroupChanged
from handlers.core.messages import Choices
from handlers.home.summary import group_summary
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.uow import UnitOfWork
from tests.support import RecordingSender, choose, privately, say

MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
PACK_DUE = MEETING - timedelta(days=3)


async def group(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    for name in ("bob", "carol", "dan", "erin", "femi"):
        await say(app, name, "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h at Room 4")
    await say(app, "bob", "/agenda add Crisis line waiting times minutes 30")


async def test_a_member_sees_their_meeting_agenda_and_own_actions_with_done_buttons(
    app: App,
) -> None:
    await group(app)
    await say(app, "alice", "/action Book a bigger room owner @bob by 10 December")
    await say(app, "alice", "/action Write to the board owner @carol by 10 December")
    result = await say(app, "bob", "/home", dm=True)
    shown = privately(result, "bob")
    assert "Next meeting: Steering, Saturday 5 December, 14:00 to 16:00" in shown
    assert "Where: Room 4" in shown
    assert "Crisis line waiting times" in shown
    assert "The pack for this meeting goes out on Wednesday 2 December." in shown
    assert "Action 1: Book a bigger room" in shown
    assert "Write to the board" not in shown  # carol's, not bob's
    assert "Reminders come in a direct message." in shown
    buttons = [
        o for b in result.sent[0].message.blocks if isinstance(b, Choices) for o in b.options
    ]
    done = next(o for o in buttons if o.label == "Action 1 is done")
    assert done.command == "/action done 1"
    assert all(o.label != "Action 2 is done" for o in buttons)
    await choose(app, "bob", done)
    after = privately(await say(app, "bob", "/home", dm=True), "bob")
    assert "Book a bigger room" not in after
    assert "You have no open actions or decisions." in after
    assert "For facilitators" not in after  # bob is a member, not a facilitator


async def test_a_facilitator_sees_a_count_of_concerns_to_review_and_never_who_wrote(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    await say(app, "bob", "/concern The room was too hot", dm=True)
    await say(app, "carol", "/concern I felt rushed", dm=True)
    # Concerns can be reviewed only from the day before they are shared.
    early = privately(await say(app, "alice", "/home", dm=True), "alice")
    assert "ready to review" not in early
    assert "Still to do before the group is ready:" in early
    await fast_forward(app.delivery(RecordingSender()), clock, PACK_DUE - timedelta(hours=20))
    shown = privately(await say(app, "alice", "/home", dm=True), "alice")
    assert "2 concerns are ready to review before the group sees them." in shown
    for giveaway in ("bob", "carol", "too hot", "rushed"):
        assert giveaway not in shown.lower(), giveaway
    member = privately(await say(app, "dan", "/home", dm=True), "dan")
    assert "ready to review" not in member


async def test_a_change_names_its_group_but_a_private_command_never_does(app: App) -> None:
    await group(app)
    added = await say(app, "carol", "/agenda add Budget")
    assert GroupChanged(1) in added.effects
    concern = await say(app, "bob", "/concern The room was too hot", dm=True)
    assert not any(isinstance(e, GroupChanged) for e in concern.effects)
    looked = await say(app, "bob", "/home", dm=True)
    assert not any(isinstance(e, GroupChanged) for e in looked.effects)


async def test_roles_show_in_the_home_and_in_the_group_summary(app: App) -> None:
    await group(app)
    await say(app, "bob", "/roles willing chair")
    await say(app, "carol", "/roles willing minutes")
    await say(app, "alice", "/rotate")
    bob = privately(await say(app, "bob", "/home", dm=True), "bob")
    assert "You are the chair at the next meeting." in bob
    dan = privately(await say(app, "dan", "/home", dm=True), "dan")
    assert "You have no role at the next meeting." in dan
    async with UnitOfWork(app.db.sessions) as uow:
        [steering] = await uow.groups.all()
        summary = render_text(await group_summary(uow, steering, app.clock.now()))[0]
    assert "Crisis line waiting times" in summary
    assert "- Chair: bob" in summary and "- Minute-taker: carol" in summary
