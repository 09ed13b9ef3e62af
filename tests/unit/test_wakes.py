"""Only a command that changes the schedule wakes the delivery engine; reading never does.

Platforms learn this from `Result.changes_schedule`, not from the command's text.
The console delivers at once when woken; Slack and Matrix poke the runtime's
wake-ups (their own tests count those pokes).
"""

from __future__ import annotations

import io

from bot.app import App
from bot.platforms.console.platform import Console
from bot.platforms.effects import new_groups, wake_if_changed
from handlers.core.effects import GroupCreated, ScheduleChanged
from handlers.core.router import Result
from scheduler.clock import VirtualClock

READING = (
    "alice: /agenda",
    "alice: /help",
    "alice@dm: /help agenda",
    "bob: /meeting",
    "bob: /group",
    "bob@dm: /prefs",
)
CHANGING = ("alice: /agenda add Budget minutes 10", "bob@dm: /prefs quiet 21:00-08:00")


class CountingConsole(Console):
    """The console, counting each time a command wakes its delivery engine."""

    woken = 0

    async def deliver(self) -> None:
        self.woken += 1
        await super().deliver()


async def test_reading_commands_do_not_wake_the_delivery_engine(
    app: App, clock: VirtualClock
) -> None:
    console = CountingConsole(app, clock, io.StringIO())
    await console.line("alice: /group setup Steering group")
    await console.line("bob: Hello")
    await console.line("alice: /meeting new Steering 2026-12-05 14:00 for 2h")
    assert console.woken == 3  # a group, a member, a meeting: each wakes it
    for line in READING:
        await console.line(line)
    assert console.woken == 3
    for number, line in enumerate(CHANGING, 4):
        await console.line(line)
        assert console.woken == number


def test_the_platforms_act_on_reported_effects_only() -> None:
    woken: list[str] = []
    wake_if_changed(Result(), lambda: woken.append("read"))
    wake_if_changed(
        Result(effects=[GroupCreated(1, "C1"), ScheduleChanged()]), lambda: woken.append("changed")
    )
    assert woken == ["changed"]
    assert new_groups(Result(effects=[ScheduleChanged(), GroupCreated(7, "C7")])) == ["C7"]
    assert new_groups(Result()) == []
