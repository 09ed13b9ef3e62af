"""Direct messages to other people go now, or wait for a kind time.

A command can message someone other than the person who said it (a swap
request, a response to a concern, a note to the facilitators). If that person
is in their quiet hours or away, the message is kept for the delivery engine,
which sends it once they can get it, exactly once; otherwise it goes now.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers.core.commands import Context
from handlers.core.kind_times import after_quiet_hours, back_from_away
from handlers.core.messages import Outgoing, ToPerson, to_json


async def hold_until_kind_times(ctx: Context) -> None:
    """Keep, for the delivery engine, each direct message to someone who can't get it now."""
    staying: list[Outgoing] = []
    for out in ctx.outgoing:
        to = out.to
        if not isinstance(to, ToPerson) or to.person_id == ctx.person.id:
            staying.append(out)
            continue
        group_id = to.group_id or (ctx.group.id if ctx.group else None)
        group = await ctx.uow.groups.get(group_id) if group_id else None
        if group is None:
            staying.append(out)
            continue
        zone = ZoneInfo(group.timezone)
        prefs = (await ctx.uow.people.preferences_of([to.person_id]))[to.person_id]
        away = (await ctx.uow.people.away_days([to.person_id]))[to.person_id]
        kind_time = after_quiet_hours(back_from_away(ctx.now, away, zone), prefs, zone)
        if kind_time == ctx.now:
            staying.append(out)
        else:
            await ctx.uow.deliveries.queue(group.id, to.person_id, to_json(out.message), ctx.now)
    ctx.outgoing[:] = staying
