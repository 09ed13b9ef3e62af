"""`alongside demo`: a scripted story of a meeting cycle on the console, with a virtual clock."""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bot.app import build_app
from bot.console import Console
from scheduler.clock import VirtualClock

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

SCRIPT = """
# Alice runs a peer-support charity's steering group. She sets the group up in its channel.
alice: /group setup Steering group
alice: /group aims Improve crisis care together
# Bob and Carol join by saying hello in the channel.
bob: Hello everyone
carol: Hi, glad to be here
# Bob tries a facilitator-only command. He is told kindly, and nothing changes.
bob: /group facilitator add @carol
# Alice makes Carol a co-facilitator.
alice: /group facilitator add @carol
alice: /group
# Anyone can ask for help. A typo gets a suggestion.
bob: /help
bob: /grup
# Bob sets quiet hours and pronouns, privately.
bob@dm: /prefs quiet 21:00-08:00
bob@dm: /prefs pronouns he/him
bob@dm: /prefs
"""


async def play(script: str = SCRIPT) -> None:
    """Play the script line by line, echoing each input before the bot's answer."""
    with tempfile.TemporaryDirectory() as tmp:
        clock = VirtualClock(START)
        app = await build_app(str(Path(tmp) / "demo.db"), clock)
        console = Console(app, clock, sys.stdout)
        try:
            for line in script.strip().splitlines():
                print(("\n" if line.startswith("#") else "") + line, flush=True)
                await console.line(line)
        finally:
            await app.close()
