"""One request, one effect: a slash command, button press or form submission posted again
(the same signed bytes, in order or at the same moment, or the same trigger_id signed
anew) runs once and is answered with a plain 200. A button or form too old to use says
so, with what to type instead; a signed body that can't be read gets 400.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta

import pytest

from bot.platforms.slack.render import CHOICE, MODAL, PRIVATE, REF
from handlers.core.messages import Address, Addressed, Message, Paragraph, PrivateInput
from storage.models import SlackInbox
from tests.integration.slack import signing
from tests.integration.slack.harness import SIGNING_SECRET, Bot, button, words

pytestmark = pytest.mark.slack

ALICE, BOB = "UALICE", "UBOB"
CHANNEL = "CGROUP"


async def posted_often(bot: Bot, request: signing.SignedRequest) -> list[tuple[int, str]]:
    """The request posted three times at the same moment, then twice more in order."""
    together = await asyncio.gather(*(bot.post(request) for _ in range(3)))
    answers = [(status, body) for status, body, _ in together]
    return answers + [(await bot.post(request))[:2] for _ in range(2)]


async def agenda(bot: Bot) -> str:
    (listed,) = await bot.command(ALICE, "/agenda")
    return listed


async def test_a_command_posted_again_runs_once(bot: Bot) -> None:
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, "/meeting new Steering 2026-12-05 14:00 for 2h")
    url = bot.mock.response_url()
    trigger = signing.new_trigger_id()

    def signed(at: int | None = None) -> signing.SignedRequest:
        return signing.slash_command(
            SIGNING_SECRET,
            command="/agenda",
            text="add Crisis line waiting times",
            user_id=BOB,
            user_name="bob",
            response_url=url,
            trigger_id=trigger,
            timestamp=at,
        )

    assert await posted_often(bot, signed()) == [(200, "")] * 5
    assert len(bot.answers(url)) == 1
    assert (await agenda(bot)).count("Crisis line waiting times") == 1

    # The same trigger_id, signed anew a minute later, runs no more either.
    assert (await bot.post(signed(int(time.time()) + 60)))[:2] == (200, "")
    assert (await agenda(bot)).count("Crisis line waiting times") == 1

    # Only bare keys are kept, and only for two days (Slack's signatures last 5 minutes).
    assert await bot.in_flight() == 0 and await bot.count(SlackInbox) > 0
    await bot.platform.inbox.prune(bot.clock.now().date() + timedelta(days=3))
    assert await bot.count(SlackInbox) == 0


async def test_a_button_or_form_posted_again_runs_once(bot: Bot) -> None:
    mock = bot.mock
    mock.add_channel("COTHER", "other", members=[ALICE, "UBOT"])
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, "/group setup Other group", channel="COTHER")
    await bot.command(ALICE, "/meeting new Steering 2026-12-05 14:00 for 2h")

    # A choice: in her DM, alice picks the group for an agenda item.
    (question,) = await bot.command_posts(ALICE, "/agenda add Room bookings", bot.dm(ALICE))
    steering = button(question["blocks"], "Steering group")
    url = mock.response_url()
    press = signing.block_actions(
        SIGNING_SECRET,
        action_id=steering["action_id"],
        value=steering["value"],
        channel_id=bot.dm(ALICE),
        ephemeral=True,
        response_url=url,
    )
    assert await posted_often(bot, press) == [(200, "")] * 5
    assert len(bot.answers(url)) == 1
    assert (await agenda(bot)).count("Room bookings") == 1

    # A form: the same submission, sent again, adds nothing more.
    form = Message(
        (
            Paragraph("Anything for the agenda?"),
            PrivateInput("Add an item", "What should we talk about?", "/agenda add", 1),
        )
    )
    await bot.platform.sender.send(Addressed(form, Address(user=ALICE)), "test:form")
    offered = mock.messages(bot.dm(ALICE))[-1]
    opened = await bot.open_form(ALICE, button(offered.blocks, "Add an item"), bot.dm(ALICE))
    submission = signing.view_submission(
        SIGNING_SECRET,
        callback_id=MODAL,
        private_metadata=opened["private_metadata"],
        view_id=opened["id"],
        values={"text": {"text": "Travel expenses"}},
    )
    answers = await posted_often(bot, submission)
    assert [status for status, _ in answers] == [200] * 5
    (shown,) = [json.loads(body) for _, body in answers if body]  # the rest: a plain 200
    assert shown["response_action"] == "update"
    assert "Travel expenses" in words(shown["view"]["blocks"])
    assert (await agenda(bot)).count("Travel expenses") == 1


async def test_a_button_or_form_too_old_to_use_says_what_to_type_instead(bot: Bot) -> None:
    mock = bot.mock
    await bot.command(ALICE, "/group setup Steering group")
    (offer,) = await bot.command_posts(ALICE, "/concern", bot.dm(ALICE))
    form = await bot.open_form(
        ALICE, button(offer["blocks"], "Raise a concern"), bot.dm(ALICE), ephemeral=True
    )
    before, keys = len(mock.messages()), await bot.count(SlackInbox)

    def pressed(action_id: str, value: str, url: str) -> signing.SignedRequest:
        return signing.block_actions(
            SIGNING_SECRET,
            action_id=action_id,
            value=value,
            channel_id=CHANNEL,
            ephemeral=True,
            response_url=url,
        )

    # Its long value was kept too long ago; a form button whose value can't be read.
    for action_id, value in ((f"{CHOICE}:1", REF + "0" * 40), (f"{PRIVATE}:1", "{not json")):
        url = mock.response_url()
        status, _, _ = await bot.post(pressed(action_id, value, url))
        (said,) = bot.answers(url)
        assert status == 200
        assert said.startswith("Sorry, that button is out of date, so nothing was changed.")
        assert "/help shows them all" in said
    # A button an older version of the bot made: its command is still known.
    url = mock.response_url()
    status, _, _ = await bot.post(pressed("alongside:old-button", '{"c":"/agenda","g":1}', url))
    assert status == 200 and bot.answers(url) == [
        "Sorry, that button is out of date, so nothing was changed.\nPlease type /agenda instead."
    ]
    # Pressed inside a form, the form says so.
    stale = {"action_id": f"{CHOICE}:2", "value": REF + "1" * 40}
    shown = await bot.press_in_form(ALICE, stale, form)
    assert "that button is out of date" in words(shown["blocks"])

    # A form whose question is no longer kept keeps the words, to copy, and says why.
    for callback, metadata in ((MODAL, json.dumps({"r": "0" * 40})), ("old-form", "")):
        status, body, _ = await bot.post(
            signing.view_submission(
                SIGNING_SECRET,
                callback_id=callback,
                private_metadata=metadata,
                values={"text": {"text": "My words"}},
            )
        )
        answer = json.loads(body)
        assert status == 200 and answer["response_action"] == "errors"
        assert answer["errors"]["text"].startswith("Sorry, this form is out of date")
        assert "copy your words" in answer["errors"]["text"]
    assert len(mock.messages()) == before and await bot.count(SlackInbox) == keys


async def test_a_signed_body_that_cannot_be_read_gets_400(bot: Bot) -> None:
    form, json_type = "application/x-www-form-urlencoded", "application/json"
    unreadable = {
        "not utf-8": signing.sign(SIGNING_SECRET, b"payload=\xff\xfe", content_type=form),
        "not json": signing.sign(SIGNING_SECRET, b"{not json", content_type=json_type),
        "payload not json": signing.sign(SIGNING_SECRET, b"payload=%7Bnot", content_type=form),
        "not an object": signing.sign(SIGNING_SECRET, b"[1]", content_type=json_type),
        "a press without a button": signing.interactivity(
            SIGNING_SECRET, {"type": "block_actions", "actions": [], "user": {"id": ALICE}}
        ),
        "an event that is no object": signing.sign(
            SIGNING_SECRET, b'{"type":"event_callback","event":"x"}', content_type=json_type
        ),
    }
    for reason, request in unreadable.items():
        status, _, _ = await bot.post(request)
        assert status == 400, reason
    # The same bytes with a wrong signature are refused as not from Slack.
    status, _, _ = await bot.post(signing.forged(unreadable["not utf-8"]))
    assert status == 401
    assert await bot.count(SlackInbox) == 0
    assert bot.mock.messages() == [] and bot.mock.responses == []


async def test_a_command_whose_words_look_like_slacks_own_fields_still_runs(bot: Bot) -> None:
    """Words such as "payload" or "ssl_check" in what someone types are just words."""
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, "/meeting new Steering 2026-12-05 14:00 for 2h")
    await bot.command(ALICE, "/agenda add The payload=ssl_check mix-up")
    assert "The payload=ssl_check mix-up" in await agenda(bot)
