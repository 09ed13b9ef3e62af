"""/prefs digest: choose a daily round-up of the news that can wait, or turn it off."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import time

from handlers.core.commands import Context, Refusal
from handlers.core.kind_times import in_quiet_hours
from handlers.core.messages import Block, BulletList, message, to_json
from handlers.core.parsing import parse_time_of_day
from handlers.digest.daily import ENDING, PREFIX
from handlers.digest.rendering import round_up
from storage.models import DigestItem, Preferences

DEFAULT_AT = time(18, 0)
_DAILY = re.compile(r"^daily(?:\s+(?:at\s+)?(?P<at>\S.*))?$", re.IGNORECASE)
HOW = "For example: /prefs digest daily, /prefs digest daily at 7pm, or /prefs digest off."
#: What waits for the round-up, and what still comes on time.
WAITS = (
    "updates on decisions",
    "the minutes",
    "replies to concerns",
    "changes to meetings more than 2 days away",
)
ON_TIME = (
    "reminders and packs",
    "check-ins",
    "your actions",
    "changes to meetings in the next 2 days",
)


def describe(prefs: Preferences) -> str:
    """The line /prefs shows about the daily round-up."""
    if prefs.digest_at is None:
        return "Daily round-up: off (news comes as it happens)"
    return f"Daily round-up: at {prefs.digest_at:%H:%M} (news that can wait comes together)"


async def choose(ctx: Context, args: str) -> None:
    """Turn the daily round-up on (at a time; 18:00 unless given) or off."""
    said = " ".join(args.split())
    prefs = await ctx.uow.people.preferences(ctx.person.id)
    if said.lower() in ("off", "none", "no", "stop"):
        await _off(ctx, prefs)
        return
    found = _DAILY.match(said)
    if found is None:
        raise Refusal(
            "I can send news that can wait in one message a day, or as it happens. "
            "Nothing was changed.",
            HOW,
        )
    at = parse_time_of_day(found.group("at")) if found.group("at") else DEFAULT_AT
    if at is None:
        raise Refusal(
            f"I couldn't read '{found.group('at')[:20]}' as a time of day. Nothing was changed.",
            "Please write it like 18:00 or 6pm. " + HOW,
        )
    prefs.digest_at = at
    lines: list[Block | str] = [
        f"Done. Once a day, at {at:%H:%M}, you'll get one round-up.",
        "It has the news that can wait:",
        BulletList(WAITS),
        "These still come on time:",
        BulletList(ON_TIME),
    ]
    quiet, until = prefs.quiet_start, prefs.quiet_end
    if quiet is not None and until is not None and in_quiet_hours(at, quiet, until):
        lines.append(f"{at:%H:%M} is in your quiet hours, so it will come at {until:%H:%M}.")
    if prefs.reminders_via == "channel":
        lines.append(
            "You get news in the channel now. So the round-up only has your direct messages. "
            "To get news by direct message: /prefs reminders dm."
        )
    lines.append("To get each message as it happens again: /prefs digest off.")
    ctx.reply(message(*lines))


async def _off(ctx: Context, prefs: Preferences) -> None:
    """Turn the round-up off; what was waiting for it comes now, together, at a kind time."""
    prefs.digest_at = None
    waiting = list(await ctx.uow.digests.unclaimed(ctx.person.id, PREFIX))
    by_group: dict[int, list[DigestItem]] = defaultdict(list)
    for item in waiting:
        by_group[item.group_id].append(item)
    for group_id, items in by_group.items():
        group = await ctx.uow.groups.get(group_id)
        if group is None:
            continue
        msg = round_up(
            f"News from {group.name}", "Here is what was waiting for your round-up", items, ENDING
        )
        await ctx.uow.deliveries.queue(group_id, ctx.person.id, to_json(msg), ctx.now)
    await ctx.uow.digests.forget([item.id for item in waiting])
    lines = ["Done. I'll send each message as it happens, with no daily round-up."]
    if waiting:
        lines.append("What was waiting for your round-up comes now, in one message.")
    ctx.reply(message(*lines))
