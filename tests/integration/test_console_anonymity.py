"""Anonymous concerns on the console platform: no trace of who wrote them, or when.

Known people write concerns privately at known (virtual) times through the
real Console; then every table, every log line and every message the console
showed is searched for their names and those times. Slack and Matrix have the
same test in their own folders.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from tests.anonymity import Writer, captured_logs, every_row, traces

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MEETING = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
PACK_DUE = MEETING - timedelta(days=3)
WRITERS = ["bronwen", "caradoc", "dilys", "eluned"]


def shown(out: str) -> list[str]:
    """The words of every message the console showed, without where they went."""
    return [
        re.sub(r"^\[[^\]]*\] ", "", line)
        for line in out.splitlines()
        if not line.startswith("[console]")
    ]


async def test_console_concerns_leave_no_trace_and_come_out_shuffled(
    database_url: str,
) -> None:
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
    out = io.StringIO()
    console = Console(app, clock, out=out)
    try:
        await console.line("alice: /group setup Steering group")
        for name in WRITERS:
            await console.line(f"{name}: hello")
        await console.line("alice: /meeting new Steering 2026-12-05 14:00 for 2h")

        writers, written = [], []
        with captured_logs() as log_lines:
            for n in range(8):  # two each, in a known order, at known minutes
                name = WRITERS[n % len(WRITERS)]
                clock.set(START + timedelta(hours=n, minutes=17 + n, seconds=23))
                writers.append(Writer((name,), (name.capitalize(),), clock.now()))
                text = f"Concern {n} about the room"
                written.append(text)
                await console.line(f"{name}@dm: /concern {text}")
            await fast_forward(console.engine, clock, PACK_DUE + timedelta(minutes=1))
            await console.line("alice@dm: /concern respond 1 We asked for a cooler room.")
        receipts = re.findall(r"receipt code is ([A-Z0-9-]{14})", out.getvalue())
        assert len(receipts) == 8

        rows = await every_row(app.db)
        assert traces(writers, rows, log_lines.getvalue(), shown(out.getvalue())) == []

        released = [m for m in shown(out.getvalue()) if re.match(r"- Concern \d+:", m.strip())]
        order = [
            int(re.search(r"Concern (\d) about", line).group(1))  # type: ignore[union-attr]
            for line in released
        ]
        assert sorted(order) == list(range(8))
        # Released in a shuffled order: the writing order comes back 1 time in 40,320.
        assert order != list(range(8))
    finally:
        await app.close()
