"""/group log: what facilitators did, in plain words, for every member to read.

Newest last; the last 30 at first, with older pages (`/group log 2`) or
everything (`/group log all`). Times are in the group's time zone (on Slack, in each
reader's own).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.core.commands import Context, Refusal
from handlers.core.messages import BulletList, Heading, Moment, Paragraph, message
from handlers.core.when import zone_name
from handlers.followups import name_of
from storage.models import AuditEntry, Group
from storage.repositories.audit import FORMER_MEMBER

PAGE = 30


async def show(ctx: Context, args: str) -> None:
    """Show a page of the group's audit log (the newest 30, unless asked for more)."""
    group = ctx.the_group()
    page, everything = _which_page(args)
    total = await ctx.uow.audit.count(group.id)
    if total == 0:
        ctx.reply(
            message(
                "Nothing is in the log yet. When a facilitator changes a setting or plans a "
                "meeting, it shows here.",
                summary="The log is empty.",
            )
        )
        return
    pages = -(-total // PAGE)
    if page > pages:
        raise Refusal(
            f"The log has {pages} {'page' if pages == 1 else 'pages'}, so there's no page "
            f"{page}. Nothing was changed.",
            "Type /group log to see the newest things.",
        )
    limit, offset = (None, 0) if everything else (PAGE, (page - 1) * PAGE)
    entries = await ctx.uow.audit.entries(group.id, limit, offset)
    moments = [_when(e.at, group, ctx.now) for e in entries]
    lines = [
        f"{m.text} — {await _who(ctx, e)} {e.action}" for m, e in zip(moments, entries, strict=True)
    ]
    ctx.reply(
        message(
            Heading(f"What the facilitators did in {group.name}"),
            "Newest last.",
            Paragraph(f"Times are in {zone_name(group.timezone)}.", zone_note=True),
            BulletList(tuple(lines), tuple(moments)),
            *_more(page, pages, everything),
            summary=f"The log of {group.name}",
        )
    )


def _which_page(args: str) -> tuple[int, bool]:
    """'' -> page 1; '2' -> page 2; 'all' -> everything."""
    word = args.strip().lower()
    if word in ("", "1"):
        return 1, False
    if word == "all":
        return 1, True
    if word.isascii() and word.isdigit() and int(word) > 0:
        return int(word), False
    raise Refusal(
        "Please type /group log, or add a page number or the word all. Nothing was changed.",
        "For example: /group log 2 shows older things. /group log all shows everything.",
    )


def _more(page: int, pages: int, everything: bool) -> list[str]:
    """How to see older entries, if there are any not shown."""
    if everything or page >= pages:
        return []
    return [
        f"This is page {page} of {pages}. Type /group log {page + 1} to see older things, "
        "or /group log all to see everything."
    ]


def _when(at: datetime, group: Group, now: datetime) -> Moment:
    """'Tue 1 Dec 10:02' in the group's time zone (with the year, if not this one)."""
    zone = ZoneInfo(group.timezone)
    local = at.astimezone(zone)
    year = f" {local.year}" if local.year != now.astimezone(zone).year else ""
    return Moment(f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}", at, "day_time")


async def _who(ctx: Context, entry: AuditEntry) -> str:
    """Who did it: their name, or 'a former member' once they have left the group."""
    return await name_of(ctx.uow, entry.person_id, FORMER_MEMBER, group_id=entry.group_id)
