"""The ladder pulse end to end on Slack, over real signed HTTP with the mock Web API.

A facilitator asks the ladder question; each member gets it privately, with a button
for each rung, Pass and Not now. Four members press a rung at known (virtual) times,
one passes; at the close the channel sees the counts and the middle answer, and every
table, log line and everything sent to Slack is searched for who answered, and when.
A second round with 2 answers shows only "not enough answers yet".

Everyone in the channel CGROUP: alice (the facilitator) and the writers below. A round
asked Monday 30 November 09:00 closes Monday 7 December 09:00 (London is on UTC then).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from handlers.ladder.wording import NOT_ENOUGH
from scheduler.fast_forward import fast_forward
from storage.models import LadderAnswer
from tests.anonymity import Writer, captured_logs, every_row, traces
from tests.integration.slack.harness import START, Bot, button, labels, words
from tests.integration.slack.test_slack_anonymity import everything_sent

pytestmark = pytest.mark.slack

ALICE = "UALICE"
CHANNEL = "CGROUP"
CLOSES = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
RUNGS = ["Coercion", "Educating", "Informing", "Consulting", "Engaging", "Co-design"]
#: Who answers: their Slack id, name, and the button they press.
WRITERS = (
    ("UBRONWEN", "Bronwen Pryce", "Consulting"),
    ("UCARADOC", "Caradoc Bell", "Engaging"),
    ("UDILYS", "Dilys Moss", "Consulting"),
    ("UEIRLYS", "Eirlys Hale", "Co-design"),
    ("UFFION", "Ffion Rees", "Pass"),
)


def question(bot: Bot, user: str) -> list[dict[str, object]]:
    """The blocks of the newest ladder question in `user`'s DM."""
    found = [m for m in bot.mock.messages(bot.dm(user)) if "this group stands" in words(m.blocks)]
    return found[-1].blocks


async def test_four_answers_show_the_result_and_leave_no_trace(bot: Bot) -> None:
    mock = bot.mock
    for user, person, _ in WRITERS:
        mock.add_user(user, person)
    mock.set_members(CHANNEL, [ALICE, *(w[0] for w in WRITERS), "UBOT"])
    await bot.command(ALICE, "/group setup Steering group")
    await bot.command_posts(ALICE, "/ladder ask")
    assert len(bot.posts(CHANNEL, "I'm asking each member, privately")) == 1
    await fast_forward(bot.platform.engine, bot.clock, START)

    writers = []
    with captured_logs() as log_lines:
        for n, (user, person, rung) in enumerate(WRITERS):
            bot.clock.set(START + timedelta(hours=1 + n, minutes=17 + n, seconds=23))
            writers.append(Writer((user, user.lower()), (person,), bot.clock.now()))
            blocks = question(bot, user)
            assert labels(blocks) == [*RUNGS, "Co-production", "Pass", "Not now"]
            pressed = await bot.press(user, button(blocks, rung), bot.dm(user))
            assert len(pressed) == 1 and "saved, without your name" in words(pressed[0]["blocks"])
        again = await bot.press(
            "UDILYS", button(question(bot, "UDILYS"), "Co-design"), bot.dm("UDILYS")
        )
        assert "already answered" in words(again[0]["blocks"])
        await fast_forward(bot.platform.engine, bot.clock, CLOSES + timedelta(minutes=1))

    (result,) = bot.posts(CHANNEL, "Where the group thinks it stands")
    assert "4 people chose a rung, and 1 passed." in result
    assert "Consulting: 2" in result and "Engaging: 1" in result and "Co-design: 1" in result
    assert "The middle answer is Consulting" in result
    assert not re.search(r"Bronwen|Caradoc|Dilys|Eirlys|Ffion", result)
    assert await bot.count(LadderAnswer) == 5
    rows = await every_row(bot.app.db)
    assert traces(writers, rows, log_lines.getvalue(), everything_sent(bot)) == []

    # A second round with 2 answers: only "not enough answers yet".
    await bot.command_posts(ALICE, "/ladder ask")
    await fast_forward(bot.platform.engine, bot.clock, bot.clock.now())
    for user, _, rung in WRITERS[:2]:
        await bot.press(user, button(question(bot, user), rung), bot.dm(user))
    await fast_forward(bot.platform.engine, bot.clock, bot.clock.now() + timedelta(days=8))
    assert bot.posts(CHANNEL, "Not enough answers yet") == [NOT_ENOUGH]
    assert len(bot.posts(CHANNEL, "Where the group thinks it stands")) == 1
