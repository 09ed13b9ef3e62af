"""Facilitators' /icebreaker commands: the group's own prompts, and whether each meeting
starts with an icebreaker."""

from __future__ import annotations

from handlers.core.commands import Context, Refusal
from handlers.core.messages import BulletList, Heading, message
from handlers.core.parsing import is_number
from handlers.icebreakers.prompts import AVOID, bank
from storage.models import IcebreakerPrompt

MAX_PROMPT = 150


async def add(ctx: Context, args: str) -> None:
    """Facilitators: add the group's own icebreaker."""
    text = " ".join(args.split())
    if not text:
        raise Refusal(
            "Please write the icebreaker after /icebreaker add. Nothing was changed.",
            "For example: /icebreaker add What's the best biscuit for dunking?",
        )
    if len(text) > MAX_PROMPT:
        raise Refusal(
            f"Please keep an icebreaker under {MAX_PROMPT} characters. Nothing was changed."
        )
    if AVOID.search(text):
        raise Refusal(
            "Icebreakers here stay away from health, trauma, family, loss and money, "
            "because they can hurt, or not everyone has them. Nothing was changed.",
            "Could you ask about something small and everyday instead, like pets, hobbies "
            "or what people are watching?",
        )
    group = ctx.the_group()
    own = await ctx.uow.icebreakers.prompts(group.id)
    if any(p.text.casefold() == text.casefold() for p in own) or any(
        p.text.casefold() == text.casefold() for p in bank()
    ):
        raise Refusal("That icebreaker is already in the bank, so nothing was changed.")
    prompt = IcebreakerPrompt(
        group_id=group.id, text=text, added_by=ctx.person.id, removed=False, created_at=ctx.now
    )
    await ctx.uow.icebreakers.add(prompt)
    ctx.reply(
        message(
            f"Added as the group's icebreaker {prompt.id}: {text}",
            "It will come up in turn with the others. You can remove it with "
            f"/icebreaker remove {prompt.id}.",
        )
    )


async def list_own(ctx: Context, args: str) -> None:
    """Facilitators: the group's own icebreakers."""
    own = await ctx.uow.icebreakers.prompts(ctx.the_group().id)
    settings = await ctx.uow.checkins.settings(ctx.the_group().id)
    at_meetings = (
        "An icebreaker starts each meeting."
        if settings.icebreakers
        else "Meetings don't start with an icebreaker (/icebreaker meetings on)."
    )
    if not own:
        ctx.reply(
            message(
                f"This group hasn't added its own icebreakers. There are {len(bank())} in the "
                "bank, and you can add more with /icebreaker add.",
                at_meetings,
            )
        )
        return
    ctx.reply(
        message(
            Heading("The group's own icebreakers"),
            BulletList(tuple(f"{p.id}. {p.text}" for p in own)),
            f"They come up in turn with the {len(bank())} in the bank.",
            at_meetings,
        )
    )


async def remove(ctx: Context, args: str) -> None:
    """Facilitators: remove one of the group's own icebreakers."""
    number = args.strip()
    own = {p.id: p for p in await ctx.uow.icebreakers.prompts(ctx.the_group().id)}
    if not is_number(number) or int(number) not in own:
        raise Refusal(
            "I can't find that icebreaker among the group's own. Nothing was changed.",
            "Type /icebreaker list to see their numbers.",
        )
    own[int(number)].removed = True
    ctx.reply(message(f"Removed: {own[int(number)].text}"))


async def at_meetings(ctx: Context, args: str) -> None:
    """Facilitators: whether each meeting starts with an icebreaker."""
    choice = args.strip().lower()
    if choice not in ("on", "off"):
        raise Refusal(
            "Please say on or off. Nothing was changed.", "For example: /icebreaker meetings off"
        )
    settings = await ctx.uow.checkins.saved_settings(ctx.the_group().id)
    settings.icebreakers = choice == "on"
    ctx.post(
        message(
            f"{ctx.person.display_name} set meetings to start with an icebreaker."
            if choice == "on"
            else f"{ctx.person.display_name} set meetings to start without an icebreaker. "
            "Anyone can still ask for one with /icebreaker."
        )
    )
