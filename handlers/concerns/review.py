"""Facilitators' side: see what waits, withhold one with a reason, respond, set the daily limit.

Facilitators see a waiting concern's words and a short handle from its random
id, never who wrote it, and only in the day before it is shared, all together
in a random order: looking often can't show when each one arrived. A
withheld concern is still announced at release, with who withheld it and why.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from handlers.concerns.release import release_times
from handlers.concerns.wording import shared_said
from handlers.concerns.writing import MAX_TEXT
from handlers.core.commands import Context, Refusal
from handlers.core.messages import BulletList, Heading, message
from handlers.core.parsing import is_number
from handlers.digest.after_meeting import share
from handlers.digest.holding import tell
from storage.models import Concern

#: Facilitators see waiting concerns from this long before they are shared.
REVIEW_BEFORE = timedelta(days=1)
NOT_YET = (
    "Concerns are shown here from the day before they are shared, all together and in a "
    "random order. That way, when each one arrived can't point to who wrote it."
)


async def _in_review(ctx: Context, handle: str | None = None) -> list[Concern]:
    """Waiting concerns whose release is close enough to review them now."""
    rows = await ctx.uow.concerns.waiting(ctx.the_group().id, handle)
    return [c for c in rows if c.batch_at is not None and c.batch_at - REVIEW_BEFORE <= ctx.now]


async def pending(ctx: Context, args: str) -> None:
    """Facilitators: the concerns to be shared next, from the day before, in random order,
    to withhold one if it must be. Before that, the same words whatever is waiting."""
    group = ctx.the_group()
    rows = await _in_review(ctx)
    if not rows:
        coming = await release_times(ctx.uow, group, ctx.now)
        nxt = coming[0] if coming else None
        ctx.reply(message(NOT_YET, shared_said("The next ones are shared ", group, nxt, ".")))
        return
    secrets.SystemRandom().shuffle(rows)
    ctx.reply(
        message(
            Heading("Concerns to be shared next"),
            BulletList(tuple(f"[{c.id[:6]}] {c.text}" for c in rows)),
            "If one must not be shared (for example it is abusive or names a person), "
            "withhold it with a reason: /concern withhold <the code in brackets> <reason>. "
            "The group will be told that one was withheld, by whom and why.",
        )
    )


async def withhold(ctx: Context, args: str) -> None:
    """Facilitators: withhold a waiting concern, always with a reason the group will see."""
    handle, _, reason = args.strip().partition(" ")
    reason = " ".join(reason.split())
    matches = await _in_review(ctx, handle.lower() or "-")
    if len(handle) < 6 or len(matches) != 1:
        raise Refusal(
            "I can't find that concern among those to be shared next. Nothing was changed.",
            "Type /concern pending to see the codes in brackets, from the day before they "
            "are shared.",
        )
    if not reason:
        raise Refusal(
            "Please give a reason. The group will see it. Nothing was changed.",
            f"For example: /concern withhold {handle} it names a person",
        )
    concern = matches[0]
    concern.status = "withheld"
    concern.withheld_by = ctx.person.id
    concern.withheld_reason = reason[:300]
    concern.text = ""
    ctx.audit(f"withheld a concern, reason: {reason[:300]}")  # never the writer, code or words
    ctx.reply(
        message(
            "Done. It won't be shared. When it would have been, the group will be "
            f"told that you withheld one concern, and why: {reason[:300]}"
        )
    )


async def respond(ctx: Context, args: str) -> None:
    """Facilitators: answer a shared concern; the answer goes where the concern went."""
    number, _, text = args.strip().partition(" ")
    text = " ".join(text.split())
    concern = (
        await ctx.uow.concerns.released(ctx.the_group().id, int(number))
        if is_number(number)
        else None
    )
    if concern is None or not text or len(text) > MAX_TEXT:
        raise Refusal(
            "Please give the number of a shared concern and your response. Nothing was changed.",
            "For example: /concern respond 2 We've asked for the room to be kept cooler.",
        )
    concern.response, concern.responded_by, concern.responded_at = text, ctx.person.id, ctx.now
    ctx.audit(
        f"replied to shared concern {concern.number}"
        if concern.audience == "group"
        else "replied to a concern sent to the facilitators"
    )
    reply = message(
        Heading(f"A reply to concern {concern.number}"),
        f"The concern was: {concern.text}",
        f"Here is what {ctx.person.display_name} said back: {text}",
        summary=f"A reply to concern {concern.number}",
    )
    if concern.audience == "group":
        await share(ctx, reply, "concern-response")
        return
    for member in await ctx.uow.groups.members(ctx.the_group().id):
        if member.is_facilitator:
            await tell(ctx, member.person_id, reply, "concern-response")


async def limit(ctx: Context, args: str) -> None:
    """Facilitators: how many concerns one person may send in a day."""
    if not is_number(args.strip()) or not 1 <= int(args.strip()) <= 20:
        raise Refusal("Please give a number from 1 to 20. Nothing was changed.")
    ctx.the_group().concern_daily_limit = int(args.strip())
    ctx.audit(f"set the most concerns one person can send in a day to {int(args.strip())}")
    ctx.post(
        message(
            f"{ctx.person.display_name} set the most concerns one person can send "
            f"in a day to {args.strip()}."
        )
    )
