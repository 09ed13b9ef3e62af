"""/forget me on Slack, over real signed HTTP with the mock Web API.

morwenna is in two groups (two channels) with data in both. She asks to be
forgotten and confirms with the button. Afterwards every table, every log line
and every call the bot makes to Slack is searched for her user id, her DM's id
and her name: only "a former member" is left. The group's decisions still read;
bob's data is untouched; nothing more reaches her, even past her action's reminders.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scheduler.fast_forward import fast_forward
from tests.anonymity import captured_logs, every_row
from tests.integration.slack.harness import Bot, button, words

pytestmark = pytest.mark.slack

ALICE, BOB, MORWENNA = "UALICE", "UBOB", "UMORWENNA"
STEERING, DESIGN = "CGROUP", "CDESIGN"
MORWENNA_DM = f"D{MORWENNA}"  # what the mock's conversations.open gives
NAME = "morwenna"
PAST_REMINDERS = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)


def names_her(text: str) -> bool:
    """Whether some text holds morwenna's Slack id, her DM's id or her name."""
    lowered = text.lower()
    return any(n in lowered for n in (MORWENNA.lower(), MORWENNA_DM.lower(), NAME))


def in_memory(bot: Bot) -> str:
    """What the Slack platform keeps in memory about people (names, DMs, paces)."""
    platform = bot.platform
    return repr([vars(platform.people), vars(platform.sender), vars(platform.sender.pacer)])


async def test_forget_me_leaves_only_a_former_member(bot: Bot) -> None:
    mock = bot.mock
    mock.add_user(MORWENNA, "Morwenna")
    mock.set_members(STEERING, [ALICE, BOB, "UCAROL", MORWENNA, "UBOT"])
    mock.add_channel(DESIGN, "design", members=[ALICE, MORWENNA, "UBOT"])
    mine = bot.dm(MORWENNA)
    assert mine == MORWENNA_DM

    await bot.command(ALICE, "/group setup Steering group")
    await bot.command(ALICE, "/group setup Design group", channel=DESIGN)
    await bot.command(ALICE, "/meeting new Steering 2026-12-19 14:00 every week for 2h")
    await bot.command(MORWENNA, "/agenda add Travel costs")
    await bot.command(
        ALICE,
        f"/decision Pay travel costs on the day owner <@{MORWENNA}|{NAME}> update in 2 weeks",
    )
    await bot.command(MORWENNA, "/action Ask finance about bus passes by 2026-12-08")
    await bot.command(BOB, "/action Book a bigger room by 2026-12-08")
    await bot.command(BOB, "/contributions add 1h reading the papers")
    await bot.command(MORWENNA, "/contributions add 2h reading the papers")
    await bot.command(MORWENNA, "/contributions add 1h sketching", channel=DESIGN)
    [prefs] = await bot.command(MORWENNA, "/prefs pronouns she/her", channel=mine)
    assert "saved your pronouns" in prefs
    [export] = await bot.command(MORWENNA, "/prefs export", channel=mine)
    assert "I've sent you a file" in export  # the bot now knows her DM
    long_value = f"/proposal Thank <@{MORWENNA}> for the travel work " + "and more " * 250
    await bot.platform.inbox.stash(long_value, bot.clock.now().date())  # a long button value
    rows = await every_row(bot.app.db)
    assert any(MORWENNA in row for table in rows.values() for row in table)
    assert MORWENNA in in_memory(bot) and mine in in_memory(bot)

    [ask] = await bot.command_posts(MORWENNA, "/forget me", channel=mine)
    assert "can't be undone" in words(ask["blocks"])
    calls, answers = len(mock.calls), len(mock.responses)
    with captured_logs("DEBUG") as log_lines:
        yes = button(ask["blocks"], "Yes, forget me")
        [done] = await bot.press(MORWENNA, yes, mine, ephemeral=True)
        assert words(done["blocks"]).startswith("Done. I've forgotten you, in every group.")
        decisions = await bot.command(ALICE, "/decision all")
        bob = await bot.command(BOB, "/contributions", channel=bot.dm(BOB))
        await fast_forward(bot.platform.engine, bot.clock, PAST_REMINDERS)
        await bot.platform.idle()
    rows = await every_row(bot.app.db)
    assert await bot.in_flight() == 0  # the confirmation's inbox row was finished

    found = [f"{t}: {r}" for t, rs in rows.items() for r in rs if names_her(r)]
    assert found == [], found
    assert [line for line in log_lines.getvalue().splitlines() if names_her(line)] == []
    assert not names_her(in_memory(bot))
    sent = [f"{c.method}: {c.params}" for c in mock.calls[calls:]]
    sent += [f"response: {r.payload}" for r in mock.responses[answers:]]
    assert [s for s in sent if names_her(s)] == []

    told = sorted(w for w in map(words, (m.blocks for m in mock.messages(bot.dm(ALICE)))))
    told = [w for w in told if "has left" in w]
    assert told == ["Someone has left Design group.", "Someone has left Steering group."]
    shown = "\n".join(decisions)
    assert "Decision 1: Pay travel costs on the day (a former member;" in shown, shown
    assert "reading the papers" in "\n".join(bob)
    reminded = [s for s in sent if s.startswith("chat.postMessage") and "bigger room" in s]
    assert len(reminded) == 2  # bob's reminders (the day before and on the day) still went out
