"""Anonymous concerns on Slack: no trace of who wrote them, or when.

Known people write concerns privately at known (virtual) times, by slash
command in their DM and through the form, over real signed HTTP. Then every
table, every log line and everything sent to Slack (messages, private
answers, forms) is searched for their ids, names and those times.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from scheduler.fast_forward import fast_forward
from tests.anonymity import Writer, captured_logs, every_row, release_order, traces
from tests.integration.slack.harness import MEETING, PACK_DUE, START, Bot, button, words

pytestmark = pytest.mark.slack

WRITERS = {
    "UBRONWEN": "Bronwen Pryce",
    "UCARADOC": "Caradoc Bell",
    "UDILYS": "Dilys Moss",
    "UELUNED": "Eluned Shaw",
}


def everything_sent(bot: Bot) -> list[str]:
    """The words of every message, private answer and form the bot sent to Slack."""
    sent = [(m.text or "") + "\n" + words(m.blocks) for m in bot.mock.messages()]
    sent += [(r.text or "") + "\n" + words(r.blocks) for r in bot.mock.responses]
    sent += [json.dumps(c.params) for c in bot.mock.calls if c.method.startswith("views.")]
    return sent


async def test_slack_concerns_leave_no_trace_and_come_out_shuffled(bot: Bot) -> None:
    mock = bot.mock
    for user, name in WRITERS.items():
        mock.add_user(user, name)
    # Bronwen joins the channel after the group is set up, and her first words to the bot
    # are a concern: the moment she joins the group must not be kept either.
    late = "UBRONWEN"
    mock.set_members("CGROUP", ["UALICE", "UBOB", *(w for w in WRITERS if w != late), "UBOT"])
    await bot.command("UALICE", "/group setup Steering group")
    await bot.command("UALICE", "/meeting new Steering 2026-12-05 14:00 for 2h")
    mock.set_members("CGROUP", ["UALICE", "UBOB", *WRITERS, "UBOT"])

    writers = []
    with captured_logs() as log_lines:
        for n in range(8):  # two each, in a known order, at known minutes
            user = list(WRITERS)[n % len(WRITERS)]
            bot.clock.set(START + timedelta(hours=n, minutes=17 + n, seconds=23))
            writers.append(Writer((user, user.lower()), (WRITERS[user],), bot.clock.now()))
            if n % 2:  # by slash command in their DM with the bot
                answer = await bot.command(
                    user, f"/concern Concern {n} about the room", channel=bot.dm(user)
                )
                assert "Your receipt code is" in answer[0]
            else:  # through the form /concern offers in the channel
                (offer,) = await bot.command_posts(user, "/concern")
                form = await bot.open_form(
                    user, button(offer["blocks"], "Raise a concern"), "CGROUP", ephemeral=True
                )
                receipt = await bot.submit(user, form, f"Concern {n} about the room")
                assert receipt is not None and "Your receipt code is" in words(receipt["blocks"])
        await fast_forward(bot.platform.engine, bot.clock, PACK_DUE + timedelta(minutes=1))
        await bot.command("UALICE", "/concern respond 1 We asked for a cooler room.")
        await fast_forward(bot.platform.engine, bot.clock, MEETING + timedelta(hours=3))

    rows = await every_row(bot.app.db)
    assert traces(writers, rows, log_lines.getvalue(), everything_sent(bot)) == []

    order = release_order(bot.posts("CGROUP", "Concern 0 about the room"))
    assert sorted(order) == list(range(8))
    # Released in a shuffled order: the writing order comes back 1 time in 40,320.
    assert order != list(range(8))
