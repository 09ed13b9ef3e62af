"""Proposals: answered by four members, closed on time with the right counts, reasons and
lived-experience line, and made decision N in one step; the nudge goes once, only to those
who haven't answered; anonymous answers leave no person-answer link; bad input changes
nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App
from handlers.core.messages import Choices, Option
from handlers.core.router import Result
from handlers.proposals.reading import options
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import Decision, Proposal, ProposalAnswer, ProposalVoter
from tests.anonymity import Writer, captured_logs, every_row, traces
from tests.support import (
    RecordingSender,
    all_refused,
    changes_nothing,
    choose,
    privately,
    refused,
    say,
    texts,
)

PEOPLE = ("bob", "carol", "dan", "femi", "gus")
PERSPECTIVES = {"bob": "lived experience", "carol": "peer worker", "dan": "council manager"}
# Made Monday 30 November 09:00; "closes in 3 days": Thursday 3 December 09:00 (London = UTC).
CLOSES = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
NOTE = CLOSES - timedelta(days=1)
PROPOSE = "/propose Papers go out a week before each meeting closes in 3 days"


async def group(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    for name in PEOPLE:
        await say(app, name, "hello")
    for name, words in PERSPECTIVES.items():
        await say(app, name, f"/prefs perspective {words}", dm=True)


def channel_options(result: Result) -> list[Option]:
    return [
        option
        for item in result.sent
        if item.address.user is None
        for block in item.message.blocks
        if isinstance(block, Choices)
        for option in block.options
    ]


def last_options(sender: RecordingSender, who: str) -> list[str]:
    return [line for line in sender.to(f"dm:{who}")[-1].splitlines() if line[:2] in ("1.", "2.")]


async def rows(app: App, model: type) -> list:  # type: ignore[type-arg]
    async with app.db.sessions() as session:
        return list((await session.scalars(select(model))).all())


async def test_four_answers_close_on_time_and_become_a_decision(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app)
    made = await say(app, "alice", PROPOSE)
    post = texts(made)
    assert "Proposal 1, from alice" in post
    assert "Papers go out a week before each meeting" in post
    assert "open until Thursday 3 December at 09:00" in post
    assert "Abstain: I'm happy for the group to decide without me." in post
    assert "Disagree: I have concerns, but I won't stand in the way." in post
    assert "Block: I have a serious objection, and I'm not OK with this going ahead." in post
    assert "answers can't be changed" in post
    offered = channel_options(made)
    assert [o.label for o in offered] == ["Agree", "Abstain", "Disagree", "Block"]
    assert offered[0].command == "/proposal answer 1 agree"

    # bob presses Agree on the channel post; carol types hers in the channel.
    reply = privately(await choose(app, "bob", offered[0]), "bob")
    assert "you answered Agree to proposal 1" in reply and "/proposal why 1" in reply
    assert "you answered Agree" in texts(await say(app, "carol", "/proposal answer 1 AGREE"))
    # While it is open, the owner sees the count; others see when answers are shown.
    shown = texts(await say(app, "alice", "/proposal show 1"))
    assert "2 of 6 members have answered." in shown and "So far: Agree 2, Abstain 0" in shown
    shown = texts(await say(app, "gus", "/proposal 1"))
    assert "Everyone sees the answers when it closes" in shown and "So far" not in shown
    assert "You haven't answered yet" in shown

    # A day before the close: one note in the channel, and one nudge to each who hasn't.
    await fast_forward(engine, clock, NOTE + timedelta(minutes=1))
    [note] = [t for t in sender.to("#group") if "closes on" in t]
    assert "2 of 6 members have answered." in note and "lived experience" not in note
    nudged = sorted(r.where for r in sender.received if r.key.startswith("proposalnudge"))
    assert nudged == ["dm:alice", "dm:dan", "dm:femi", "dm:gus"]
    assert "you haven't answered yet" in sender.to("dm:dan")[-1]
    assert "4. Block" in "\n".join(last_options(sender, "dan") + sender.to("dm:dan")[-1:])

    assert "Thank you" in texts(await say(app, "dan", "/proposal answer 1 disagree", dm=True))
    answered = await say(app, "femi", "/proposal answer 1 block The budget isn't there yet")
    assert "you answered Block" in texts(answered) and "why" not in texts(answered)
    why = await say(app, "dan", "/proposal why 1 Too soon for the printers", dm=True)
    assert "saved" in texts(why)
    await fast_forward(engine, clock, CLOSES + timedelta(hours=1))

    [outcome] = [t for t in sender.to("#group") if "has closed" in t]
    assert "Answers: Agree 2, Abstain 0, Disagree 1, Block 1." in outcome
    assert "1 person blocked it" in outcome
    assert "- femi (Block): The budget isn't there yet" in outcome
    assert "- dan (Disagree): Too soon for the printers" in outcome
    assert "- Agree: bob and carol\n- Disagree: dan\n- Block: femi" in outcome
    assert "4 of 6 members answered. 2 of them have lived experience" in outcome
    assert "1. Record it as a decision" in outcome
    # The nudge went once: nothing more to anyone after the close.
    assert len([r for r in sender.received if r.key.startswith("proposalnudge")]) == 4
    [p] = await rows(app, Proposal)
    assert p.closed_at == CLOSES

    await refused(app, "gus", "/proposal answer 1 agree", "has closed")
    await refused(app, "bob", "/proposal decide 1", "Only alice, who proposed it")
    decided = await say(app, "alice", "/proposal decide 1")
    shown = texts(decided)
    assert "Decision 1" in shown and "It came from proposal 1. The answers were: Agree 2" in shown
    assert "alice is looking after it" in shown
    [d] = await rows(app, Decision)
    [p] = await rows(app, Proposal)
    assert p.decision_id == d.id and d.next_update_at is not None and d.status == "open"
    assert "From proposal 1." in texts(await say(app, "gus", "/decision 1"))
    await refused(app, "alice", "/proposal decide 1", "already recorded as decision 1")
    # The decision follows the usual "you said, we did" loop.
    assert "sharing your update" in texts(await say(app, "alice", "/update 1 done"))


async def test_anonymous_answers_leave_no_link_to_who_gave_them(
    app: App, clock: VirtualClock
) -> None:
    sender = RecordingSender()
    engine = app.delivery(sender)
    await group(app)
    made = await say(app, "alice", "/propose We try a shorter meeting anonymous closes in 3 days")
    assert channel_options(made) == []
    assert "Answers to this one are anonymous" in texts(made)
    await fast_forward(engine, clock, clock.now())
    invited = sorted(r.where for r in sender.received if r.key.startswith("proposalinvite"))
    assert invited == [f"dm:{n}" for n in ("alice", *PEOPLE)]
    assert "1. Agree" in sender.to("dm:bob")[-1] and "5. Not now" in sender.to("dm:bob")[-1]

    # Said in the channel it is refused (the private form is also taken off the channel).
    await refused(app, "bob", "/proposal answer 1 agree", "are anonymous")
    in_channel = await say(app, "bob", "/proposal privately 1 agree")
    assert in_channel.remove_original

    writers = []
    with captured_logs() as log_lines:
        for n, (name, said) in enumerate(
            [("bob", "agree"), ("carol", "block It costs too much"), ("dan", "abstain")]
        ):
            clock.set(datetime(2026, 11, 30, 10 + n, 17 + n, 23, tzinfo=UTC))
            writers.append(Writer((name,), (name,), clock.now()))
            reply = texts(await say(app, name, f"/proposal privately 1 {said}", dm=True))
            assert "saved, without your name" in reply
        assert "without your name" in texts(
            await say(app, "bob", "/proposal why 1 Shorter is kinder", dm=True)
        )
        answering_log = log_lines.getvalue()
        await refused(app, "bob", "/proposal why 1 And again", "already given a reason", dm=True)
        await refused(app, "bob", "/proposal privately 1 block", "already answered", dm=True)
        await fast_forward(engine, clock, CLOSES + timedelta(hours=1))
    # What is logged while answers are taken says only that a command was done.
    for line in answering_log.splitlines():
        assert '"event": "command.done"' in line, line
        assert not any(w in line for w in ("agree", "block", "abstain", "costs", "kinder")), line
    said = [r.text for r in sender.received]
    assert traces(writers, await every_row(app.db), log_lines.getvalue(), said) == []
    answers = await rows(app, ProposalAnswer)
    assert len(answers) == 4 and all(a.person_id is None for a in answers)
    assert sorted(a.answer for a in answers) == ["", "abstain", "agree", "block"]
    assert len(await rows(app, ProposalVoter)) == 3
    [outcome] = [t for t in sender.to("#group") if "has closed" in t]
    assert "Agree 1, Abstain 1, Disagree 0, Block 1" in outcome
    assert "Reasons people gave, without names:" in outcome
    assert "- Block: It costs too much" in outcome and "- Shorter is kinder" in outcome
    assert "3 of 6 members answered. 2 of them have lived experience" in outcome


async def test_bad_input_changes_nothing(app: App, clock: VirtualClock) -> None:
    await group(app)
    await all_refused(
        app,
        [
            ("bob", "/propose", "Please say what you'd like to propose"),
            ("bob", "/propose   closes in 2 days", "Please say what you'd like to propose"),
            ("bob", "/propose Tea closes in 45 days", "within 30 days"),
            ("bob", "/propose Tea closes in 10 minutes", "at least an hour from now"),
            ("bob", "/propose Tea closes sometime soonish", "couldn't tell when"),
            ("bob", "/proposal answer 1 agree", "There is no proposal 1"),
        ],
    )
    await say(app, "alice", PROPOSE)
    await say(app, "bob", "/proposal answer 1 agree")
    await all_refused(
        app,
        [
            ("bob", "/proposal answer 1 block", "You've already answered proposal 1"),
            ("carol", "/proposal answer 7 agree", "There is no proposal 7"),
            ("carol", "/proposal answer 1 sure", "isn't one of the four answers"),
            ("carol", "/proposal decide 1", "Only alice, who proposed it"),
            ("alice", "/proposal decide 1", "outcome isn't known yet"),
            ("carol", "/proposal close 1", "Only alice, who proposed it"),
            ("carol", "/proposal banana", "I don't know '/proposal banana'"),
        ],
    )
    await all_refused(
        app,
        [
            ("carol", "/proposal why 1 Because", "Please answer proposal 1 first"),
            ("bob", "/proposal why 1", "Please add your reason"),
        ],
        dm=True,
    )
    # "yes" and "no" are asked about, never taken as Agree or Block.
    async with changes_nothing(app.db, "yes"):
        asked = privately(await say(app, "carol", "/proposal answer 1 yes"), "carol")
    assert "I can't tell which answer 'yes' means" in asked and "Not now" in asked
    await say(app, "bob", "/proposal why 1 Papers help", dm=True)
    await refused(app, "bob", "/proposal why 1 More", "already given a reason", dm=True)
    # Closing early: the outcome is shared, then answering and closing again are refused.
    assert "is closed" in texts(await say(app, "alice", "/proposal close 1"))
    await refused(app, "carol", "/proposal answer 1 agree", "has closed")
    await refused(app, "alice", "/proposal close 1", "already closed")
    assert "There are no open proposals" in texts(await say(app, "carol", "/proposal"))


def test_the_options_come_off_the_end_in_any_order() -> None:
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday
    zone = ZoneInfo("Europe/London")
    friday = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
    read = options("Meet online closes friday anonymous", now, zone)
    assert read == ("Meet online", friday, True)
    assert options("Meet online, anonymous, closes on friday", now, zone) == (
        "Meet online",
        friday,
        True,
    )
    assert options("Meet online", now, zone) == ("Meet online", now + timedelta(days=2), False)
    assert options("The cafe closes early closes in 36 hours", now, zone) == (
        "The cafe closes early",
        now + timedelta(hours=36),
        False,
    )
    assert options("Meet closes 12 december 2pm", now, zone)[1] == datetime(
        2026, 12, 12, 14, 0, tzinfo=UTC
    )
