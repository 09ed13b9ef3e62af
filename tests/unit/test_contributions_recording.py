"""Recording the contribution log: "Who was there?" after each meeting (to its chair, else
its minute-taker, else the facilitators, once), `/contributions there` (a button, dates,
"everyone except", mention pills from Slack and Matrix, corrections), preparation time,
expenses and each member's private payment choice; bad input changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import select

from bot.app import App
from bot.platforms.matrix.mentions import pills_as_ids
from bot.platforms.slack.render import from_slack
from bot.platforms.text import render_text
from handlers.contributions import presence
from handlers.contributions.adding import money_words
from handlers.contributions.payment import choice_in
from handlers.core.messages import Choices
from handlers.core.occurrences import between
from handlers.core.router import Incoming
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import Contribution, Expense, PaymentChoice, Presence, PresenceCheck
from storage.uow import UnitOfWork
from tests.support import handle, privately, refused, say
from tests.unit.followup_support import ButtonSender, give_role, got, press

# Saturday 5 December 2026, 14:00 to 16:00 London time (= UTC in winter).
MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
END = MEETING + timedelta(hours=2)
KEY = "2026-12-05T14:00"
WHEN = "Steering on Saturday 5 December"
Row = TypeVar("Row")


async def group(app: App) -> None:
    """alice facilitates; bob, carol and dan are members; a meeting on Saturday at 14:00."""
    await say(app, "alice", "/group setup Steering group")
    for name in ("bob", "carol", "dan"):
        await say(app, name, "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h at Room 4")


async def present(app: App) -> list[str]:
    """Who the record says was at the meeting, by name."""
    async with UnitOfWork(app.db.sessions) as uow:
        rows = (await uow.session.scalars(select(Presence))).all()
        people = [await uow.people.get(r.person_id) for r in rows]
        return sorted(p.display_name for p in people if p)


async def rows(app: App, kind: type[Row]) -> list[Row]:
    """Every row of one table."""
    async with UnitOfWork(app.db.sessions) as uow:
        return list((await uow.session.scalars(select(kind))).all())


async def asked(app: App) -> list[tuple[str, int | None]]:
    """Who the planner would ask about the meeting: (recipients, person id)."""
    async with UnitOfWork(app.db.sessions) as uow:
        g = (await uow.groups.all())[0]
        dues = await presence.plan(uow, g, END - timedelta(minutes=1), END + timedelta(minutes=1))
        return [(d.recipients, d.person_id) for d in dues]


async def test_the_chair_is_asked_once_with_a_guess_and_confirms_it_with_the_button(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    await say(app, "bob", "/coming yes")
    await say(app, "dan", "/coming no")
    await give_role(app, "carol", "chair")
    sender = ButtonSender()
    engine = app.delivery(sender)
    clock.set(END - timedelta(minutes=1))  # a jump: what came before doesn't matter here
    await fast_forward(engine, clock, END + timedelta(minutes=1))
    [question] = got(sender, "dm:carol", "present")
    assert question.startswith(f"Who was there? {WHEN} has finished.")
    assert "I think these people came: bob and carol. Is that right?" in question
    assert "/contributions there 5 December" in question and "everyone except @" in question
    assert "You can skip this." in question
    assert [r.where for r in sender.received if r.key.startswith("present")] == ["dm:carol"]

    reply = privately(await press(app, sender, "carol", "Yes, that's right"), "carol")
    assert f"I've noted who came to {WHEN}: bob and carol." in reply
    assert await present(app) == ["bob", "carol"]
    clock.set(END + timedelta(days=1))
    await engine.deliver_due(clock.now())
    assert len([r for r in sender.received if r.key.startswith("present")]) == 1


async def test_without_a_chair_the_minute_taker_then_the_facilitators_are_asked(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    assert await asked(app) == [("facilitators", None)]
    await give_role(app, "dan", "minutes")
    async with UnitOfWork(app.db.sessions) as uow:
        dan = await uow.people.find("console", "dan")
        assert dan is not None
    assert await asked(app) == [("person", dan.id)]


async def test_with_nobody_to_suggest_the_question_offers_everyone_came(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    async with UnitOfWork(app.db.sessions) as uow:
        g = (await uow.groups.all())[0]
        [o] = await between(uow, g, MEETING, END)
        msg = await presence.question(uow, g, o)
    shown = render_text(msg)[0]
    assert "Nobody told me they were coming, so I can't guess this time." in shown
    assert "1. Everyone came" in shown and "Or tell me who came." in shown
    [choices] = [b for b in msg.blocks if isinstance(b, Choices)]
    assert choices.options[0].command == f"/contributions there m1/{KEY} everyone"


async def test_once_someone_has_said_the_question_is_not_sent(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    clock.set(END - timedelta(minutes=30))  # during the meeting: it has started
    await say(app, "alice", "/contributions there 5 December everyone")
    sender = ButtonSender()
    clock.set(END + timedelta(minutes=1))
    await app.delivery(sender).deliver_due(clock.now())
    assert "present" not in sender.kinds("dm:alice")


async def test_corrections_replace_the_record_and_everyone_except_works(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    clock.set(END + timedelta(hours=1))
    reply = privately(await say(app, "alice", "/contributions there last @bob, @carol"), "alice")
    assert f"I've noted who came to {WHEN}: bob and carol." in reply
    reply = privately(
        await say(app, "alice", "/contributions there 5 December everyone except @dan"), "alice"
    )
    assert f"I've changed who came to {WHEN}: alice, bob and carol." in reply
    assert await present(app) == ["alice", "bob", "carol"]
    assert len(await rows(app, PresenceCheck)) == 1
    reply = privately(await say(app, "alice", f"/contributions there m1/{KEY} nobody"), "alice")
    assert f"I've changed that nobody came to {WHEN}." in reply
    assert await present(app) == []
    shown = privately(await say(app, "alice", "/contributions there"), "alice")
    assert f"I have nobody down as coming to {WHEN}." in shown


async def test_only_the_chair_minute_taker_or_a_facilitator_may_say_and_bad_input_is_refused(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    clock.set(MEETING - timedelta(hours=1))
    await refused(app, "alice", "/contributions there 5 December @bob", "hasn't started yet")
    await refused(app, "alice", "/contributions there last @bob", "No meeting has finished yet")
    clock.set(END + timedelta(hours=1))
    await refused(app, "bob", "/contributions there last @bob", "Only the chair, the minute-taker")
    for said, expect in (
        ("/contributions there last @zed", "I don't know anyone called zed"),
        ("/contributions there last bob", "I couldn't tell which meeting"),
        ("/contributions there 3 March @bob", "I couldn't find a meeting on that date"),
        ("/contributions there m9/2026-12-05T14:00 @bob", "I couldn't find a meeting"),
        ("/contributions there last everyone except dan", "Please put @ before each name"),
        ("/contributions there last everyone except", "Please say who to leave out"),
        ("/contributions there last as listed", "I didn't have anyone listed"),
    ):
        await refused(app, "alice", said, expect)
    await give_role(app, "bob", "minutes")
    reply = privately(await say(app, "bob", "/contributions there last as listed"), "bob")
    assert f"I've noted who came to {WHEN}: bob." in reply


def slack(user: str, text: str) -> Incoming:
    """`user` says `text` in the Slack channel C1 (their name is their id without U0)."""
    return Incoming("slack", user, user.removeprefix("U0").capitalize(), text, "C1")


def matrix(user: str, text: str) -> Incoming:
    """`user` says `text` in the Matrix room !room (their name is 'Alice Smith' and so on)."""
    name = f"{user[1:].split(':')[0].capitalize()} Smith"
    return Incoming("matrix", user, name, text, "!room:example.org")


async def test_mention_pills_from_slack_and_matrix_name_the_people_meant(
    app: App, clock: VirtualClock
) -> None:
    for speak, alice, others in (
        (slack, "U0ALICE", ("U0BOB", "U0CAROL")),
        (matrix, "@alice:example.org", ("@dan:example.org",)),
    ):
        await handle(app, speak(alice, "/group setup Steering group"))
        for user in others:
            await handle(app, speak(user, "hello"))
        await handle(app, speak(alice, "/meeting new Steering 2026-12-05 14:00 for 2h"))
    clock.set(END + timedelta(hours=1))

    typed = from_slack("/contributions there last <@U0BOB|bob> and <@U0CAROL>")
    reply = privately(await handle(app, slack("U0ALICE", typed)), "U0ALICE")
    assert f"I've noted who came to {WHEN}: Bob and Carol." in reply

    pill = '<a href="https://matrix.to/#/@dan:example.org">Dan Smith</a>'
    body = pills_as_ids("/contributions there last Dan Smith", f"/contributions there last {pill}")
    assert body == "/contributions there last @dan:example.org"
    reply = privately(await handle(app, matrix("@alice:example.org", body)), "@alice:example.org")
    assert f"I've noted who came to {WHEN}: Dan Smith." in reply


@pytest.mark.parametrize(
    ("said", "minutes", "what"),
    [
        ("2h reading papers", 120, "reading papers"),
        ("90m  phone call with  Sam", 90, "phone call with  Sam"),
        ("1h30 reading", 90, "reading"),
        ("2 hours travelling to the hospital", 120, "travelling to the hospital"),
        ("half an hour emails", 30, "emails"),
        ("1.5 hours reading the strategy", 90, "reading the strategy"),
        ("reading papers for 2 hours", 120, "reading papers"),
        ("travel to the hospital 90m", 90, "travel to the hospital"),
    ],
)
async def test_time_is_kept_as_written_with_the_nearest_meeting(
    app: App, clock: VirtualClock, said: str, minutes: int, what: str
) -> None:
    await group(app)
    reply = privately(await say(app, "bob", f"/contributions add {said}"), "bob")
    assert f"It counts with the next meeting, {WHEN}." in reply
    [row] = await rows(app, Contribution)
    assert (row.minutes, row.what, row.occurrence) == (minutes, what, KEY)


async def test_time_after_a_meeting_counts_with_it_and_without_meetings_is_still_kept(
    app: App, clock: VirtualClock
) -> None:
    await say(app, "alice", "/group setup Steering group")
    reply = privately(await say(app, "alice", "/contributions add 1h reading"), "alice")
    assert "There's no meeting to count it with yet" in reply
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h every 4 weeks")
    clock.set(END + timedelta(days=3))
    reply = privately(await say(app, "alice", "/contributions add 1h writing up"), "alice")
    assert f"It counts with the last meeting, {WHEN}." in reply
    assert [(r.meeting_id, r.occurrence) for r in await rows(app, Contribution)] == [
        (None, None),
        (1, KEY),
    ]


async def test_silly_time_is_refused_kindly(app: App, clock: VirtualClock) -> None:
    await group(app)
    for said, expect in (
        ("/contributions add 0h nothing", "more than nothing"),
        ("/contributions add -2h reading", "more than nothing"),
        ("/contributions add 25h reading", "more than 24 hours"),
        ("/contributions add 2h", "Please say what it was for"),
        ("/contributions add reading papers", "Please say how long it took"),
        ("/contributions add", "Please say how long it took"),
    ):
        await refused(app, "bob", said, expect)


@pytest.mark.parametrize(
    ("said", "amount", "currency", "what", "shown"),
    [
        ("£4.50 bus fare", 450, "GBP", "bus fare", "£4.50"),
        ("4.50 bus fare", 450, "GBP", "bus fare", "£4.50"),
        ("€3 coffee", 300, "EUR", "coffee", "€3"),
        ("50p phone data", 50, "GBP", "phone data", "£0.50"),
        ("£12 train to the meeting", 1200, "GBP", "train to the meeting", "£12"),
        ("3.20 EUR tram", 320, "EUR", "tram", "€3.20"),
        ("bus fare £4.50", 450, "GBP", "bus fare", "£4.50"),
        ("parking: €3 at the hospital", 300, "EUR", "parking at the hospital", "€3"),
        ("train 12 pounds", 1200, "GBP", "train", "£12"),
    ],
)
async def test_expenses_are_kept_in_pence_with_their_currency(
    app: App, clock: VirtualClock, said: str, amount: int, currency: str, what: str, shown: str
) -> None:
    await group(app)
    reply = privately(await say(app, "bob", f"/expenses {said}"), "bob")
    assert f"I've noted {shown}: {what}" in reply and WHEN in reply
    [row] = await rows(app, Expense)
    assert (row.amount, row.currency, row.what) == (amount, currency, what)


async def test_silly_expenses_are_refused_kindly(app: App, clock: VirtualClock) -> None:
    await group(app)
    for said, expect in (
        ("/expenses £0 bus", "more than nothing"),
        ("/expenses -£3 bus", "more than nothing"),
        ("/expenses £-3 bus", "more than nothing"),
        ("/expenses £600 taxi", "more than £500"),
        ("/expenses £1,000 taxi", "more than £500"),
        ("/expenses £4.50", "Please say what it was for"),
        ("/expenses bus fare", "Please say how much it cost"),
        ("/expenses bus 42", "Please say how much it cost"),
        ("/expenses £4.505 bus", "Please say how much it cost"),
        ("/expenses taxi £4 or £6", "Please say how much it cost"),
    ):
        await refused(app, "bob", said, expect)


def test_money_reads_plainly() -> None:
    assert money_words(450, "GBP") == "£4.50"
    assert money_words(50000, "GBP") == "£500"
    assert money_words(1234, "CHF") == "CHF 12.34"


@pytest.mark.parametrize(
    ("words", "choice"),
    [
        ("paid", "paid"),
        ("I'd like to be paid", "paid"),
        ("vouchers", "vouchers"),
        ("I'd like vouchers", "vouchers"),
        ("none", "none"),
        ("no payment", "none"),
        ("don't pay me", "none"),
        ("Don’t pay me, thanks", "none"),
        ("I'd rather not be paid", "none"),
        ("clear", "clear"),
        ("maybe later", None),
    ],
)
def test_payment_choices_in_plain_words(words: str, choice: str | None) -> None:
    assert choice_in(words) == choice


async def test_a_payment_choice_is_private_never_assumed_and_says_who_to_ask(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    benefits = "You can still be paid for taking part if you get benefits. To check, ask alice"
    shown = privately(await say(app, "dan", "/contributions payment", dm=True), "dan")
    assert "hasn't written down what it offers for your time yet" in shown
    assert "You haven't said how you'd like to be paid yet." in shown
    assert benefits in shown and "Citizens Advice" in shown
    assert await rows(app, PaymentChoice) == []

    said = await say(app, "dan", "/contributions payment none")
    assert "others in this channel could see it" in privately(said, "dan")
    assert await rows(app, PaymentChoice) == []

    reply = privately(await say(app, "dan", "/contributions payment no payment", dm=True), "dan")
    assert "you don't want to be paid" in reply and benefits in reply
    [row] = await rows(app, PaymentChoice)
    assert row.choice == "none"

    await say(app, "alice", "/group payment £25 a meeting, or vouchers")
    shown = privately(await say(app, "dan", "/contributions payment", dm=True), "dan")
    assert "What Steering group offers for your time: £25 a meeting, or vouchers" in shown
    assert "You said you don't want to be paid." in shown

    reply = privately(
        await say(app, "dan", "/contributions payment I'd like vouchers", dm=True), "dan"
    )
    assert "you'd like vouchers" in reply
    [row] = await rows(app, PaymentChoice)
    assert row.choice == "vouchers"
    await refused(app, "dan", "/contributions payment maybe later", "Please say paid", dm=True)
    reply = privately(await say(app, "dan", "/contributions payment clear", dm=True), "dan")
    assert "I've taken back your choice." in reply
    assert await rows(app, PaymentChoice) == []
    await say(app, "alice", "/group facilitator add @carol")
    reply = privately(await say(app, "dan", "/contributions payment paid", dm=True), "dan")
    assert "To check, ask alice or carol (the facilitators). Or ask a free adviser" in reply


async def test_distress_inside_a_record_is_kept_and_answered_with_support(
    app: App, clock: VirtualClock
) -> None:
    await group(app)
    for said in ("/contributions add 2h I want to kill myself", "/expenses £3 taxi, I can't go on"):
        result = await say(app, "bob", said)
        assert len(result.sent) == 2 and all(s.address.user == "bob" for s in result.sent)
        saved, support = (render_text(s.message)[0] for s in result.sent)
        assert saved.startswith("Thank you.") and "Samaritans" in support
    assert [r.what for r in await rows(app, Contribution)] == ["I want to kill myself"]
    assert [r.what for r in await rows(app, Expense)] == ["taxi, I can't go on"]
