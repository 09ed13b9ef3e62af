"""Every command, fed what fuzzing found: unicode digits, huge numbers, lone surrogates,
impossible dates, 50 KB of text. Each gets a clear reply, never "something went wrong",
and a refused command changes nothing."""

from __future__ import annotations

from bot.app import App
from handlers.core import words
from handlers.core.router import Incoming
from handlers.features import catalog
from tests.support import say, snapshot, texts

ODD_INPUTS = (
    "²",
    "①",
    "٣",
    "9223372036854775808",
    "-1",
    "0",
    "99999999999999999999999 hello",
    "\ud800 lone",
    "2026-02-30",
    "31/02/2027 25:61",
    "@",
    "<@U123> <!here> @room",
    "x" * 50_000,
    "1 " + "y" * 3_000,
)
BROKEN = words.SOMETHING_WENT_WRONG.blocks[0]


def attempts() -> list[tuple[str, bool]]:
    """(what to say, whether in a DM) for every command and sub-command, with each input."""
    said = []
    for name, spec in sorted(catalog().commands.items()):
        if name != spec.name:
            continue  # an alias
        for sub in ("", *(s.name for s in spec.subs)):
            for odd in ODD_INPUTS:
                said.append((f"/{name} {sub} {odd}".replace("  ", " "), spec.private))
    return said


async def test_odd_input_gets_a_clear_reply_and_a_refusal_changes_nothing(app: App) -> None:
    await say(app, "alice", "/group setup Steering group")
    for person in ("bob", "carol", "dan", "erin"):
        await say(app, person, "hello")
    await say(app, "alice", "/meeting new Steering 2026-12-05 14:00 for 2h")
    await say(app, "alice", "/agenda add Budget minutes 20")
    await say(app, "alice", "/decision We will meet monthly")
    failures = []
    before = await snapshot(app.db)
    for text, in_dm in attempts():
        reply = texts(
            await app.handle(
                Incoming("console", "alice", "alice", text, None if in_dm else "group")
            )
        )
        if BROKEN.text in reply:  # type: ignore[union-attr]
            failures.append(f"{text[:60]!r}: something went wrong")
        elif "othing was changed" in reply:
            if (after := await snapshot(app.db)) != before:
                failures.append(f"{text[:60]!r}: refused, but data changed")
            before = after
        else:
            before = await snapshot(app.db)
    assert not failures, "\n".join(failures)
