"""The glossary on the console: CMHT in an agenda item is asked about once, privately;
once bob explains it, the pack explains it to everyone, with the starter words it uses."""

from __future__ import annotations

import io

from bot.app import build_app
from bot.platforms.console.platform import Console
from scheduler.clock import VirtualClock
from tests.integration.test_console_attendance import START, messages

ASKS = "What does CMHT stand for?"


async def test_cmht_is_asked_about_once_then_explained_in_the_pack(database_url: str) -> None:
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
    out = io.StringIO()
    console = Console(app, clock, out=out)
    try:
        for line in (
            "alice: /group setup Steering group",
            "bob: hello",
            "carol: hello",
            "alice: /meeting new Steering 2026-12-05 14:00 for 2h at Room 4",
        ):
            await console.line(line)

        mark = len(out.getvalue())
        await console.line("bob: /agenda add CMHT referral times")
        [(where, added), (also, question)] = messages(out.getvalue()[mark:])
        assert where == also == "dm:bob" and "Added to the agenda" in added
        assert question == (
            f"{ASKS} If you tell me, I'll explain it to everyone in the pack: "
            "/jargon add CMHT <what it means>\nYou don't have to.\nReply with a number:\n"
            "1. Not now"
        )

        mark = len(out.getvalue())
        await console.line("carol: /agenda add CMHT staffing and GP letters")
        await console.line("bob: /agenda add More on the CMHT")
        assert ASKS not in out.getvalue()[mark:]

        mark = len(out.getvalue())
        await console.line("bob: /jargon add CMHT Community mental health team")
        assert messages(out.getvalue()[mark:]) == [
            (
                "#group",
                "bob added CMHT: Community mental health team. "
                "/jargon shows all the group's words.",
            )
        ]

        mark = len(out.getvalue())
        await console.line(":now 2026-12-02T14:01")
        packs = {w: t for w, t in messages(out.getvalue()[mark:]) if "Pack for Steering" in t}
        assert sorted(packs) == ["dm:alice", "dm:bob", "dm:carol"]
        for pack in packs.values():
            assert (
                "Words in this pack:\n"
                "- CMHT: Community mental health team.\n"
                "- GP: The family doctor you see at your local surgery. "
                "GP stands for general practitioner.\n"
                "- referral: When one service asks another to see someone." in pack
            ), pack
    finally:
        await app.close()
