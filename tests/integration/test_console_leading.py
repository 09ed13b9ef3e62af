"""Who leads, on the console: when only professionals offer to chair, a month of meetings
brings the facilitator one gentle suggestion, in the monthly view, and nothing anywhere
shows anyone's perspective next to their name."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from tests.integration.test_console_attendance import messages

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

#: How each member describes themselves: three professionals, three with lived experience.
PERSPECTIVES = {
    "alice": "professional",
    "bob": "nhs psychologist",
    "carol": "council manager",
    "dan": "lived experience",
    "erin": "expert by experience",
    "fran": "survivor",
}
#: Words that would give away a perspective if shown next to a name.
PERSPECTIVE_WORDS = (
    "lived experience",
    "professional",
    "perspective",
    "psychologist",
    "manager",
    "expert by experience",
    "survivor",
    "carer",
    "service user",
)
SUGGESTION = "You could ask if someone with lived experience would like to chair next time"


async def test_skewed_chairing_brings_one_suggestion_and_no_names(database_url: str) -> None:
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
    out = io.StringIO()
    console = Console(app, clock, out=out)
    try:
        await console.line("alice: /group setup Steering group")
        for name in list(PERSPECTIVES)[1:]:
            await console.line(f"{name}: hello")
        for name, words in PERSPECTIVES.items():
            await console.line(f"{name}@dm: /prefs perspective {words}")
            willing = "willing" if name in ("alice", "bob", "carol") else "not"
            await console.line(f"{name}: /roles {willing} chair")
        for quieter in ("/checkin before off", "/checkin after off", "/group breaks off"):
            await console.line(f"alice: {quieter}")  # fewer messages: a faster test
        await console.line("alice: /meeting new Steering 2026-11-05 14:00 every week for 2h")
        await console.line(":now 2026-11-30T10:00")
        said = messages(out.getvalue())
        chairs = [t for w, t in said if w == "#group" and "chair" in t.lower()]
        assert chairs, said
        assert not [w for w, t in said if SUGGESTION in t]  # nothing before the 1st

        await console.line(":now 2026-12-01T10:01")
        said = messages(out.getvalue())
        [(where, view)] = [(w, t) for w, t in said if t.startswith("** Who leads")]
        assert where == "dm:alice"  # the only facilitator
        assert "Professionals (3 of them): Chaired 4 times." in view, view
        assert "People with lived experience (3 of them): Chaired 0 times." in view, view
        assert "The chair has been a professional 4 times out of the last 4." in view, view
        assert [w for w, t in said if SUGGESTION in t] == ["dm:alice"]

        own_words = {f"dm:{n}": f"I've saved '{w}'" for n, w in PERSPECTIVES.items()}
        for where, text in said:
            if own_words.get(where, "\0") in text:
                continue  # a person's own words, in their own conversation, as they typed
            for words in PERSPECTIVES.values():
                if words != "professional" and words != "lived experience":
                    assert words not in text.lower(), (where, text)
            for line in text.splitlines():
                named = [n for n in PERSPECTIVES if re.search(rf"\b{n}\b", line, re.I)]
                told = [w for w in PERSPECTIVE_WORDS if w in line.lower()]
                assert not (named and told), (where, line)
    finally:
        await app.close()
