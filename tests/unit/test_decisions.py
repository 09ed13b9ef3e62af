"""Decisions and updates: who may record and update, every status, the reason rule,
follow-ups that come once each, "you said, we did" to every member once, the pack,
the anonymous concern's writer, and the monthly digest."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import Decision
from tests.support import RecordingSender, all_refused, choose, options, refused, say, texts
from tests.unit.followup_support import (
    AFTER_MEETING,
    give_role,
    got,
    group_that_met,
    kinds,
    press,
)

ASK = datetime(2026, 12, 19, 10, 0, tzinfo=UTC)  # two weeks on, 10:00 London time
RECORD = "/decision Papers go out a week before each meeting owner @bob update in 2 weeks"


async def decisions(app: App) -> list[Decision]:
    async with app.db.sessions() as session:
        return list((await session.scalars(select(Decision).order_by(Decision.number))).all())


async def test_recording_posts_it_and_asks_about_lived_experience(
    app: App, clock: VirtualClock
) -> None:
    await group_that_met(app, clock)
    result = await say(app, "alice", RECORD + " item 1")
    post = next(i for i in result.sent if i.address.user is None)
    assert post.address.channel == "group"
    shown = texts(result)
    assert "Decision 1" in shown and "Papers go out a week before each meeting" in shown
    assert "agenda item: Papers for meetings" in shown
    assert "Steering on Saturday 5 December" in shown
    assert "On Saturday 19 December I'll ask bob how it is going" in shown
    assert "Did people with lived experience help to make this decision?" in shown
    offered = options(result, "alice")
    assert [o.label for o in offered] == ["Yes", "No", "Not sure", "Not now"]
    [d] = await decisions(app)
    assert d.lived_experience is None and d.status == "open" and d.next_update_at == ASK

    answer = await choose(app, "alice", offered[2])
    assert "Nobody is sure if people with lived experience" in texts(answer)
    assert (await decisions(app))[0].lived_experience == "unsure"
    listed = texts(await say(app, "dan", "/decision"))
    assert (
        "Decision 1: Papers go out a week before each meeting (bob; no update yet; "
        "next update Saturday 19 December)" in listed
    )
    one = texts(await say(app, "dan", "/decision 1"))
    assert "Nobody is sure if people with lived experience" in one
    await refused(app, "dan", "/decision lived-experience 1 yes", "whoever recorded")
    # Without an owner, whoever records it looks after it; without a date, 4 weeks.
    shown = texts(await say(app, "alice", "/decision Hold the next meeting online"))
    assert "alice is looking after it" in shown and "Saturday 2 January" in shown
    on_day = texts(
        await say(app, "alice", "/decision Post an update on the website update on 2026-12-20")
    )
    assert "Sunday 20 December" in on_day
    assert (await decisions(app))[2].text == "Post an update on the website"


async def test_who_may_record_a_decision(app: App, clock: VirtualClock) -> None:
    await group_that_met(app, clock)
    reply = await refused(app, "bob", RECORD, "chair, the minute-taker or a facilitator")
    assert "(alice)" in reply
    await give_role(app, "bob", "chair")
    await give_role(app, "carol", "minutes")
    assert "Recorded as decision 1" in texts(await say(app, "bob", RECORD))
    assert "Recorded as decision 2" in texts(await say(app, "carol", "/decision Tea at 3"))
    await refused(app, "dan", "/decision Biscuits", "chair, the minute-taker or a facilitator")
    assert [d.number for d in await decisions(app)] == [1, 2]


async def test_every_status_and_the_reason_rule(app: App, clock: VirtualClock) -> None:
    await group_that_met(app, clock)
    for n in range(5):
        await say(app, "alice", f"/decision Thing {'ABCDE'[n]} owner @bob update in 2 weeks")
    await refused(app, "bob", "/update 3 changed", "Please add a few words on why it was changed")
    await refused(
        app, "bob", "/update 4 dropped   ", "Please add a few words on why it was dropped"
    )
    clock.set(AFTER_MEETING + timedelta(days=2))
    updates = [
        ("/update 1 done", "done", None),
        ("/update 2 in progress Talking to the print room", "in progress", "Saturday 21 December"),
        (
            "/update 3 changed Papers go out five days before: the printers need two days",
            "changed",
            None,
        ),
        ("/update 4 dropped The budget was cut; we'll bring it back in April", "dropped", None),
        ("/update 5 blocked Waiting for the trust to reply", "blocked", "Saturday 21 December"),
    ]
    for said, _, next_day in updates:
        reply = texts(await say(app, "bob", said))
        assert "sharing your update" in reply, reply
        if next_day:
            assert "next update on Monday 21 December" in reply
        else:
            assert "This decision is now closed" in reply
    rows = await decisions(app)
    assert [d.status for d in rows] == [s for _, s, _ in updates]
    closed = [d.next_update_at is None for d in rows]
    assert closed == [True, False, True, True, False]
    assert rows[1].next_update_at == datetime(2026, 12, 21, 10, 0, tzinfo=UTC)
    listed = texts(await say(app, "dan", "/decision"))
    assert "Decision 2" in listed and "Decision 5" in listed and "Decision 1" not in listed
    everything = texts(await say(app, "dan", "/decision all"))
    assert all(f"Decision {n}" in everything for n in range(1, 6))


async def test_who_may_update(app: App, clock: VirtualClock) -> None:
    await group_that_met(app, clock)
    await give_role(app, "carol", "minutes")
    await say(app, "carol", "/decision Tea at 3 owner @bob")
    reply = await refused(app, "dan", "/update 1 done", "come from bob, who looks after it")
    assert "You could ask bob" in reply
    assert "sharing" in texts(await say(app, "bob", "/update 1 in progress Kettle bought"))
    assert "sharing" in texts(await say(app, "carol", "/update 1 blocked No mugs"))
    assert "sharing" in texts(await say(app, "alice", "/update 1 done Tea at 3 it is"))


async def test_every_update_reaches_every_member_once(app: App, clock: VirtualClock) -> None:
    sender = await group_that_met(app, clock, ("bob", "carol", "dan", "erin"))
    await say(app, "erin", "/prefs reminders channel", dm=True)
    engine = app.delivery(sender)
    await say(app, "alice", RECORD)
    await say(app, "bob", "/update 1 in progress The print room is on it")
    await engine.deliver_due(clock.now())
    clock.set(clock.now() + timedelta(hours=1))
    await say(app, "bob", "/update 1 dropped The printers closed; we share papers online now")
    await fast_forward(engine, clock, clock.now() + timedelta(minutes=1))
    await fast_forward(engine, clock, clock.now() + timedelta(days=2))
    got = [r for r in sender.received if r.key.startswith("decisionupdate")]
    # Two updates, each once to every member: by DM, or once in the channel for carol and erin.
    assert sorted(r.where for r in got) == sorted(["#group", "dm:alice", "dm:bob", "dm:dan"] * 2)
    assert len({r.key for r in got}) == 8
    first, last = got[0].text, got[-1].text
    assert "You said → we're working on it" in first
    assert "How it's going: The print room is on it" in first
    assert "You said → we didn't, and here's why" in last
    assert "You said (decision 1): Papers go out a week before each meeting" in last
    assert "Why: The printers closed; we share papers online now" in last
    assert "Update from bob" in last
    for text in (first, last):
        assert not re.search(r"\b(failed|overdue|late|blame)\b", text, re.I)


async def test_bad_input_gets_a_clear_reply_and_changes_nothing(
    app: App, clock: VirtualClock
) -> None:
    await group_that_met(app, clock)
    await say(app, "alice", RECORD)
    await all_refused(
        app,
        [
            ("alice", "/decision owner @bob", "say what was decided"),
            ("alice", "/decision Tea owner @zed", "don't know anyone called zed"),
            ("alice", "/decision Tea item 9", "no item 9 on the agenda"),
            ("alice", "/decision Tea from concern 4", "no shared concern 4"),
            ("alice", "/decision Tea update on 2020-01-01", "after today"),
            ("alice", "/decision Tea update in 20 months", "within a year"),
            ("alice", "/decision " + "x" * 600, "under 500 characters"),
            ("alice", "/decision 7", "no decision 7"),
            ("bob", "/update 7 done", "no decision 7"),
            ("bob", "/update one done", "start with the decision's number"),
            ("bob", "/update 1 perhaps soon", "done, in progress, changed"),
            ("bob", "/update 1 done " + "y" * 1200, "under 1,000 characters"),
            ("alice", "/decision lived-experience 1 maybe", "yes, no or unsure"),
        ],
    )
    assert len(await decisions(app)) == 1


async def test_follow_ups_come_once_each_then_the_pack_says_waiting(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    engine = app.delivery(sender)
    await say(app, "alice", RECORD)
    await say(app, "alice", "/decision Book a bigger room owner @dan update in 2 weeks")
    await say(app, "alice", "/meeting new Next 2026-12-30 14:00 for 2h")  # pack: 27 December
    await say(app, "alice", "/action Book the hall owner @carol by 2026-12-29")

    clock.set(ASK - timedelta(hours=1))  # a jump: the two weeks between don't matter here
    await engine.deliver_due(clock.now())
    await fast_forward(engine, clock, ASK - timedelta(minutes=1))
    assert [r for r in sender.received if "decision" in r.key or "decision" in r.text] == []
    await fast_forward(engine, clock, ASK + timedelta(minutes=1))
    assert kinds(sender, "dm:bob", "decisionask") == ["decisionask"]
    asked = got(sender, "dm:bob", "decisionask")[0]
    assert "It's time for an update on decision 1" in asked and "1. Done" in asked
    assert kinds(sender, "dm:dan", "decision") == ["decisionask"]
    # dan answers with the button: that stops the rest for decision 2.
    await press(app, sender, "dan", "Still in progress")
    await engine.deliver_due(clock.now())  # as the console and the wake-ups do

    await fast_forward(engine, clock, ASK + timedelta(days=3, minutes=1))
    assert kinds(sender, "dm:bob", "decisionask") == ["decisionask", "decisionaskagain"]
    assert "A gentle reminder" in got(sender, "dm:bob", "decisionaskagain")[0]
    assert kinds(sender, "dm:alice", "decision") == ["decisionupdate"]
    await fast_forward(engine, clock, ASK + timedelta(days=7, minutes=1))
    assert kinds(sender, "dm:alice", "decision") == ["decisionupdate", "decisionwaiting"]
    note = got(sender, "dm:alice", "decisionwaiting")[0]
    assert "The update on decision 1" in note and "hasn't come in yet" in note
    assert "I asked bob that day and again three days later" in note
    assert not re.search(r"\b(failed|overdue|blame|late)\b", note, re.I)
    assert "decisionask" not in kinds(sender, "dm:dan", "decision")[1:]
    assert kinds(sender, "dm:dan", "decision") == ["decisionask", "decisionupdate"]

    await fast_forward(engine, clock, datetime(2026, 12, 27, 14, 1, tzinfo=UTC))
    pack = got(sender, "dm:dan", "pack")[-1]
    assert "Pack for Next" in pack
    assert "Waiting for an update:" in pack
    assert (
        "Decision 1: Papers go out a week before each meeting (bob looks after it; "
        "the update was due on Saturday 19 December)" in pack
    )
    assert "You said → we did:" in pack
    assert "Decision 2: Book a bigger room → we're working on it" in pack
    assert "Decisions since the last pack:" in pack
    assert "Open actions:" in pack
    assert "Action 1: Book the hall (carol, by Tuesday 29 December)" in pack
    for kind in ("decisionask", "decisionaskagain", "decisionwaiting", "decisionupdate"):
        keys = [r.key for r in sender.received if r.key.startswith(kind + ":")]
        assert len(keys) == len(set(keys)), kind
    assert kinds(sender, "dm:bob", "decisionask") == ["decisionask", "decisionaskagain"]
    assert kinds(sender, "dm:alice", "decisionwaiting") == ["decisionwaiting"]
    # The next cycle of decision 2 starts two weeks after dan's update.
    async with app.db.sessions() as session:
        d2 = (await session.scalars(select(Decision).where(Decision.number == 2))).one()
    assert d2.next_update_at == datetime(2027, 1, 2, 10, 0, tzinfo=UTC)


async def test_a_concerns_writer_sees_every_update_by_receipt_code(
    app: App, clock: VirtualClock
) -> None:
    people = ("bob", "carol", "dan", "erin", "femi")
    await say(app, "alice", "/group setup Steering group")
    for name in people:
        await say(app, name, "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h")
    written = texts(await say(app, "erin", "/concern Papers come too late to read", dm=True))
    found = re.search(r"receipt code is ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", written)
    assert found
    code = found.group(1)
    clock.set(datetime(2026, 12, 2, 14, 1, tzinfo=UTC))  # just after the pack: released
    await app.delivery(RecordingSender()).deliver_due(clock.now())
    clock.set(AFTER_MEETING)
    recorded = texts(await say(app, "alice", RECORD + " from concern 1"))
    assert "This answers concern 1, raised anonymously." in recorded
    status = texts(await say(app, "erin", f"/concern status {code}", dm=True))
    assert "Decision 1 answers your concern: Papers go out a week before each meeting" in status
    assert "no update yet" in status
    await say(app, "bob", "/update 1 in progress The print room agreed")
    await say(app, "bob", "/update 1 done Papers now go out seven days before")
    status = texts(await say(app, "erin", f"/concern status {code}", dm=True))
    assert "Where it is now: done" in status
    assert "we're working on it. The print room agreed" in status
    assert "we did. Papers now go out seven days before" in status


async def test_the_monthly_digest_says_what_changed_and_is_quiet_otherwise(
    app: App, clock: VirtualClock
) -> None:
    sender = await group_that_met(app, clock)
    engine = app.delivery(sender)
    for text in ("Papers a week before", "Bigger room", "Online option", "Tea at 3"):
        await say(app, "alice", f"/decision {text} owner @bob update in 1 week")
    await say(app, "bob", "/update 1 done Sent on the 2nd")
    await say(app, "bob", "/update 2 changed Room 4 is booked instead: the hall was closed")
    await say(app, "bob", "/update 3 dropped Too few people wanted it")
    await say(app, "bob", "/update 4 in progress Kettle ordered")
    await engine.deliver_due(clock.now())
    assert kinds(sender, "#group", "digest") == []  # 1 December: nothing in November
    # The clock jumps to just before each first of the month (what lies between is not
    # what this test is about), then moves on step by step.
    for first in (datetime(2027, 1, 1, 10, tzinfo=UTC), datetime(2027, 2, 1, 10, tzinfo=UTC)):
        clock.set(first - timedelta(minutes=5))
        await engine.deliver_due(clock.now())
        await fast_forward(engine, clock, first + timedelta(minutes=1))
    digests = [r.text for r in sender.received if r.key.startswith("digest")]
    assert len(digests) == 1  # January had nothing either
    digest = digests[0]
    assert "What changed because of this group in December" in digest
    assert "Done: Papers a week before. Sent on the 2nd" in digest
    assert "Changed: Bigger room. What changed and why: Room 4 is booked instead" in digest
    assert "Dropped: Online option. Why: Too few people wanted it" in digest
    assert "Tea at 3" not in digest
    assert [r.where for r in sender.received if r.key.startswith("digest")] == ["#group"]


async def test_help_explains_each_command_with_an_example(app: App, clock: VirtualClock) -> None:
    await group_that_met(app, clock)
    for name, example in (
        ("decision", "owner @sam update in 2 weeks"),
        ("update", "/update 3 done"),
        ("action", "/action Book a bigger room owner @sam by 10 December"),
        ("minutes", "/minutes https://"),
    ):
        shown = texts(await say(app, "dan", f"/help {name}"))
        assert f"/{name}" in shown and example in shown, shown
