"""Anonymous concerns: the whole cycle, and proof that nothing links a concern to its writer."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select

from bot.app import App
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import Concern
from tests.anonymity import Writer, captured_logs, every_row, traces
from tests.support import RecordingSender, choose, options, say, texts

MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
PACK_DUE = MEETING - timedelta(days=3)
PEOPLE = ["alice", "bob", "carol", "dan", "erin", "femi"]


async def group(app: App, people: list[str] = PEOPLE) -> None:
    await say(app, "alice", "/group setup Steering group")
    for name in people[1:]:
        await say(app, name, "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h")


def receipt(reply: str) -> str:
    found = re.search(r"receipt code is ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", reply)
    assert found, reply
    return found.group(1)


async def test_the_whole_cycle_reads_kindly(app: App, clock: VirtualClock) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app)

    in_channel = await say(app, "bob", "/concern The room was too hot")
    assert in_channel.remove_original
    assert "haven't kept that" in texts(in_channel)
    assert in_channel.sent[0].address.user == "bob"

    code = receipt(texts(await say(app, "bob", "/concern The room was too hot", dm=True)))
    other = receipt(texts(await say(app, "carol", "/concern I felt rushed", dm=True)))
    withdrawn = await say(app, "carol", f"/concern withdraw {other}", dm=True)
    assert "taken your concern back" in texts(withdrawn)
    status = await say(app, "bob", f"/concern status {code}", dm=True)
    assert "waiting" in texts(status) and "Wednesday 2 December at 14:00" in texts(status)

    await fast_forward(engine, clock, PACK_DUE + timedelta(minutes=1))
    released = sender.to("#group")
    assert any("Concern 1: The room was too hot" in t for t in released)
    assert not any("I felt rushed" in t for t in released)
    assert any("One of the people who run the group will reply here." in t for t in released)
    assert not any("/concern respond" in t for t in released)  # that is for facilitators

    late = await say(app, "bob", f"/concern withdraw {code}", dm=True)
    assert "already been shared" in texts(late)
    answer = await say(
        app, "alice", "/concern respond 1 We asked for the heating to be lowered.", dm=True
    )
    assert "We asked for the heating" in texts(answer)
    assert answer.sent[0].address.channel == "group"
    status = await say(app, "bob", f"/concern status {code}", dm=True)
    assert "shared as concern 1" in texts(status)
    assert "We asked for the heating to be lowered" in texts(status)


async def test_a_facilitator_can_withhold_only_with_a_reason_the_group_sees(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    await group(app)
    code = receipt(texts(await say(app, "bob", "/concern Dan is useless", dm=True)))
    # Facilitators see what waits only from the day before it is shared.
    await fast_forward(app.delivery(sender), clock, PACK_DUE - timedelta(hours=20))
    pending = texts(await say(app, "alice", "/concern pending", dm=True))
    handle = re.search(r"\[([0-9a-f]{6})\] Dan is useless", pending)
    assert handle
    no_reason = await say(app, "alice", f"/concern withhold {handle.group(1)}", dm=True)
    assert "Please give a reason" in texts(no_reason)
    member = await say(app, "bob", f"/concern withhold {handle.group(1)} spite", dm=True)
    assert "Only the facilitators" in texts(member)
    await say(app, "alice", f"/concern withhold {handle.group(1)} it names a person", dm=True)
    await fast_forward(app.delivery(sender), clock, PACK_DUE + timedelta(minutes=1))
    group_post = "\n".join(sender.to("#group"))
    assert "alice withheld one concern" in group_post
    assert "it names a person" in group_post
    assert "useless" not in group_post
    status = texts(await say(app, "bob", f"/concern status {code}", dm=True))
    assert "withheld it" in status and "it names a person" in status


async def test_facilitators_only_concerns_go_only_to_facilitators(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    await group(app)
    await say(app, "alice", "/group facilitator add @carol")
    await say(app, "bob", "/concern to facilitators I felt talked over", dm=True)
    await fast_forward(app.delivery(sender), clock, PACK_DUE + timedelta(minutes=1))
    shared = [r for r in sender.received if "I felt talked over" in r.text]
    assert sorted(r.where for r in shared) == ["dm:alice", "dm:carol"]
    assert all("To reply, use /concern respond" in r.text for r in shared)


async def test_small_group_is_warned_before_sending(app: App) -> None:
    await group(app, ["alice", "bob", "carol"])
    form = texts(await say(app, "bob", "/concern", dm=True))
    assert "Tell me what's on your mind. Your name is never kept." in form
    assert "gentle warning" not in form  # only once they have written something
    first = await say(app, "bob", "/concern The agenda was too long", dm=True)
    assert "this group has 3 members" in texts(first)
    async with app.db.sessions() as session:
        assert (await session.scalars(select(Concern))).all() == []
    send = options(first, "bob")[0]
    sent = await choose(app, "bob", send)
    assert "receipt code" in texts(sent)
    again = await choose(app, "bob", send)
    assert "don't have that concern any more" in texts(again)


async def test_someone_in_two_groups_is_asked_which_and_the_choice_is_not_kept(app: App) -> None:
    await group(app)
    await say(app, "alice", "/group setup Finance", channel="finance")
    await say(app, "bob", "hi", channel="finance")
    question = await say(app, "bob", "/concern Papers came late", dm=True)
    assert "Which group" in texts(question)
    groups = options(question, "bob")
    assert [o.label for o in groups] == ["Steering group", "Finance", "Don't send it"]
    assert all("Papers came late" not in o.command for o in groups)
    chosen = await choose(app, "bob", groups[1])
    # Finance has only 2 members: a gentle warning first, and nothing is stored yet.
    assert "this group has 2 members" in texts(chosen)
    async with app.db.sessions() as session:
        assert (await session.scalars(select(Concern))).all() == []
    sure = options(chosen, "bob")
    assert [o.label for o in sure] == ["Send it anyway", "Don't send it"]
    sent = await choose(app, "bob", sure[0])
    assert "receipt code" in texts(sent)
    async with app.db.sessions() as session:
        row = (await session.scalars(select(Concern))).one()
        assert row.text == "Papers came late"


async def test_daily_limit(app: App) -> None:
    await group(app)
    for n in range(3):
        assert "receipt code" in texts(await say(app, "bob", f"/concern Point {n}", dm=True))
    refused = await say(app, "bob", "/concern One more", dm=True)
    assert "most I take in one day" in texts(refused)
    assert "receipt code" in texts(await say(app, "carol", "/concern Mine", dm=True))


async def test_nothing_links_a_concern_to_its_writer(app: App, clock: VirtualClock) -> None:
    """Known people submit at known times; their ids, names and those times appear nowhere."""
    sender = RecordingSender()
    await group(app)
    writers = []
    with captured_logs() as log_lines:
        for n, name in enumerate(["bob", "carol", "dan"]):
            clock.set(datetime(2026, 11, 30, 10 + n, 17 + n, 23, tzinfo=UTC))
            writers.append(Writer((name,), (name,), clock.now()))
            await say(app, name, f"/concern Concern number {n} about the room", dm=True)
        submission_log = log_lines.getvalue()
        await fast_forward(app.delivery(sender), clock, MEETING + timedelta(hours=4))
    rows = await every_row(app.db)
    said = [r.text for r in sender.received]
    assert traces(writers, rows, log_lines.getvalue(), said) == []
    assert submission_log == ""  # nothing at all is logged while a concern is taken
    assert len(rows["concerns"]) == 3
    async with app.db.sessions() as session:
        columns = await session.run_sync(
            lambda s: {c["name"] for c in inspect(s.bind).get_columns("concerns")}
        )
        stored = (await session.scalars(select(Concern))).all()
    # Nothing about the writer: only the group, the words, the audience and the batch.
    assert columns == {
        "id",
        "group_id",
        "audience",
        "text",
        "receipt_hash",
        "status",
        "batch_at",
        "number",
        "response",
        "responded_by",
        "responded_at",
        "withheld_by",
        "withheld_reason",
    }
    assert all(r.responded_by is None and r.withheld_by is None for r in stored)
    assert {r.batch_at for r in stored} == {PACK_DUE}


async def test_release_order_does_not_follow_the_order_of_writing(
    app: App, clock: VirtualClock
) -> None:
    """Twelve groups each get six concerns written in the same order; releases are shuffled."""
    for round_ in range(12):
        channel = f"g{round_}"
        people = [f"r{round_}p{n}" for n in range(6)]
        await say(app, people[0], "/group setup Group", channel=channel)
        for person in people[1:]:
            await say(app, person, "hi", channel=channel)
        await say(app, people[0], "/meeting new Meeting 2026-12-05 14:00", channel=channel)
        for n, person in enumerate(people):
            await say(app, person, f"/concern r{round_} c{n}", dm=True)
    sender = RecordingSender()
    await fast_forward(app.delivery(sender), clock, PACK_DUE + timedelta(minutes=1))
    orders = []
    for round_ in range(12):
        posts = "\n".join(sender.to(f"#g{round_}"))
        orders.append([int(n) for n in re.findall(rf"r{round_} c(\d)", posts)])
    assert all(sorted(order) == list(range(6)) for order in orders)
    # A shuffle of six keeps the writing order 1 time in 720; allow one by chance.
    assert sum(order == list(range(6)) for order in orders) <= 1
    assert len({tuple(order) for order in orders}) >= 10


async def test_facilitators_cannot_time_concerns_by_looking_often(
    app: App, clock: VirtualClock
) -> None:
    """Before the review window, /concern pending says the same words whatever is waiting;
    from the day before release, every concern is shown at once, in random order."""
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app)
    empty = texts(await say(app, "alice", "/concern pending", dm=True))
    code = receipt(texts(await say(app, "bob", "/concern The room was too hot", dm=True)))
    one = texts(await say(app, "alice", "/concern pending", dm=True))
    receipt(texts(await say(app, "carol", "/concern I felt rushed", dm=True)))
    two = texts(await say(app, "alice", "/concern pending", dm=True))
    assert empty == one == two
    assert "from the day before they are shared" in one and "too hot" not in one
    refused = texts(await say(app, "alice", f"/concern withhold {code[:6]} x", dm=True))
    assert "Nothing was changed" in refused

    await fast_forward(engine, clock, PACK_DUE - timedelta(hours=20))
    shown = texts(await say(app, "alice", "/concern pending", dm=True))
    assert "The room was too hot" in shown and "I felt rushed" in shown
