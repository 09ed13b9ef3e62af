"""/group ready, /group rules and /group payment: what a new group still needs, for whom."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from handlers.readiness import MAX_RULES
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.support import RecordingSender, posted, privately, refused, say, sent_to, texts

#: Each missing item's words, and the command that makes it disappear.
ITEMS = (
    ("The aims are not written down yet.", "/group aims Improve crisis care together"),
    (
        "The group has not said what it offers for people's time.",
        "/group payment £25 per meeting, travel paid",
    ),
    ("No wellbeing contact is named yet.", "/group wellbeing Sam Reid, peer support"),
    ("Members have not been asked about access needs yet.", "/prefs access A seat near the door"),
    ("Roles are not agreed yet.", "/roles willing chair"),
    ("The group's word list is not started yet.", "/jargon add CMHT Community mental health team"),
    ("Ground rules are not agreed yet.", "/group rules We listen. We take turns."),
)
FIXES = ("/group aims", "/group payment", "/group wellbeing", "/prefs access", "/roles willing")


async def new_group(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")


async def test_a_new_group_lists_every_missing_item_and_each_goes_after_its_command(
    app: App,
) -> None:
    await new_group(app)
    shown = privately(await say(app, "alice", "/group ready"), "alice")
    for missing, _ in ITEMS:
        assert missing in shown, shown
    assert "The crisis line is the UK default. You can set your own with /support line." in shown
    for done, (_, command) in enumerate(ITEMS):
        dm = command.startswith("/prefs")
        await say(app, "alice", command, dm=dm)
        shown = privately(await say(app, "alice", "/group ready"), "alice")
        for gone, _ in ITEMS[: done + 1]:
            assert gone not in shown, (command, shown)
        for still, _ in ITEMS[done + 1 :]:
            assert still in shown, (command, shown)
    assert "Everything is in place." in shown and "Not yet" not in shown
    await say(app, "alice", "/support line Call 111")
    shown = privately(await say(app, "alice", "/group ready"), "alice")
    assert "The group has its own crisis line." in shown and "UK default" not in shown


async def test_members_see_it_without_the_facilitators_commands(app: App) -> None:
    await new_group(app)
    shown = privately(await say(app, "bob", "/group ready"), "bob")
    assert "The aims are not written down yet." in shown
    assert "The facilitators can sort these out." in shown
    for command in FIXES:
        assert command not in shown, shown
    facilitator = privately(await say(app, "alice", "/group ready"), "alice")
    assert all(command in facilitator for command in FIXES), facilitator


async def test_rules_and_payment_are_posted_and_shown_to_anyone(app: App) -> None:
    await new_group(app)
    assert "hasn't written its ground rules yet" in texts(await say(app, "bob", "/group rules"))
    post = posted(await say(app, "alice", "/group rules We listen. We take turns."))
    assert "alice wrote down the group's ground rules:" in post and "We take turns." in post
    assert "We take turns." in privately(await say(app, "bob", "/group rules"), "bob")
    post = posted(await say(app, "alice", "/group payment vouchers"))
    assert "vouchers" in post
    assert "You can still be paid if you get benefits." in post
    assert "a facilitator or a benefits adviser" in post
    assert "vouchers" in privately(await say(app, "bob", "/group payment"), "bob")


async def test_bad_input_is_refused_without_change(app: App) -> None:
    await new_group(app)
    await refused(app, "alice", "/group rules " + "x" * (MAX_RULES + 1), "under 2,000 characters")
    await refused(app, "bob", "/group rules We shout", "Only the facilitators")
    await refused(app, "bob", "/group payment £1000", "Only the facilitators")
    await say(app, "alice", "/group rules " + "x" * MAX_RULES)
    assert "Ground rules are agreed." in texts(await say(app, "alice", "/group ready"))


async def test_the_setup_reply_mentions_it(app: App) -> None:
    result = await say(app, "alice", "/group setup Steering group")
    reply = sent_to(result, "alice")
    assert reply.startswith("Still to do before this group is ready: aims, payment offer")
    assert "/group ready" in reply


MEETING = datetime(2026, 12, 12, 14, 0, tzinfo=UTC)


def packs(sender: RecordingSender, where: str) -> list[str]:
    return [r.text for r in sender.received if r.where == where and r.key.startswith("pack:")]


async def test_the_first_packs_say_what_is_still_to_do_only_while_items_are_missing(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await new_group(app)
    await say(app, "carol", "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-12 14:00 every week for 2h")
    await fast_forward(engine, clock, MEETING - timedelta(days=3) + timedelta(minutes=1))
    [first] = packs(sender, "dm:carol")
    assert "Still to do before this group is ready: aims" in first
    assert "can type /group ready to see how to do each one." in first
    for _, command in ITEMS:
        await say(app, "alice", command, dm=command.startswith("/prefs"))
    await fast_forward(engine, clock, MEETING + timedelta(days=4, minutes=1))
    assert "Still to do" not in packs(sender, "dm:carol")[1]  # everything is in place now
    assert not [r for r in sender.received if r.key.startswith("ready")]  # no extra message


async def test_only_the_first_two_packs_say_it(app: App, clock: VirtualClock) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await new_group(app)
    await say(app, "alice", "/meeting new Steering 2026-12-12 14:00 every week for 2h")
    await fast_forward(engine, clock, MEETING + timedelta(days=30))
    said = ["Still to do" in pack for pack in packs(sender, "dm:alice")]
    assert said[:2] == [True, True] and not any(said[2:]) and len(said) >= 4
