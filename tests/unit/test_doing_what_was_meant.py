"""Options that don't parse are refused with the allowed range, never kept as words;
a closed decision takes no more updates; an icebreaker that doesn't exist is not answered."""

from __future__ import annotations

import pytest

from bot.app import App
from tests.support import options, say, snapshot, texts


async def setup(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    await say(app, "bob", "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h")


@pytest.mark.parametrize(
    ("said", "expect"),
    [
        ("/agenda add Huge minutes 1000", "between 1 and 480 minutes"),
        ("/agenda add Huge minutes 0", "between 1 and 480 minutes"),
        ("/decision Meet monthly update in 99 years", "days, weeks or months, within a year"),
        ("/decision Meet monthly update in ² weeks", "days, weeks or months, within a year"),
        ("/agenda remove ²", "no item ²"),
        ("/decision 9223372036854775808", "There's no decision"),
    ],
)
async def test_options_that_do_not_parse_are_refused_not_kept(
    app: App, said: str, expect: str
) -> None:
    await setup(app)
    before = await snapshot(app.db)
    reply = texts(await say(app, "alice", said))
    assert expect in reply and "Nothing was changed" in reply, reply
    assert await snapshot(app.db) == before


async def test_minutes_as_words_in_an_item_stay_words(app: App) -> None:
    await setup(app)
    reply = texts(await say(app, "alice", "/agenda add Approve minutes 2025 budget"))
    assert "Approve minutes 2025 budget" in reply


async def test_a_closed_decision_takes_no_more_updates(app: App) -> None:
    await setup(app)
    await say(app, "alice", "/decision Meet monthly")
    await say(app, "alice", "/update 1 done Agreed with the trust")
    again = await say(app, "alice", "/update 1 in progress Talking again")
    assert [item.address.user for item in again.sent] == ["alice"]  # nobody else is told
    assert "already closed" in texts(again) and "new decision" in texts(again)


async def test_an_answer_to_an_icebreaker_that_does_not_exist_is_refused(app: App) -> None:
    await setup(app)
    await say(app, "alice", "/icebreaker")
    before = await snapshot(app.db)
    reply = texts(await say(app, "bob", "/icebreaker answer 99 hello", dm=True))
    assert "I can't find icebreaker 99" in reply
    assert await snapshot(app.db) == before


async def test_help_checkin_shows_how_to_name_or_unname_a_note(app: App) -> None:
    await setup(app)
    shown = texts(await say(app, "bob", "/help checkin", dm=True))
    assert "/checkin named <number>" in shown and "/checkin unnamed <number>" in shown


async def test_every_question_can_be_left_for_now(app: App) -> None:
    await setup(app)
    asked = await say(app, "alice", "/decision Meet monthly")
    assert "Not now" in [o.label for o in options(asked, "alice")]
    before = await snapshot(app.db)
    reply = texts(await say(app, "alice", "/skip", dm=True))
    assert "no need to answer" in reply and "Nothing was changed" in reply
    assert await snapshot(app.db) == before
