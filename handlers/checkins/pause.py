"""/checkin pause: telling the chair (or the facilitators) privately that someone needs a pause."""

from __future__ import annotations

from datetime import timedelta

from handlers.core.commands import Context, Refusal
from handlers.core.messages import Choices, Option, Outgoing, ToPerson, message
from handlers.core.occurrences import Occurrence, upcoming
from handlers.rotation import CHAIR
from storage.models import Group
from storage.uow import UnitOfWork

PAUSE_EARLY = timedelta(minutes=15)  # /checkin pause works from this long before the start


async def pause_listeners(
    uow: UnitOfWork, group: Group, o: Occurrence, asker: int
) -> tuple[str, list[int]]:
    """Who hears, privately, that someone needs a pause, and what to call them: the
    meeting's chair (given out with /rotate or /roles), or the facilitators when nobody
    else chairs it. Never the person asking."""
    chairs = [
        a.person_id
        for a in await uow.roles.assignments(o.meeting.id, o.key)
        if a.role == CHAIR and a.person_id is not None and a.person_id != asker
    ]
    if chairs:
        return ("the chair" if len(chairs) == 1 else "the co-chairs"), chairs
    facilitators = [
        m.person_id
        for m in await uow.groups.members(group.id)
        if m.is_facilitator and m.person_id != asker
    ]
    return "the facilitators", facilitators


async def pause(ctx: Context, args: str) -> None:
    """Tell the chair (or the facilitators) privately that someone needs a pause."""
    how = args.strip().lower()
    group = ctx.the_group()
    now_on = [
        o
        for o in await upcoming(ctx.uow, group, ctx.now)
        if o.start - PAUSE_EARLY <= ctx.now < o.end
    ]
    if not now_on:
        raise Refusal(
            "There's no meeting on right now, so I haven't sent anything. Nothing was changed.",
            "If you'd like to talk to someone, /checkin help says who the wellbeing contact is.",
        )
    o = now_on[0]
    told, listeners = await pause_listeners(ctx.uow, group, o, ctx.person.id)
    if how in ("cancel", "no"):
        ctx.reply(message("Okay, I haven't sent anything."))
        return
    if how not in ("anon", "anonymous", "named", "me"):
        ctx.reply(
            message(
                f"I can tell {told} privately that someone needs a pause. "
                "Shall I include your name?",
                Choices(
                    (
                        Option("Send it without my name", "/checkin pause anon", group.id),
                        Option("Send it with my name", "/checkin pause named", group.id),
                        Option("Don't send it", "/checkin pause cancel", group.id),
                    )
                ),
            )
        )
        return
    who = "Someone" if how.startswith("anon") else ctx.person.display_name
    note_text = message(
        f"{who} in {o.meeting.title} needs a pause.",
        "Could you find a natural moment for a short break soon? "
        "Please don't say who asked, or ask why.",
        summary="Someone needs a pause",
    )
    for person_id in listeners:
        ctx.outgoing.append(Outgoing(note_text, ToPerson(person_id)))
    named_words = "without your name" if who == "Someone" else "with your name"
    ctx.reply(
        message(
            f"Done. I've told {told} privately, {named_words}."
            if listeners
            else "You're the only facilitator, so there's nobody else to tell. "
            "It's fine to call a break yourself.",
            "You can step away any time, and you don't need to explain.",
        )
    )
