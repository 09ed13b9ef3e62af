"""The channel's after-the-meeting round-up: one post, an hour after a meeting ends, with
the decisions, actions and responses to concerns recorded in that hour.

In the hour after a meeting ends (its real end, if the chair said /end), those commands
don't post on their own: `share` keeps the post for the round-up and tells the speaker
privately when it will be shared. Outside that hour they post at once, as before.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.core.commands import Context
from handlers.core.digestible import keep
from handlers.core.due import HOUR_AFTER, Due
from handlers.core.messages import Message, Paragraph, message
from handlers.core.occurrences import Occurrence, between
from handlers.core.when import at_time
from handlers.digest.rendering import round_up
from storage.models import Group, Person
from storage.uow import UnitOfWork

#: How long news gathers after a meeting ends; the round-up is posted at its end.
GATHERS_FOR = HOUR_AFTER


def _key(o: Occurrence) -> str:
    return f"afterroundup:m{o.meeting.id}:{o.key}"


async def just_ended(uow: UnitOfWork, group: Group, now: datetime) -> Occurrence | None:
    """The meeting that ended less than an hour ago, if one did (the latest to end)."""
    found = await between(uow, group, now - timedelta(days=2), now)
    ended = [o for o in found if o.end <= now < o.end + GATHERS_FOR]
    return max(ended, key=lambda o: o.end, default=None)


async def share(ctx: Context, msg: Message, kind: str) -> bool:
    """Post `msg` in the channel now (True), or, in the hour after a meeting, keep it for
    the after-the-meeting round-up and tell the speaker when that comes (False)."""
    group = ctx.the_group()
    o = await just_ended(ctx.uow, group, ctx.now)
    key = f"{_key(o)}:channel" if o else ""
    if o is None or await ctx.uow.deliveries.known([key]):
        ctx.post(msg)
        return True
    await ctx.uow.digests.hold(ctx.person.id, group.id, keep(kind, msg), ctx.now, key)
    at = at_time(o.end + GATHERS_FOR, ZoneInfo(group.timezone))
    ctx.reply(
        message(
            Paragraph(
                f"I'll share this in the round-up after the meeting, at {at.text}. "
                "It puts all the news from that hour in one post.",
                (at,),
            )
        )
    )
    return False


def _round_up(group: Group, o: Occurrence) -> Due:
    key = _key(o)
    title = o.meeting.title

    async def build(uow: UnitOfWork, _to: Person | None) -> Message | None:
        items = await uow.digests.gathered(f"{key}:channel")
        if not items:
            return None
        return round_up(
            f"After the meeting: {title}",
            "Here is the news from the hour after it",
            items,
            "You don't need to reply. Type /decision or /action to see them all.",
        )

    return Due(
        key=key,
        kind="afterroundup",
        label=f"the round-up after {title}",
        due_at=o.end + GATHERS_FOR,
        group=group,
        recipients="channel",
        build=build,
        planned_at=o.meeting.created_at,
        keep=True,
    )


async def plan(uow: UnitOfWork, group: Group, start: datetime, end: datetime) -> list[Due]:
    """The round-up an hour after each meeting's end (posted only if something was kept)."""
    found = await between(uow, group, start - timedelta(days=2), end)
    return [_round_up(group, o) for o in found if start <= o.end + GATHERS_FOR <= end]
