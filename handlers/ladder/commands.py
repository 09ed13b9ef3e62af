"""/ladder: see the question or the last result, answer privately, and (facilitators)
ask now or set how often the question comes."""

from __future__ import annotations

from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.messages import message
from handlers.core.parsing import is_number
from handlers.core.when import said_at
from handlers.ladder.rounds import new_round, plan_next, result_of
from handlers.ladder.wording import PASS, RUNGS, question
from handlers.proposals.wording import when_words
from storage.models import LadderRound

MOST_MONTHS = 12
ANSWER = "/ladder answer <round> <rung 1 to 7, or pass>"


async def show(ctx: Context, args: str) -> None:
    """The open round's question (if not answered yet), else the last result."""
    group = ctx.the_group()
    r = await ctx.uow.ladder.open_at(group.id, ctx.now)
    if r is not None:
        if await ctx.uow.ladder.has_answered(r.id, ctx.person.id):
            ctx.reply(
                message(
                    said_at(
                        "Thank you, you've answered this round. The group sees the result after ",
                        r.closes_at,
                        group.timezone,
                        ".",
                    )
                )
            )
        else:
            ctx.reply(question(r, group))
        return
    closed = await ctx.uow.ladder.closed_by(group.id, ctx.now)
    latest = await ctx.uow.ladder.latest(group.id)
    coming = (
        f"The next round opens on {when_words(latest.opens_at, group)}."
        if latest is not None and latest.opens_at > ctx.now
        else "No round is planned. A facilitator can start one with /ladder ask."
    )
    if not closed:
        ctx.reply(message("The group hasn't been asked the ladder question yet.", coming))
        return
    last = await result_of(ctx.uow, group, closed[0])
    ctx.reply(message(*last.blocks, coming, summary=last.summary))


async def _round(ctx: Context, word: str) -> LadderRound:
    r = await ctx.uow.ladder.with_id(int(word)) if is_number(word) else None
    if r is None or r.group_id != ctx.the_group().id:
        raise Refusal(
            f"I couldn't find ladder round '{word[:20]}'. Nothing was changed.",
            "Type /ladder to see the open question.",
        )
    return r


async def answer(ctx: Context, args: str) -> None:
    """Answer a round, once, anonymously: a rung from 1 to 7, or pass."""
    word, _, said = args.strip().partition(" ")
    r = await _round(ctx, word)
    group = ctx.the_group()
    if r.closes_at <= ctx.now:
        raise Refusal(
            "That ladder round has closed, so answers can't be added now. Nothing was changed.",
            "Type /ladder to see the result.",
        )
    if r.opens_at > ctx.now:
        raise Refusal(
            f"That ladder round opens on {when_words(r.opens_at, group)}. Nothing was changed."
        )
    if await ctx.uow.ladder.has_answered(r.id, ctx.person.id):
        raise Refusal(
            "You've already answered this round. Answers can't be changed, so nothing was changed.",
            f"The group sees the result after {when_words(r.closes_at, group)}.",
        )
    said = said.strip().lower()
    rung = PASS if said == "pass" else int(said) if is_number(said) else -1
    if said != "pass" and rung not in RUNGS:
        raise Refusal(
            f"'{said[:20]}' isn't one of the answers. Nothing was changed.",
            f"Please give a rung from 1 to 7, or pass. For example: /ladder answer {r.id} 4",
        )
    await ctx.uow.ladder.answer(r.id, ctx.person.id, rung)
    ctx.reply(
        message(
            said_at(
                "Thank you. Your answer is saved, without your name. The group sees the "
                "result after ",
                r.closes_at,
                group.timezone,
                ", if at least 3 people chose a rung.",
            ),
            summary="Your ladder answer is saved",
        )
    )


async def ask(ctx: Context, args: str) -> None:
    """Open a round now, for 7 days (facilitators)."""
    group = ctx.the_group()
    if (r := await ctx.uow.ladder.open_at(group.id, ctx.now)) is not None:
        raise Refusal(
            "The ladder question is already open. Nothing was changed.",
            f"It closes on {when_words(r.closes_at, group)}.",
        )
    await ctx.uow.ladder.drop_planned(group.id, ctx.now)
    r = new_round(group, ctx.now)
    await ctx.uow.ladder.add(r)
    ctx.audit("opened the ladder question for 7 days")
    ctx.post(
        message(
            "I'm asking each member, privately, where they think this group stands on the "
            "Ladder of Co-production. Answers are anonymous.",
            said_at(
                "The group sees the result after ",
                r.closes_at,
                group.timezone,
                ", if at least 3 people chose a rung.",
            ),
            summary="The ladder question is open",
        )
    )


async def every(ctx: Context, args: str) -> None:
    """Set how often the question comes: every 1 to 12 months, or off (facilitators)."""
    words = args.strip().lower().split()
    group = ctx.the_group()
    if words in (["off"], ["never"]):
        months = 0
    elif words and is_number(words[0]) and words[1:] in ([], ["month"], ["months"]):
        months = int(words[0])
    else:
        months = -1
    if not 0 <= months <= MOST_MONTHS:
        raise Refusal(
            "Please say how many months, from 1 to 12, or off. Nothing was changed.",
            "For example: /ladder every 3 months",
        )
    group.ladder_every_months = months
    ctx.audit(
        f"set the ladder question to come every {months} months"
        if months
        else "turned off the ladder question"
    )
    await ctx.uow.ladder.drop_planned(group.id, ctx.now)
    if months == 0:
        ctx.reply(message("I won't ask the ladder question. A facilitator can still /ladder ask."))
        return
    await plan_next(ctx.uow, group, ctx.now)
    latest = await ctx.uow.ladder.latest(group.id)
    assert latest is not None
    when = (
        f"The next round opens on {when_words(latest.opens_at, group)}."
        if latest.opens_at > ctx.now
        else f"The next round opens {months} months after this one."
    )
    ctx.reply(message(f"I'll ask the ladder question every {months} months.", when))


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="ladder",
        summary="Say, anonymously, where you think the group stands on the Ladder of "
        "Co-production. I share the result when at least 3 people have chosen a rung.",
        usage="/ladder",
        examples=("/ladder", "/ladder answer 1 4", "/ladder every 3 months"),
        run=show,
        takes_text=False,
        unknown_hint="Type /ladder to see the question, or the last result.",
        subs=(
            Sub("show", show, "/ladder show", "See the open question, or the last result."),
            Sub(
                "answer",
                answer,
                ANSWER,
                "Answer once, without your name. Send it to me in a direct message.",
                private=True,
            ),
            Sub(
                "ask",
                ask,
                "/ladder ask",
                "Ask everyone the ladder question now, for 7 days.",
                facilitator_only=True,
            ),
            Sub(
                "every",
                every,
                "/ladder every <1 to 12> months|off",
                "Set how often I ask the ladder question.",
                facilitator_only=True,
            ),
        ),
    ),
)
