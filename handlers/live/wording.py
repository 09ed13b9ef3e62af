"""What the bot says in a live meeting: the opening agenda, each item's call, the chair's
private 5-minute note, and breaks. Built when sent, from the agenda as it is then."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.agenda import item_lines
from handlers.core.messages import BulletList, Heading, Message, Moment, Paragraph, message
from handlers.core.occurrences import Occurrence
from handlers.core.when import at_time
from handlers.followups import name_of
from handlers.live.schedule import Live
from handlers.timekeeping import BREAK_LENGTH, Timetable, start_moments
from storage.models import AgendaItem
from storage.uow import UnitOfWork

HOW_TO_STEER = (
    "The chair can move on with /next, go back with /back, or give an item more time "
    "with /more 10m. If you need a pause, send /pause to me privately and I'll tell "
    "the chair without saying why."
)


async def _name(uow: UnitOfWork, item: AgendaItem) -> str:
    if not item.lead_person_id:
        return ""
    group_id = await uow.meetings.group_of(item.meeting_id)
    return await name_of(uow, item.lead_person_id, group_id=group_id)


async def call_lines(uow: UnitOfWork, items: Sequence[AgendaItem], index: int) -> list[str]:
    """'Now: 2. Crisis line waiting times, led by bob, 20 minutes.', with the item's
    content note first, gently."""
    item = items[index]
    lines = []
    if item.content_note:
        lines.append(
            f"A gentle note before the next item. Its content note says: {item.content_note}. "
            "It's okay to step away, turn your camera off or take a break at any time."
        )
    parts = [f"Now: {index + 1}. {item.text}"]
    lead = await _name(uow, item)
    if lead:
        parts.append(f"led by {lead}")
    if item.minutes:
        parts.append(f"{item.minutes} minutes")
    lines.append(", ".join(parts) + ".")
    return lines


async def opening(
    uow: UnitOfWork, o: Occurrence, items: Sequence[AgendaItem], table: Timetable, live: Live
) -> Message:
    """The agenda for today, posted as the meeting starts, with what comes first."""
    lines = await item_lines(uow, o, items, table)
    now = [i for i, s in enumerate(live.starts) if s == o.start]
    calls = [line for i in now for line in await call_lines(uow, items, i)]
    breaks = tuple(at_time(b, o.zone) for b in live.breaks)
    listed = ", ".join(b.text for b in breaks)
    return message(
        Heading(f"Today's agenda: {o.meeting.title}"),
        BulletList(tuple(lines), start_moments(o, table)),
        *([Paragraph(f"Breaks: at about {listed}.", breaks)] if breaks else []),
        *calls,
        HOW_TO_STEER,
        summary=f"{o.meeting.title} is starting",
    )


async def call(uow: UnitOfWork, items: Sequence[AgendaItem], index: int) -> Message:
    """The call to one agenda item, in the channel."""
    lines = await call_lines(uow, items, index)
    return message(*lines, summary=lines[-1])


def warning(items: Sequence[AgendaItem], index: int) -> Message:
    """The chair's private note that an item's time is nearly up."""
    item = items[index]
    return message(
        f"5 minutes left on {index + 1}. {item.text}.",
        "To give it more time, send /more 10m. To move on, send /next. "
        "Or just carry on: you don't need to do anything.",
        "Only you can see this.",
        summary="5 minutes left on this item",
    )


def pause(o: Occurrence, items: Sequence[AgendaItem], live: Live, next_item: int | None) -> Message:
    """A break between items, with what comes after it."""
    after = ""
    moments: tuple[Moment, ...] = ()
    if next_item is not None and (start := live.starts[next_item]) is not None:
        at = at_time(start, o.zone)
        after, moments = f" Next: {next_item + 1}. {items[next_item].text}, at {at.text}.", (at,)
    return message(
        "Time for a break. Stretch, get a drink, rest your eyes.",
        Paragraph(f"We'll carry on in about {BREAK_LENGTH} minutes.{after}", moments),
        "Take longer if you need to: nobody has to explain.",
        summary="Time for a break",
    )
