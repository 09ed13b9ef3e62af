"""/meeting calendar [n]: a meeting, or all the group's upcoming meetings and series, as an
.ics calendar file sent privately (see handlers/calendar/ics.py for what is in it).
/meeting calendar subscribe | stop: a private link that keeps them up to date (links.py)."""

from __future__ import annotations

import re
from datetime import datetime

from handlers.agenda import item_lines
from handlers.calendar import links
from handlers.calendar.ics import MEDIA_TYPE, Entry, ics
from handlers.core.commands import Context, Refusal
from handlers.core.messages import File, message
from handlers.core.occurrences import of_meeting
from handlers.core.parsing import is_number
from handlers.timekeeping import agenda_times
from storage.models import Group, Meeting
from storage.uow import UnitOfWork

AGENDA_DATES = 10  # upcoming dates of each meeting whose agendas go in the file
HOW = "Type /meeting to see the meetings and their numbers."
CANCELLED = "It is cancelled. Open it to show that in"


async def calendar(ctx: Context, args: str) -> None:
    """Send the person, privately, a calendar file of one meeting or all upcoming ones."""
    group = ctx.the_group()
    number = args.strip()
    if number.lower() in ("subscribe", "stop"):
        await (links.subscribe if number.lower() == "subscribe" else links.stop)(ctx)
        return
    if number:
        found = await ctx.uow.meetings.get(group.id, int(number)) if is_number(number) else None
        if found is None:
            raise Refusal(
                f"I can't find meeting {number[:20]} in this group. Nothing was changed.",
                f"{HOW} Or type /meeting calendar for all of them.",
            )
        meetings = [found]
    else:
        meetings = list(await ctx.uow.meetings.of_group(group.id))
    entries = [e for m in meetings if (e := await _entry(ctx.uow, group, m, ctx.now, bool(number)))]
    if not entries:
        raise Refusal(
            "There are no meetings coming up, so there is nothing to add. Nothing was changed.",
            "A facilitator can plan one with /meeting new.",
        )
    text = ics(group.name, entries, ctx.now)
    if number:
        [meeting] = meetings
        name = f"{_slug(group.name)}-meeting-{meeting.id}.ics"
        said = f"Here is meeting {meeting.id}, {meeting.title}, as a calendar file."
        add = CANCELLED if meeting.cancelled else "Open it to add the meeting to"
    else:
        name = f"{_slug(group.name)}-meetings.ics"
        said = f"Here are the meetings of {group.name} as a calendar file."
        add = "Open it to add the meetings to"
    ctx.reply(
        message(
            said,
            File(name, MEDIA_TYPE, text),
            f"{add} the calendar on your phone or computer. "
            "Times are in the group's time zone. Your calendar shows them in yours. "
            "It reminds you a day before and an hour before.",
            "If a meeting moves, I will tell you. Then ask me for a new file.",
            summary="Your calendar file",
        )
    )


async def group_calendar(uow: UnitOfWork, group: Group, now: datetime) -> str:
    """All the group's upcoming meetings and series as calendar text (what a private
    calendar link serves: it may hold no meeting at all)."""
    meetings = await uow.meetings.of_group(group.id)
    entries = [e for m in meetings if (e := await _entry(uow, group, m, now, False))]
    return ics(group.name, entries, now)


async def _entry(
    uow: UnitOfWork, group: Group, meeting: Meeting, now: datetime, keep_past: bool
) -> Entry | None:
    """The meeting with its changes and its next agendas; None if nothing is to come
    (unless `keep_past`: asked for by number)."""
    coming = [] if meeting.cancelled else await of_meeting(uow, meeting, now, AGENDA_DATES)
    if not coming and not keep_past:
        return None
    agendas = {}
    for o in coming:
        items, table = await agenda_times(uow, group, o)
        if items:
            agendas[o.key] = await item_lines(uow, o, items, table)
    changes = await uow.meetings.changes([meeting.id])
    return Entry(meeting, changes, agendas)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "group"
