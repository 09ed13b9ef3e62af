"""/propose: a new proposal, posted for the group; and finding one by its number."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers.core.commands import Context, Refusal
from handlers.core.messages import message
from handlers.core.when import said_at
from handlers.followups import number_of
from handlers.glossary import ask_about_jargon
from handlers.proposals.reading import options
from handlers.proposals.wording import EXAMPLE, posted
from storage.models import Proposal

MAX_TEXT = 500


async def propose(ctx: Context, args: str) -> None:
    """Post a proposal in the group's channel; anonymous ones send everyone choices privately."""
    group = ctx.the_group()
    text, closes_at, anonymous = options(args, ctx.now, ZoneInfo(group.timezone))
    if not text:
        raise Refusal(
            "Please say what you'd like to propose. Nothing was changed.",
            f"For example: {EXAMPLE}",
            "Add 'anonymous' at the end if answers should be anonymous.",
        )
    if len(text) > MAX_TEXT:
        raise Refusal(
            f"Please keep a proposal under {MAX_TEXT} characters. Nothing was changed.",
            "You could link to the details.",
        )
    p = Proposal(
        group_id=group.id,
        number=await ctx.uow.proposals.next_number(group.id),
        text=text,
        owner_id=ctx.person.id,
        anonymous=anonymous,
        created_at=ctx.now,
        closes_at=closes_at,
    )
    await ctx.uow.proposals.add(p)
    ctx.post(posted(p, group, ctx.person.display_name))
    ctx.reply(
        message(
            said_at(
                f"Proposal {p.number} is posted. It closes on ", closes_at, group.timezone, "."
            ),
            "You and the facilitators can see how many have answered with "
            f"/proposal show {p.number}. You can close it early with "
            f"/proposal close {p.number}.",
        )
    )
    await ask_about_jargon(ctx, text)


async def find(ctx: Context, word: str, example: str) -> Proposal:
    """The group's proposal numbered `word`, or a kind refusal."""
    number = number_of(word, "proposal", example)
    p = await ctx.uow.proposals.get(ctx.the_group().id, number)
    if p is None:
        raise Refusal(
            f"There is no proposal {number}. Nothing was changed.",
            "Type /proposal to see the open proposals and their numbers.",
        )
    return p
