"""Asking an icebreaker now, and answering or passing: answers are held and shown together."""

from __future__ import annotations

from handlers.core.commands import Context, Refusal
from handlers.core.messages import message
from handlers.core.parsing import is_number
from handlers.icebreakers.prompts import pick
from handlers.icebreakers.rounds import NOW_WINDOW, everyone_responded, mark_shown
from handlers.icebreakers.wording import (
    ALL_SHARED,
    NONE_GOING,
    PASSED,
    START_ONE,
    THANKS_HELD,
    answer_lines,
    answers_message,
    ask,
    until,
)
from storage.models import IcebreakerAnswer, IcebreakerRound

MAX_ANSWER = 500


async def run_now(ctx: Context, args: str) -> None:
    """Ask an icebreaker in the group's channel now."""
    group = ctx.the_group()
    live = [r for r in await ctx.uow.icebreakers.unfinished(group.id) if r.phase == "started"]
    if live:
        raise Refusal(
            f"There's an icebreaker going already: {live[0].text} Nothing was changed.",
            f"You can answer it with /icebreaker answer {live[0].id}, or pass.",
        )
    prompt = await pick(ctx.uow, group)
    r = IcebreakerRound(
        group_id=group.id,
        prompt_ref=prompt.ref,
        text=prompt.text,
        phase="started",
        starts_at=ctx.now,
        closes_at=ctx.now + NOW_WINDOW,
        created_at=ctx.now,
    )
    await ctx.uow.icebreakers.add(r)
    ctx.post(ask(group, r, []))


async def _round(ctx: Context, args: str, strict: bool = False) -> tuple[IcebreakerRound, str]:
    """The icebreaker meant (by number, else the one going now) and the rest of the words.

    strict: a number must name one of the group's icebreakers.
    """
    group = ctx.the_group()
    first, _, rest = args.strip().partition(" ")
    if is_number(first):
        found = await ctx.uow.icebreakers.round(group.id, int(first))
        if found is not None:
            return found, rest.strip()
        if strict or rest.strip():
            raise Refusal(f"I can't find icebreaker {first[:12]}. Nothing was changed.", START_ONE)
    unfinished = list(await ctx.uow.icebreakers.unfinished(group.id))
    live = [r for r in unfinished if r.phase == "started"] or unfinished
    if not live:
        raise Refusal(NONE_GOING, START_ONE)
    return live[0], args.strip()


def _still_open(r: IcebreakerRound, mine: IcebreakerAnswer | None) -> None:
    if r.phase == "closed":
        raise Refusal("That icebreaker has finished, so nothing was changed.", START_ONE)
    if mine is not None and mine.shown_at is not None:
        raise Refusal("Your answer has already been shared with the group, so nothing was changed.")


async def _share_if_everyone(ctx: Context, r: IcebreakerRound) -> bool:
    """If everyone has answered or passed, post the answers not yet shown, together."""
    if r.phase != "started" or not await everyone_responded(ctx.uow, r):
        return False
    answers = await ctx.uow.icebreakers.answers(r.id)
    shown_before = any(a.shown_at is not None and a.text is not None for a in answers)
    fresh = [a for a in mark_shown(answers, ctx.now) if a.text is not None]
    r.phase = "closed"
    if fresh or not shown_before:  # everyone's answers, the early ones too, together
        ctx.post(answers_message(r, await answer_lines(ctx.uow, answers)))
    return True


async def answer(ctx: Context, args: str) -> None:
    """Answer an icebreaker; it is held and shown with everyone's."""
    r, text = await _round(ctx, args)
    text = " ".join(text.split())
    if not text:
        raise Refusal(
            "Please write your answer after the number. Nothing was changed.",
            f"For example: /icebreaker answer {r.id} My cat, Mabel. Or /icebreaker pass {r.id}.",
        )
    if len(text) > MAX_ANSWER:
        raise Refusal(
            f"Please keep your answer under {MAX_ANSWER} characters. Nothing was changed."
        )
    _still_open(r, await ctx.uow.icebreakers.answer_of(r.id, ctx.person.id))
    await ctx.uow.icebreakers.set_answer(r.id, ctx.person.id, text)
    if await _share_if_everyone(ctx, r):
        ctx.reply(message(ALL_SHARED))
        return
    when = "when the meeting starts" if r.phase == "open" else until(ctx.the_group(), r)
    ctx.reply(
        message(THANKS_HELD.format(when=when), "You can change it until then by answering again.")
    )


async def pass_(ctx: Context, args: str) -> None:
    """Pass on an icebreaker: always fine, never counted."""
    r, _ = await _round(ctx, args, strict=True)
    _still_open(r, await ctx.uow.icebreakers.answer_of(r.id, ctx.person.id))
    await ctx.uow.icebreakers.set_answer(r.id, ctx.person.id, None)
    shared = await _share_if_everyone(ctx, r)
    ctx.reply(
        message(
            PASSED,
            *(
                ["Everyone has answered or passed now, so I've shared the answers."]
                if shared
                else []
            ),
        )
    )
