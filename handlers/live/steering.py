"""/next, /more, /back, /pause and /end: the chair steers a live meeting.

The chair of the date (or a facilitator, when nobody chairs it) may steer.
Each move is saved as the item it leaves the meeting on, and the delivery
engine calls items and breaks from there (handlers/live/planning.py). Anyone
else who sends /pause is helped to ask the chair for one privately.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.checkins.pause import pause as ask_for_pause
from handlers.core.commands import Context, Refusal
from handlers.core.messages import Paragraph, message
from handlers.core.occurrences import Occurrence, between
from handlers.core.parsing import describe_duration, parse_duration
from handlers.core.when import at_time
from handlers.live.planning import live_plan
from handlers.live.schedule import Live
from handlers.rotation import CHAIR
from handlers.timekeeping import BREAK_LENGTH

#: After its planned end, a meeting can still be steered (and ended) for this long.
OVERRUN = timedelta(hours=2)
#: The most /more or /pause gives at once.
MOST = timedelta(hours=1)


async def meeting_on(ctx: Context) -> Occurrence:
    """The group's meeting that is on right now (refused kindly if there isn't one)."""
    group = ctx.the_group()
    if not group.live_meeting:
        raise Refusal(
            "Live meeting mode is off for this group, so I'm not keeping time. "
            "Nothing was changed.",
            "A facilitator can turn it on with /meeting live on.",
        )
    found = await between(
        ctx.uow, group, ctx.now - timedelta(days=1), ctx.now + timedelta(seconds=1)
    )
    on = [
        o
        for o in found
        if o.start <= ctx.now and o.ended_at is None and ctx.now < o.planned_end + OVERRUN
    ]
    if not on:
        raise Refusal(
            "There's no meeting on right now, so there's nothing to move on. Nothing was changed.",
            "These work once a meeting has started. /meeting shows when the next one is.",
        )
    return on[-1]


async def _may_steer(ctx: Context, o: Occurrence) -> bool:
    chairs = [
        a.person_id
        for a in await ctx.uow.roles.assignments(o.meeting.id, o.key)
        if a.role == CHAIR and a.person_id is not None
    ]
    return ctx.person.id in chairs or ctx.is_facilitator


async def _chair_of(ctx: Context, command: str) -> Occurrence:
    """The meeting on now; refused kindly for anyone but its chair (or a facilitator)."""
    o = await meeting_on(ctx)
    if not await _may_steer(ctx, o):
        raise Refusal(
            f"/{command} is for the chair of the meeting. Nothing was changed.",
            "If you'd like a pause, send /pause and I'll tell the chair privately.",
        )
    return o


async def _steering(ctx: Context, command: str) -> tuple[Occurrence, Live, int, int]:
    """The meeting on now, where it stands, its current item and how many items it has."""
    o = await _chair_of(ctx, command)
    items, live, _ = await live_plan(ctx.uow, ctx.the_group(), o)
    if not items:
        raise Refusal(
            "This meeting has no agenda items, so there's nothing to move between. "
            "Nothing was changed.",
            "Anyone can add one with /agenda add <item>.",
        )
    return o, live, live.current(ctx.now), len(items)


async def next_item(ctx: Context, args: str) -> None:
    """Move on to the next agenda item now (after a break, if one was planned here)."""
    o, live, current, count = await _steering(ctx, "next")
    target = current + 1
    if target >= count:
        raise Refusal(
            "That was the last item on the agenda. Nothing was changed.",
            "When you're ready to finish, send /end.",
        )
    start = ctx.now
    if live.break_before(target, ctx.now):
        start = ctx.now + timedelta(minutes=BREAK_LENGTH)
    await ctx.uow.live.steer(o.meeting.id, o.key, ctx.now, item=target, item_start=start)
    at = at_time(start, o.zone)
    when = "now" if start == ctx.now else f"after a {BREAK_LENGTH}-minute break, at {at.text}"
    said = f"Moving on: item {target + 1} starts {when}. I'll call it in the channel."
    ctx.reply(message(Paragraph(said, () if start == ctx.now else (at,))))


async def back(ctx: Context, args: str) -> None:
    """Go back to the item before the current one, now."""
    o, _live, current, _count = await _steering(ctx, "back")
    if current <= 0:
        raise Refusal(
            "We're on the first item, so there's nothing to go back to. Nothing was changed."
        )
    await ctx.uow.live.steer(o.meeting.id, o.key, ctx.now, item=current - 1, item_start=ctx.now)
    ctx.reply(message(f"Going back to item {current}. I'll call it in the channel."))


def _minutes(args: str, command: str, default: timedelta | None) -> int:
    said = args.strip()
    length = parse_duration(said) if said else default
    if said and length is None and said.isdigit():
        length = timedelta(minutes=int(said))
    if length is None or length <= timedelta(0) or length > MOST or "-" in said:
        raise Refusal(
            f"I couldn't tell how much time you meant by '{said[:20]}'. Nothing was changed.",
            f"Try a number of minutes up to 60, like /{command} 10m.",
        )
    return int(length.total_seconds() // 60)


async def _give_time(
    ctx: Context, o: Occurrence, live: Live, current: int, minutes: int
) -> datetime | None:
    """Add minutes to the current item; every later item and break moves with it.
    Returns when the next item now starts."""
    row = await ctx.uow.live.of_date(o.meeting.id, o.key)
    start = live.starts[current]
    if current < 0 or start is None:
        raise Refusal("The first item hasn't started yet. Nothing was changed.")
    extra = minutes + (row.extra_minutes if row and row.item == current else 0)
    await ctx.uow.live.steer(
        o.meeting.id, o.key, ctx.now, item=current, item_start=start, extra_minutes=extra
    )
    moved = (await live_plan(ctx.uow, ctx.the_group(), o))[1]
    return moved.starts[current + 1] if current + 1 < len(moved.starts) else None


async def more(ctx: Context, args: str) -> None:
    """Give the current item more time, like /more 10m; the rest move later."""
    o, live, current, _count = await _steering(ctx, "more")
    minutes = _minutes(args, "more", None)
    following = await _give_time(ctx, o, live, current, minutes)
    at = at_time(following, o.zone) if following else None
    then = f" The next item now starts at about {at.text}." if at else ""
    said = f"We're giving this item {minutes} more minutes.{then}"
    ctx.post(message(Paragraph(said, (at,) if at else ())))


async def pause(ctx: Context, args: str) -> None:
    """The chair: a pause now (10 minutes unless they say); anyone else: ask the chair for one."""
    try:
        steers = await _may_steer(ctx, await meeting_on(ctx))
    except Refusal:
        steers = False
    if not steers:
        await ask_for_pause(ctx, args)
        return
    o, live, current, _count = await _steering(ctx, "pause")
    minutes = _minutes(args, "pause", timedelta(minutes=BREAK_LENGTH))
    await _give_time(ctx, o, live, current, minutes)
    back_at = at_time(ctx.now + timedelta(minutes=minutes), o.zone)
    ctx.post(
        message(
            Paragraph(
                f"Let's pause for {describe_duration(timedelta(minutes=minutes))}. "
                f"We'll carry on at {back_at.text}. Stretch, get a drink, rest your eyes.",
                (back_at,),
            )
        )
    )


async def end(ctx: Context, args: str) -> None:
    """End the meeting now: nothing more is called, and the thank-you follows in an hour."""
    o = await _chair_of(ctx, "end")
    await ctx.uow.live.steer(o.meeting.id, o.key, ctx.now, ended_at=ctx.now)
    ctx.post(
        message(
            f"That's the end of {o.meeting.title}. Thank you, everyone. "
            "Take a moment for yourself before whatever comes next."
        )
    )
