"""Each feature end to end on Slack, through the controls Slack members really use.

Rotation (/roles, /rotate), anonymous concerns (/concern), check-ins and
icebreakers (/checkin, /icebreaker) and the feedback loop (/decision, /update,
/action, /minutes): commands are typed as slash commands, buttons are pressed
where the bot posted them (signed ``block_actions``) and forms are filled in
(signed ``view_submission``). Time moves with the virtual clock, delivering on
the way. The assertions are on what people would see: the words, in which
conversation, and how many times.

Everyone in the channel CGROUP: alice (the facilitator), bob and carol (carol
gets reminders in the channel, everyone else by DM); some tests add dan and erin.
The meeting is on Saturday 5 December 2026, 14:00 to 16:00 London time (UTC);
its pack goes out on Wednesday 2 December at 14:00.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from scheduler.fast_forward import fast_forward
from storage.models import Concern
from tests.anonymity import Writer, captured_logs, every_row, traces
from tests.integration.slack import signing
from tests.integration.slack.harness import (
    MEETING,
    PACK_DUE,
    SIGNING_SECRET,
    Bot,
    JSONObj,
    button,
    delivered,
    deliveries,
    group_with_meeting,
    labels,
    words,
)

pytestmark = pytest.mark.slack

ALICE, BOB, CAROL, DAN, ERIN = "UALICE", "UBOB", "UCAROL", "UDAN", "UERIN"
CHANNEL = "CGROUP"
CONTACT = "Sam Reid, peer support, 07700 900123"


def day(month: int, date: int, hour: int = 10, minute: int = 1) -> datetime:
    """A moment in 2026 (London is on UTC in winter)."""
    return datetime(2026, month, date, hour, minute, tzinfo=UTC)


async def until(bot: Bot, when: datetime) -> None:
    """Let time pass until `when`, delivering everything due on the way."""
    await fast_forward(bot.platform.engine, bot.clock, when)


async def deliver_now(bot: Bot) -> None:
    """What a command made due now goes out (in production the command wakes the engine)."""
    await bot.platform.engine.deliver_due(bot.clock.now())


def one(items: list[str]) -> str:
    """The only item (the test fails unless there is exactly one)."""
    assert len(items) == 1, items
    return items[0]


def said(payloads: list[JSONObj]) -> str:
    """The words of one private answer (a response_url post or a form)."""
    assert len(payloads) == 1, [words(p.get("blocks")) for p in payloads]
    return words(payloads[0].get("blocks"))


def receipt(text: str) -> str:
    """The receipt code in a 'your concern is saved' answer."""
    found = re.search(r"Your receipt code is ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\.", text)
    assert found, text
    return found.group(1)


async def with_dan_and_erin(bot: Bot) -> None:
    """dan and erin are in the channel too (five people: no small-group warning)."""
    bot.mock.add_user(ERIN, "erin")
    bot.mock.set_members(CHANNEL, [ALICE, BOB, CAROL, DAN, ERIN, "UBOT"])
    await group_with_meeting(bot)


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """Every log line written during the test."""
    with captured_logs() as stream:
        yield stream


# --------------------------------------------------------------------------- rotation


async def test_roles_are_given_out_swapped_and_covered_with_buttons(bot: Bot) -> None:
    mock = bot.mock
    mock.set_members(CHANNEL, [ALICE, BOB, CAROL, DAN, "UBOT"])
    await group_with_meeting(bot)
    await bot.command(BOB, "/roles willing chair minutes")
    await bot.command(CAROL, "/roles willing minutes")
    posts_before = len(mock.messages(CHANNEL))

    refused = one(await bot.command(BOB, "/rotate"))
    assert refused.startswith(
        "Only the facilitators (the people who run the group) can use /rotate. Nothing was changed."
    )
    assert "Here, that's alice." in refused
    assert len(mock.messages(CHANNEL)) == posts_before

    assert await bot.command(ALICE, "/rotate") == []
    roles = one(bot.posts(CHANNEL, "Roles for Steering"))
    assert "Roles for Steering, Saturday 5 December, 14:00 to 16:00" in roles
    assert "Chair: bob. Minute-taker: carol." in roles
    assert "bob offered to chair and was the only one free who had." in roles
    assert "carol offered to take the minutes" in roles
    assert "alice gave out these roles with /rotate." in roles
    assert "/roles pass" in roles and "/roles swap @name" in roles

    # carol asks dan to take the minutes instead; dan says yes with the button in his DM.
    asked = one(await bot.command(CAROL, "/roles swap <@UDAN|dan>"))
    assert asked.startswith("I've asked dan.")
    (question,) = mock.messages(bot.dm(DAN))
    assert "carol asks if you'd take the minutes at Steering" in words(question.blocks)
    assert labels(question.blocks) == ["Yes, swap", "No, thank you"]
    thanks = said(await bot.press(DAN, button(question.blocks, "Yes, swap"), bot.dm(DAN)))
    assert "You'll take the minutes at Steering" in thanks and "told the group" in thanks
    assert one(bot.posts(CHANNEL, "Change of roles")) == (
        "Change of roles for Steering (Saturday 5 December, 14:00 to 16:00): "
        "dan will take the minutes. Thank you, dan and carol."
    )

    # bob can't make it: the next person willing to chair is asked, and says yes.
    await bot.command(CAROL, "/roles willing chair")
    passed = one(await bot.command(BOB, "/roles pass"))
    assert "I'll find someone else for Steering" in passed and "Nobody needs a reason." in passed
    assert len(bot.posts(CHANNEL, "Change of roles")) == 1  # the group hears once it's filled
    (offer,) = mock.messages(bot.dm(CAROL))
    offered = words(offer.blocks)
    assert "Would you like to chair at Steering, Saturday 5 December" in offered
    assert "bob" not in offered  # who dropped out isn't said
    yes = button(offer.blocks, "Yes, I'll do it")
    assert "You'll chair" in said(await bot.press(CAROL, yes, bot.dm(CAROL)))
    changes = bot.posts(CHANNEL, "Change of roles")
    assert len(changes) == 2 and changes[1].endswith("carol will chair. Thank you, carol.")

    # Pressing the same button again changes nothing and says so kindly.
    again = said(await bot.press(CAROL, yes, bot.dm(CAROL)))
    assert again.startswith("That question has already been answered")
    assert "Nothing was changed." in again and len(bot.posts(CHANNEL, "Change of roles")) == 2

    await until(bot, PACK_DUE + timedelta(minutes=1))
    for person in (ALICE, BOB, DAN):
        (pack,) = deliveries(mock, bot.dm(person), "pack")
        assert "Roles: Chair: carol. Minute-taker: dan." in words(pack.blocks)
    (in_channel,) = deliveries(mock, CHANNEL, "pack")  # for carol, who asked for the channel
    assert "Roles: Chair: carol. Minute-taker: dan." in words(in_channel.blocks)
    assert "roles" not in delivered(mock, CHANNEL)  # /rotate already told everyone


# --------------------------------------------------------------------------- concerns


async def test_concerns_come_in_privately_and_go_out_together_without_names(
    bot: Bot, log: io.StringIO
) -> None:
    mock = bot.mock
    await with_dan_and_erin(bot)
    mock.add_channel("COTHER", "other", members=[ERIN, "UBOT"])
    await bot.command(ERIN, "/group setup Other group", channel="COTHER")
    wrote_at = day(11, 30, 11, 17)  # a moment nothing else happens at
    await until(bot, wrote_at)
    conversations = len(mock.messages())

    # bob types it in his DM with the bot.
    saved = one(await bot.command(BOB, "/concern The room was too hot to think", bot.dm(BOB)))
    assert saved.startswith("Thank you. Your concern is saved, without your name.")
    assert "shared with everyone in the group on Wednesday 2 December at 14:00" in saved
    bobs = receipt(saved)
    taken_back = receipt(one(await bot.command(BOB, "/concern Never mind", bot.dm(BOB))))
    assert one(await bot.command(BOB, f"/concern withdraw {taken_back}", bot.dm(BOB))) == (
        "Done. I've taken your concern back and removed its words."
    )

    # carol uses the form: /concern alone offers it.
    offer = await bot.command_posts(CAROL, "/concern", bot.dm(CAROL))
    assert "Tell me what's on your mind. Your name is never kept." in said(offer)
    assert "You don't have to send anything." in said(offer)
    form = await bot.open_form(
        CAROL, button(offer[0]["blocks"], "Raise a concern"), bot.dm(CAROL), ephemeral=True
    )
    assert "What would you like to raise?" in words(form["blocks"])
    shown = await bot.submit(CAROL, form, "Papers came too late to read")
    assert shown is not None
    carols = receipt(words(shown["blocks"]))

    # dan types /concern in the channel: Slack shows a slash command to nobody else.
    dans = receipt(one(await bot.command(DAN, "/concern Dr Smith on ward 3 was rude")))

    # erin is in two groups: in her DM she picks one with a button.
    which = await bot.command_posts(ERIN, "/concern Too many acronyms", bot.dm(ERIN))
    assert "Which group is this concern for?" in said(which)
    assert labels(which[0]["blocks"]) == ["Steering group", "Other group", "Don't send it"]
    chosen = await bot.press(
        ERIN, button(which[0]["blocks"], "Steering group"), bot.dm(ERIN), ephemeral=True
    )
    assert chosen[0]["replace_original"] is True  # the question makes way for the answer
    erins = receipt(said(chosen))
    # In the group's own channel, there is nothing to ask.
    receipt(one(await bot.command(ERIN, "/concern The agenda is always too full")))

    assert len(mock.messages()) == conversations  # every answer was "only visible to you"
    assert await bot.count(Concern) == 6

    # Typed as an ordinary message in the channel, it would reach nobody: not even the bot.
    typed = signing.message_event("/concern everyone can read this", user=BOB)
    status, _, _ = await bot.post(signing.event(SIGNING_SECRET, typed))
    assert status == 200 and await bot.count(Concern) == 6
    assert len(mock.messages()) == conversations

    # From the day before they are shared, alice withholds one, with a reason the group sees.
    await until(bot, PACK_DUE - timedelta(hours=20))
    waiting = one(await bot.command(ALICE, "/concern pending"))
    assert "Never mind" not in waiting
    handle = re.search(r"\[(\w{6})\] Dr Smith", waiting)
    assert handle, waiting
    withheld = one(await bot.command(ALICE, f"/concern withhold {handle[1]} it names a person"))
    assert withheld.startswith("Done. It won't be shared.")

    await until(bot, PACK_DUE + timedelta(minutes=1))
    released = one(bot.posts(CHANNEL, "New concerns, shared without names"))
    for text in (
        "The room was too hot to think",
        "Papers came too late to read",
        "Too many acronyms",
        "The agenda is always too full",
        "alice withheld one concern: they held it back, so it isn't shared. "
        "The reason they gave: it names a person",
    ):
        assert text in released
    assert "Dr Smith" not in released and "Never mind" not in released
    assert not re.search(r"\b(bob|carol|dan|erin)\b", released)
    for person in (ALICE, BOB, CAROL, DAN, ERIN):
        assert "concerns-pack-group" not in delivered(mock, bot.dm(person))
    number = re.search(r"Concern (\d+): The room was too hot", released)
    assert number, released

    assert (
        await bot.command(
            ALICE, f"/concern respond {number[1]} We've asked for the heating to be turned down."
        )
        == []
    )
    response = one(bot.posts(CHANNEL, f"A reply to concern {number[1]}"))
    assert (
        "Here is what alice said back: We've asked for the heating to be turned down." in response
    )

    status_words = one(await bot.command(BOB, f"/concern status {bobs}", bot.dm(BOB)))
    assert f"Your concern was shared as concern {number[1]}." in status_words
    assert "Response from alice: We've asked for the heating" in status_words
    assert "There's no response yet" in one(
        await bot.command(CAROL, f"/concern status {carols}", bot.dm(CAROL))
    )
    assert (
        "A facilitator (alice) withheld it: they held it back, so it wasn't shared. "
        "The reason they gave: it names a person."
    ) in one(await bot.command(DAN, f"/concern status {dans}", bot.dm(DAN)))
    assert "You took this concern back. It was never shared." in one(
        await bot.command(BOB, f"/concern status {taken_back}", bot.dm(BOB))
    )
    assert "shared as concern" in one(
        await bot.command(ERIN, f"/concern status {erins}", bot.dm(ERIN))
    )

    # Nothing kept, logged or said links a concern to its writer, or to when it was written.
    writers = [Writer((user,), (), wrote_at) for user in (BOB, CAROL, DAN, ERIN)]
    seen = [words(m.blocks) + (m.text or "") for m in mock.messages()]
    seen += [words(r.blocks) for r in mock.responses]
    assert await bot.in_flight() == 0
    assert "delivery.run" in log.getvalue()  # the logs were captured
    assert traces(writers, await every_row(bot.app.db), log.getvalue(), seen) == []


# --------------------------------------------------------------------------- check-ins


async def test_the_check_in_before_a_meeting_is_answered_with_buttons_and_a_form(
    bot: Bot,
) -> None:
    mock = bot.mock
    await group_with_meeting(bot)
    await bot.command(ALICE, f"/checkin wellbeing {CONTACT}")
    await until(bot, MEETING - timedelta(minutes=59))

    for person in (ALICE, BOB):  # by DM, once each, in the hour-before reminder, with buttons
        (asked,) = deliveries(mock, bot.dm(person), "hourbefore")
        assert "How are you arriving today?" in words(asked.blocks)
        assert "A reminder: Steering is in 1 hour" in words(asked.blocks)
        assert asked.text == "Reminder: Steering at 14:00, and a check-in"  # the notification
        assert labels(asked.blocks) == [
            "Green: I'm doing okay",
            "Amber: I'm getting by, but it's a harder day",
            "Red: I'm struggling today",
            "Pass",
            "Anything you need?",
        ]
    (pointer,) = deliveries(mock, CHANNEL, "hourbefore")  # carol asked for the channel
    assert "Answers are private." in words(pointer.blocks) and labels(pointer.blocks) == []
    assert deliveries(mock, bot.dm(CAROL), "hourbefore") == []

    # bob is struggling: he is told privately who the wellbeing contact is.
    (bobs,) = deliveries(mock, bot.dm(BOB), "hourbefore")
    red = await bot.press(BOB, button(bobs.blocks, "Red: I'm struggling today"), bot.dm(BOB))
    answer = said(red)
    assert "I'm sorry today is hard." in answer and "Nobody will see that you chose red." in answer
    assert f"Steering group's wellbeing contact is {CONTACT}." in answer
    assert "If you need help now: Samaritans: call 116 123" in answer
    form = await bot.open_form(
        BOB, button(red[0]["blocks"], "Anything else?"), bot.dm(BOB), ephemeral=True
    )
    assert "Is there anything you need from us today? (optional)" in words(form["blocks"])
    kept = await bot.submit(BOB, form, "A quiet space to step out to")
    assert kept is not None
    assert "I'll pass this on to the facilitators without your name." in words(kept["blocks"])
    unnamed = await bot.press_in_form(BOB, button(kept["blocks"], "No, keep my name out"), kept)
    assert "without your name" in words(unnamed["blocks"])

    (alices,) = deliveries(mock, bot.dm(ALICE), "hourbefore")
    green = said(
        await bot.press(ALICE, button(alices.blocks, "Green: I'm doing okay"), bot.dm(ALICE))
    )
    assert green.startswith("Thank you. I'm glad you're here.") and CONTACT not in green

    # carol gets the question privately by asking for it, and passes.
    question = await bot.command_posts(CAROL, "/checkin", bot.dm(CAROL))
    assert "How are you arriving today?" in said(question)
    passed = said(
        await bot.press(CAROL, button(question[0]["blocks"], "Pass"), bot.dm(CAROL), ephemeral=True)
    )
    assert passed == "That's fine. Thank you. You don't need to do anything else."

    await until(bot, MEETING - timedelta(minutes=5))
    (summary,) = deliveries(mock, bot.dm(ALICE), "checkin-summary-before")
    seen = words(summary.blocks)
    # Only 2 answered: no counts (people could be recognised), but the need is shown.
    assert "Fewer than 3 people answered" in seen
    assert "Red (struggling today)" not in seen and "Someone is finding today hard" not in seen
    assert "A quiet space to step out to" in seen
    assert not re.search(r"\b(bob|carol)\b", seen)
    assert deliveries(mock, bot.dm(BOB), "checkin-summary-before") == []
    assert deliveries(mock, CHANNEL, "checkin-summary-before") == []

    # In the meeting bob needs a pause: typed in the channel, yet only alice hears of it.
    offer = await bot.command_posts(BOB, "/checkin pause")
    assert "Shall I include your name?" in said(offer)
    sent = said(
        await bot.press(
            BOB, button(offer[0]["blocks"], "Send it without my name"), CHANNEL, ephemeral=True
        )
    )
    assert sent.startswith("Done. I've told the facilitators privately, without your name.")
    told = one(bot.posts(bot.dm(ALICE), "needs a pause"))
    assert told.startswith("Someone in Steering needs a pause.") and "bob" not in told
    assert not bot.posts(CHANNEL, "needs a pause") and not bot.posts(bot.dm(BOB), "needs a pause")


async def test_after_the_meeting_people_say_with_buttons_whether_they_felt_heard(
    bot: Bot,
) -> None:
    mock = bot.mock
    await group_with_meeting(bot)
    await until(bot, MEETING + timedelta(hours=3, minutes=1))  # an hour after the end

    for person, choice in ((ALICE, "Mostly"), (BOB, "Not really")):
        (asked,) = deliveries(mock, bot.dm(person), "after")  # in the thank-you note
        assert "Did you feel heard today? Choose from not at all to yes, fully." in words(
            asked.blocks
        )
        assert "Thank you for being part of Steering today." in words(asked.blocks)
        assert labels(asked.blocks) == [
            "Not at all",
            "Not really",
            "Partly",
            "Mostly",
            "Yes, fully",
            "Pass",
            "Anything to add?",
        ]
        answer = said(await bot.press(person, button(asked.blocks, choice), bot.dm(person)))
        assert answer.startswith("Thank you. I've kept your answer without your name.")
        assert ("I'm sorry you didn't feel heard." in answer) == (person == BOB)
    question = await bot.command_posts(CAROL, "/checkin", bot.dm(CAROL))
    await bot.press(
        CAROL, button(question[0]["blocks"], "Yes, fully"), bot.dm(CAROL), ephemeral=True
    )

    await until(bot, MEETING + timedelta(days=1, hours=3, minutes=1))  # it closes
    heard = one(bot.posts(CHANNEL, "Did people feel heard at Steering?"))
    assert "On average 3.7 out of 5, from 3 people." in heard
    (summary,) = deliveries(mock, bot.dm(ALICE), "checkin-summary-after")
    assert "3 people answered. On average: 3.7 out of 5." in words(summary.blocks)
    assert deliveries(mock, bot.dm(BOB), "checkin-summary-after") == []


# --------------------------------------------------------------------------- icebreakers


async def test_an_icebreaker_is_answered_in_a_form_or_passed_and_shown_together(
    bot: Bot,
) -> None:
    mock = bot.mock
    await group_with_meeting(bot)
    await until(bot, PACK_DUE + timedelta(minutes=1))
    (pack,) = deliveries(mock, bot.dm(BOB), "pack")
    ahead = re.search(
        r"Icebreaker at the start: (.+)\n.*/icebreaker answer (\d+)", words(pack.blocks)
    )
    assert ahead, words(pack.blocks)
    prompt, number = ahead[1], ahead[2]
    held = one(await bot.command(BOB, f"/icebreaker answer {number} My dog, Biscuit", bot.dm(BOB)))
    assert held.startswith(
        "Thank you. I'll show your answer along with the rest when the meeting starts."
    )
    assert not bot.posts(CHANNEL, "Biscuit")

    await until(bot, MEETING + timedelta(minutes=1))
    (start,) = deliveries(mock, CHANNEL, "icebreaker")
    shown = words(start.blocks)
    assert prompt in shown and "Answers given ahead:" in shown and "bob: My dog, Biscuit" in shown
    assert labels(start.blocks) == ["Answer the icebreaker", "Pass"]

    form = await bot.open_form(ALICE, button(start.blocks, "Answer the icebreaker"), CHANNEL)
    thanks = await bot.submit(ALICE, form, "Baking bread")
    assert thanks is not None and "I'll show your answer along with the rest" in words(
        thanks["blocks"]
    )
    assert not bot.posts(CHANNEL, "Baking bread")  # held until everyone has answered or passed

    passed = said(await bot.press(CAROL, button(start.blocks, "Pass"), CHANNEL))
    assert passed.startswith("That's fine. You can always pass, and nobody keeps count.")
    answers = one(bot.posts(CHANNEL, "Icebreaker answers"))
    # Everyone's answers together, the one given ahead too; a pass is never shown.
    assert "bob: My dog, Biscuit" in answers and "alice: Baking bread" in answers
    assert "carol" not in answers

    await until(bot, MEETING + timedelta(hours=1))  # past the icebreaker's close
    assert len(bot.posts(CHANNEL, "Icebreaker answers")) == 1


# --------------------------------------------------------------------------- decisions


async def test_a_decision_is_followed_up_with_buttons_and_everyone_hears_once(bot: Bot) -> None:
    mock = bot.mock
    await group_with_meeting(bot)
    await until(bot, MEETING + timedelta(minutes=30))  # in the meeting
    everyone = (bot.dm(ALICE), bot.dm(BOB), CHANNEL)  # carol reads the channel

    refused = one(await bot.command(BOB, "/decision Papers go out a week before each meeting"))
    assert refused.startswith(
        "Decisions are recorded by the chair, the minute-taker or a "
        "facilitator (alice). Nothing was changed."
    )
    recorded = await bot.command_posts(
        ALICE,
        "/decision Papers go out a week before each meeting owner <@UBOB|bob> update in 2 weeks",
    )
    assert "Recorded as decision 1" in said(recorded)
    decision = one(bot.posts(CHANNEL, "Decision 1"))
    assert "Papers go out a week before each meeting" in decision
    assert "From: Steering on Saturday 5 December." in decision
    assert "On Saturday 19 December I'll ask bob how it is going" in decision
    lived = await bot.press(ALICE, button(recorded[0]["blocks"], "Yes"), CHANNEL, ephemeral=True)
    assert "People with lived experience helped to make it." in said(lived)
    assert lived[0]["replace_original"] is True

    # On the day, bob is asked privately; three days later once more; then alice hears.
    await until(bot, day(12, 26))
    (asked,) = deliveries(mock, bot.dm(BOB), "decisionask")
    assert "It's time for an update on decision 1" in words(asked.blocks)
    assert labels(asked.blocks) == ["Done", "Still in progress", "Not now"]
    (again,) = deliveries(mock, bot.dm(BOB), "decisionaskagain")
    assert words(again.blocks).startswith("A gentle reminder: I'd still love an update")
    (waiting,) = deliveries(mock, bot.dm(ALICE), "decisionwaiting")
    assert "was due on Saturday 19 December and hasn't come in yet" in words(waiting.blocks)
    assert deliveries(mock, bot.dm(BOB), "decisionwaiting") == []
    assert deliveries(mock, CHANNEL, "decisionwaiting") == []

    progress = button(asked.blocks, "Still in progress")
    thanks = said(await bot.press(BOB, progress, bot.dm(BOB)))
    assert "I'm sharing your update on decision 1 with everyone now" in thanks
    assert "I'll ask for the next update on Saturday 9 January." in thanks
    twice = said(await bot.press(BOB, progress, bot.dm(BOB)))  # a double click
    assert "already shared with everyone. Nothing was changed." in twice
    await deliver_now(bot)
    for place in everyone:
        (update,) = deliveries(mock, place, "decisionupdate")
        assert words(update.blocks).startswith("You said → we're working on it")

    done = one(
        await bot.command(
            BOB, "/update 1 done Papers now go out seven days before each meeting.", bot.dm(BOB)
        )
    )
    assert "This decision is now closed." in done
    await deliver_now(bot)
    for place in everyone:
        latest = words(deliveries(mock, place, "decisionupdate")[-1].blocks)
        assert latest.startswith("You said → we did\nYou said (decision 1): Papers go out")
        assert "What was done: Papers now go out seven days before each meeting." in latest

    # The old question's Done button, pressed now, tells nobody anything twice.
    stale = said(await bot.press(BOB, button(asked.blocks, "Done"), bot.dm(BOB)))
    assert "Decision 1 is already closed (done)" in stale and "Nothing was changed." in stale
    await deliver_now(bot)
    for place in everyone:
        assert len(deliveries(mock, place, "decisionupdate")) == 2


async def test_an_action_is_done_with_a_button_and_minutes_are_chased_then_sent_round(
    bot: Bot,
) -> None:
    mock = bot.mock
    await group_with_meeting(bot)
    await until(bot, MEETING + timedelta(minutes=45))
    assert await bot.command(
        ALICE, "/action Book a bigger room owner <@UBOB|bob> by 10 December"
    ) == [
        "Added as action 1. bob will get reminders. "
        "Either of you can mark it done with /action done 1."
    ]
    action = one(bot.posts(CHANNEL, "Action 1: Book a bigger room"))
    assert "bob will do this by Thursday 10 December." in action

    # Nobody was down as minute-taker: two days after the meeting, alice is reminded.
    await until(bot, day(12, 9))
    (chased,) = deliveries(mock, bot.dm(ALICE), "minutesdue")
    assert "The minutes of Steering on Saturday 5 December aren't in yet" in words(chased.blocks)
    assert deliveries(mock, bot.dm(BOB), "minutesdue") == []

    (reminder,) = deliveries(mock, bot.dm(BOB), "actionbefore")
    assert "action 1 is due tomorrow (Thursday 10 December)" in words(reminder.blocks)
    done = button(reminder.blocks, "Done")
    assert said(await bot.press(BOB, done, bot.dm(BOB))) == (
        "Thank you. I've told the group that action 1 is done."
    )
    assert one(bot.posts(CHANNEL, "Action 1 is done")) == (
        "Action 1 is done: Book a bigger room\nThank you, bob."
    )
    again = said(await bot.press(BOB, done, bot.dm(BOB)))
    assert again == "Action 1 is already done. Nothing was changed."
    await until(bot, day(12, 11))
    assert deliveries(mock, bot.dm(BOB), "actionday") == []  # done: no reminder on the day

    sent = one(await bot.command(ALICE, "/minutes https://example.org/notes/5-december"))
    assert sent.startswith(
        "Thank you. I'm sending the minutes of Steering on Saturday 5 December to everyone now"
    )
    await deliver_now(bot)
    await deliver_now(bot)  # a second run sends nothing again
    for place in (bot.dm(ALICE), bot.dm(BOB), CHANNEL):
        (minutes,) = deliveries(mock, place, "minutes")
        seen = words(minutes.blocks)
        assert seen.startswith("Minutes: Steering on Saturday 5 December")
        assert "https://example.org/notes/5-december" in seen and "Sent in by alice." in seen
    assert deliveries(mock, bot.dm(CAROL), "minutes") == []
