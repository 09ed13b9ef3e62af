"""/prefs export: everything the bot holds about you, in every group, as two files.

One file is JSON (for computers: one top-level key per area, times in ISO 8601, UTC);
the other is a plain summary to read. Both go privately to the person who asked.
Anonymous things (concerns, check-in answers, ladder answers, answers to anonymous
proposals) are not in it: they carry no name, so the bot can't tell which are theirs.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from handlers.core.commands import Context
from handlers.core.messages import (
    BulletList,
    File,
    Heading,
    Image,
    Paragraph,
    from_json,
    message,
)
from handlers.core.occurrences import KEY_FORMAT
from storage.repositories.personal_export import COVERS

#: What each area is, in plain words (the summary file's headings).
TITLES: dict[str, str] = {
    "person": "About you",
    "preferences": "Your settings",
    "away_periods": "Dates you said you are away",
    "memberships": "Groups you are in",
    "calendar_links": "Private calendar links you have (only that one exists: the link "
    "itself is not kept, so it can't be shown)",
    "meetings_set_up": "Meetings you set up",
    "role_turns": "Roles you held, or will hold (like chair)",
    "role_willingness": "Roles you said yes or no to",
    "role_passes": "Meetings where you said 'not this time' to a role",
    "role_offers": "Role swaps and cover you asked, or were asked, about",
    "agenda_items": "Agenda items you added or lead",
    "decisions": "Decisions you look after, or wrote down",
    "decision_updates": "Updates you gave on decisions",
    "actions": "Actions (things to do) that are yours, or that you added or finished",
    "minutes_sent": "Minutes (meeting notes) you sent in",
    "coming": "What you said about coming to meetings (/coming)",
    "was_there": "Meetings the record says you were at",
    "said_who_was_there": "Meetings where you said who was there",
    "checkin_notes": "Check-in notes you chose to put your name to",
    "icebreaker_answers": "Your icebreaker answers",
    "icebreakers_added": "Icebreaker questions you added",
    "contributions": "Time you gave outside meetings",
    "expenses": "Your expenses",
    "payment_choices": "How you want to be paid",
    "proposals": "Proposals you made",
    "proposal_answers": "Proposals you answered",
    "ladder_rounds_answered": "Ladder questions you answered (your answers are not kept with you)",
    "glossary_terms": "Words you explained in the glossary",
    "concern_replies": "Your replies to concerns, or concerns you held back",
    "facilitator_actions": "Things you did as a facilitator",
    "digest_waiting": "News waiting for your daily round-up",
    "messages_waiting": "Messages waiting to be sent to you",
    "deliveries": "Messages I sent you, or held for you",
    "direct_conversations": "Your private chats with me",
}

NOT_IN_IT = (
    "Some things are not in it. Concerns, check-in answers, ladder answers and answers "
    "to anonymous proposals are kept without any name. So I can't tell which are yours. "
    "That is what keeps them anonymous."
)
LEAVE = "To leave a group, say /leave there. To have me forget you everywhere, say /forget me."


async def export(ctx: Context, args: str) -> None:
    """Send the person, privately, all the bot holds about them, as JSON and as a summary."""
    held = await ctx.uow.export.gather(ctx.person)
    for area in ("digest_waiting", "messages_waiting"):
        for row in held[area]:
            row["message"] = _words(row["message"])
    day = ctx.now.date().isoformat()
    data = {
        "about": {
            "what": "Everything the alongside bot holds about you, in every group.",
            "made": ctx.now,
            "not_included": NOT_IN_IT,
        },
        **held,
    }
    ctx.reply(
        message(
            Heading("Everything I hold about you"),
            "Here it is, from every group, in two files. "
            "The .txt file is for reading. The .json file is for computers.",
            File(
                f"alongside-export-{day}.json",
                "application/json",
                json.dumps(data, indent=2, ensure_ascii=False, default=_iso) + "\n",
            ),
            File(f"alongside-export-{day}.txt", "text/plain", _summary(held, ctx.now)),
            NOT_IN_IT,
            LEAVE,
            "Only you got these files. Please keep them safe.",
            summary="Everything I hold about you",
        )
    )


def _summary(held: dict[str, Any], now: datetime) -> str:
    """The plain-language file: a heading and a line per thing held, for each area with
    something in it; then the areas with nothing."""
    lines = [
        "Everything the alongside bot holds about you",
        f"Made on {_show(now)}.",
        "",
        NOT_IN_IT,
        "",
    ]
    empty: list[str] = []
    for area in COVERS:
        found = held[area]
        rows = found if isinstance(found, list) else [found] if found else []
        if not rows:
            empty.append(TITLES[area])
            continue
        lines.append(f"{TITLES[area]}:")
        lines.extend(f"- {_line(row)}" for row in rows)
        lines.append("")
    if empty:
        lines.append("I hold nothing about you for these:")
        lines.extend(f"- {title}" for title in empty)
        lines.append("")
    lines.append(LEAVE)
    return "\n".join(lines) + "\n"


def _line(row: dict[str, Any]) -> str:
    """One row as words: "Group: Budget. Facilitator: no. Joined: 1 March 2027, 10:00 UTC."."""
    said = [
        _sentence(f"{key.replace('_', ' ').capitalize()}: {_show(value, key)}")
        for key, value in row.items()
        if value is not None and value != ""
    ]
    return " ".join(said)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _show(value: object, key: str = "") -> str:
    match value:
        case bool():
            return "yes" if value else "no"
        case datetime():
            return f"{value:%-d %B %Y, %H:%M} UTC"
        case date():
            return f"{value:%-d %B %Y}"
        case time():
            return f"{value:%H:%M}"
        case str() if key == "meeting_date":  # an occurrence key: local time, as in the group
            return f"{datetime.strptime(value, KEY_FORMAT):%-d %B %Y, %H:%M}"
    return str(value)


def _iso(value: object) -> str:
    """JSON for what json can't write itself: times and dates in ISO 8601."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"can't write {type(value).__name__} as JSON")


def _words(payload: str) -> str:
    """A stored message's words, as plain text."""
    msg = from_json(payload)
    parts: list[str] = []
    for block in msg.blocks:
        match block:
            case Heading(text=text) | Paragraph(text=text):
                parts.append(text)
            case BulletList(items=items):
                parts.extend(items)
            case Image(alt=alt):
                parts.append(alt)
    return " ".join(parts)
