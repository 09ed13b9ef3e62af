"""Looking for concern writers' traces: in every table, every log line, every message sent.

Each platform's anonymity test has known people write concerns at known
(virtual) times, then calls `traces` with everything the bot kept and said.
Ids and names are searched everywhere except the tables whose job is to know
who people are (so the bot can reach them); times are searched everywhere.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import inspect, text

from bot import logs
from storage.db import Database

#: Tables that exist to know who people are; they hold ids and names by design.
IDENTITY_TABLES = frozenset({"people", "memberships", "preferences", "direct_channels"})


@dataclass(frozen=True)
class Writer:
    """Someone who wrote a concern: how the platform and the group know them, and when."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    wrote_at: datetime

    def stamps(self) -> list[str]:
        """The moment of writing, as a database, a log or a message might show it."""
        at = self.wrote_at
        return [
            f"{at:%Y-%m-%d %H:%M}",
            f"{at:%Y-%m-%dT%H:%M}",
            f"{at:%H:%M}",
            str(int(at.timestamp())),
        ]


async def every_row(db: Database) -> dict[str, list[str]]:
    """Every row of every table (the scheduler's deliveries included), one string a row."""
    async with db.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        rows: dict[str, list[str]] = {}
        for name in sorted(names):
            result = await conn.execute(text(f'SELECT * FROM "{name}"'))
            rows[name] = [" | ".join(str(value) for value in row) for row in result]
    return rows


def traces(
    writers: Iterable[Writer],
    rows: dict[str, list[str]],
    log_lines: str,
    messages: Iterable[str],
) -> list[str]:
    """Every place a writer's id, name or time of writing shows up; empty when none does."""
    found: list[str] = []
    places = [(f"table {t}", r, t in IDENTITY_TABLES) for t, rs in rows.items() for r in rs]
    places += [("log", _without_wall_time(line), False) for line in log_lines.splitlines()]
    places += [("message", message, False) for message in messages]
    for writer in writers:
        who = [*writer.ids, *writer.names]
        for where, content, knows_people in places:
            lowered = content.lower()
            looked_for = writer.stamps() if knows_people else [*who, *writer.stamps()]
            found += [
                f"{where}: {needle!r} in {content[:300]!r}"
                for needle in looked_for
                if needle.lower() in lowered
            ]
    return found


def _without_wall_time(line: str) -> str:
    """A log line without the real time it was written (the tests' times are virtual,
    so the real minute could match a writer's virtual one by chance)."""
    try:
        fields = json.loads(line)
    except ValueError:
        return line
    if isinstance(fields, dict):
        fields.pop("timestamp", None)
        return json.dumps(fields)
    return line


@contextmanager
def captured_logs(level: str = "DEBUG") -> Iterator[io.StringIO]:
    """Every log line written inside the block, at `level` and above."""
    stream = io.StringIO()
    logs.configure(level, stream=stream)
    try:
        yield stream
    finally:
        logs.configure("WARNING")


def release_order(posts: Iterable[str], count: int = 8) -> list[int]:
    """The order concerns 'Concern <n> about the room' came out in the one post holding them all.

    A response posted beside one concern quotes it too; only the release holds all of them.
    """
    found = [re.findall(r"Concern (\d+) about the room", post) for post in posts]
    (release,) = [numbers for numbers in found if len(set(numbers)) == count]
    return [int(n) for n in release]
