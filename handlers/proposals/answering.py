"""Answering a proposal (once), and adding a reason later (once).

Named answers keep the person. Anonymous answers keep no person and no time,
and are given only privately (`/proposal privately`, a private sub-command:
never logged, and on Matrix its options are kept in memory only). A reason added
later to an anonymous proposal is stored without a kind and without a person,
under a keyed hash of (proposal, person) so it can be added only once: without
the server's secret key nothing links it back.
"""

from __future__ import annotations

from handlers.core.commands import Context, Refusal
from handlers.core.messages import Block, PrivateInput, message
from handlers.proposals.proposing import find
from handlers.proposals.reading import UNCLEAR, answer_word
from handlers.proposals.wording import LABEL, answer_command, choices, meanings, when_words
from storage.models import Proposal, ProposalAnswer

MAX_REASON = 500
#: The kind stored with a reason added later to an anonymous proposal: none.
NO_KIND = ""


def is_closed(ctx: Context, p: Proposal) -> bool:
    """Whether answers are no longer taken (closed early, or its time has come)."""
    return p.closed_at is not None or p.closes_at <= ctx.now


def _open(ctx: Context, p: Proposal) -> None:
    if is_closed(ctx, p):
        raise Refusal(
            f"Proposal {p.number} has closed, so answers and reasons can't be added now. "
            "Nothing was changed.",
            f"Type /proposal {p.number} to see the outcome.",
        )


async def answer(ctx: Context, args: str) -> None:
    """Answer a proposal whose answers carry names (an anonymous one only privately)."""
    word, _, rest = args.strip().partition(" ")
    p = await find(ctx, word, "/proposal answer 3 agree")
    if p.anonymous and not ctx.in_dm:
        raise Refusal(
            f"Answers to proposal {p.number} are anonymous, so I haven't taken one said here. "
            "Nothing was changed.",
            "Please use the choices I sent you in a direct message, or tell me there: "
            f"/proposal privately {p.number} agree, abstain, disagree or block.",
        )
    await _answer(ctx, p, rest)


async def privately(ctx: Context, args: str) -> None:
    """Answer a proposal privately (the only way for an anonymous one)."""
    word, _, rest = args.strip().partition(" ")
    p = await find(ctx, word, "/proposal privately 3 agree")
    await _answer(ctx, p, rest)


async def _answer(ctx: Context, p: Proposal, rest: str) -> None:
    _open(ctx, p)
    if await ctx.uow.proposals.has_answered(p.id, ctx.person.id):
        raise Refusal(
            f"You've already answered proposal {p.number}. Answers can't be changed, so "
            "nothing was changed.",
            f"Everyone sees the answers when it closes on "
            f"{when_words(p.closes_at, ctx.the_group())}.",
        )
    said, _, words = rest.strip().partition(" ")
    kind = answer_word(said)
    if kind is None and (not said or said.lower().strip(".,!") in UNCLEAR):
        _ask(ctx, p, said)
        return
    if kind is None:
        raise Refusal(
            f"'{said[:30]}' isn't one of the four answers. Nothing was changed.",
            "Please answer agree, abstain, disagree or block, for example: "
            f"/proposal {answer_command(p)} {p.number} agree",
        )
    reason = _reason(words)
    await ctx.uow.proposals.answer(p, ctx.person.id, kind, reason)
    closes = when_words(p.closes_at, ctx.the_group())
    blocks: list[Block | str] = [
        f"Thank you. Your answer to proposal {p.number} is saved, without your name. Everyone "
        f"sees all the answers together when it closes on {closes}."
        if p.anonymous
        else f"Thank you: you answered {LABEL[kind]} to proposal {p.number}. Everyone sees "
        f"the answers, with names, when it closes on {closes}."
    ]
    if reason is None:
        blocks += [
            "If you'd like to say why, you can, once (it's optional):",
            PrivateInput("Why?", "Your reason", f"/proposal why {p.number}", p.group_id),
        ]
    ctx.reply(message(*blocks, summary=f"Your answer to proposal {p.number} is saved"))


def _ask(ctx: Context, p: Proposal, said: str) -> None:
    """Words that could mean more than one answer: ask, never guess (nothing is saved)."""
    first = (
        f"I can't tell which answer '{said[:20]}' means, so I haven't saved anything."
        if said
        else f"Which answer would you like to give to proposal {p.number}?"
    )
    ctx.reply(
        message(
            first,
            f"Proposal {p.number}: {p.text}",
            meanings(),
            choices(p, ctx.the_group(), answer_command(p), not_now=True),
        )
    )


def _reason(text: str) -> str | None:
    reason = " ".join(text.split()).lstrip("-:,. ")
    if len(reason) > MAX_REASON:
        raise Refusal(
            f"Please keep a reason under {MAX_REASON} characters. Nothing was changed.",
        )
    return reason or None


async def why(ctx: Context, args: str) -> None:
    """Add a reason to your answer, once."""
    word, _, rest = args.strip().partition(" ")
    p = await find(ctx, word, "/proposal why 3 The room isn't accessible")
    _open(ctx, p)
    reason = _reason(rest)
    if reason is None:
        raise Refusal(
            "Please add your reason after the number. Nothing was changed.",
            f"For example: /proposal why {p.number} The room isn't accessible",
        )
    if not await ctx.uow.proposals.has_answered(p.id, ctx.person.id):
        raise Refusal(
            f"Please answer proposal {p.number} first, then add a reason. Nothing was changed.",
            f"Type /proposal {p.number} to see it.",
        )
    already = Refusal(
        f"You've already given a reason for proposal {p.number}. Reasons can't be changed, "
        "so nothing was changed."
    )
    if p.anonymous:
        key = ctx.keys.digest("proposal-why", str(p.id), ctx.platform, ctx.person.external_id)
        if await ctx.uow.proposals.answer_with_id(key[:32]) is not None:
            raise already
        await ctx.uow.proposals.add(
            ProposalAnswer(
                id=key[:32], proposal_id=p.id, person_id=None, answer=NO_KIND, reason=reason
            )
        )
    else:
        given = await ctx.uow.proposals.answer_of(p.id, ctx.person.id)
        if given is None or given.reason:
            raise already
        given.reason = reason
    ctx.reply(
        message(
            f"Thank you. Your reason for proposal {p.number} is saved. Everyone sees it when it "
            "closes" + (", without your name." if p.anonymous else ", with your name.")
        )
    )
