"""What /propose and /proposal are: their help, and which function answers each form."""

from __future__ import annotations

from handlers.core.commands import CommandSpec, Context, Refusal, Sub
from handlers.core.parsing import is_number
from handlers.proposals.answering import answer, privately, why
from handlers.proposals.closing import close, decide
from handlers.proposals.listing import list_open, show
from handlers.proposals.proposing import propose
from handlers.proposals.wording import EXAMPLE


async def proposal(ctx: Context, args: str) -> None:
    """With no words, the open proposals; with a number, that proposal."""
    words = args.strip()
    if not words:
        await list_open(ctx)
        return
    if is_number(words.lstrip("#")):
        await show(ctx, words)
        return
    raise Refusal(
        f"I don't know '/proposal {words[:30]}'. Nothing was changed.",
        "Type /proposal to see the open proposals, /proposal 3 to see one, or "
        "/proposal answer 3 agree to answer one. To make a new one, use /propose.",
    )


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="propose",
        summary="Ask the group what they think of an idea. They can Agree, Abstain, Disagree "
        "or Block. Add 'anonymous' to keep names off the answers.",
        usage="/propose <what you propose> [closes in 2 days | closes friday | closes 12 march] "
        "[anonymous]",
        examples=(
            EXAMPLE,
            "/propose We try a shorter meeting in May anonymous",
        ),
        run=propose,
    ),
    CommandSpec(
        name="proposal",
        summary="See open proposals and answer them. I share the result when each one closes.",
        usage="/proposal [number]",
        examples=(
            "/proposal",
            "/proposal 3",
            "/proposal answer 3 disagree I'd rather wait until spring",
            "/proposal why 3 The room isn't easy to get to",
        ),
        run=proposal,
        subs=(
            Sub("list", list_open, "/proposal list", "See the open proposals."),
            Sub("show", show, "/proposal show <number>", "See one proposal and answer it."),
            Sub(
                "answer",
                answer,
                "/proposal answer <number> agree|abstain|disagree|block [why]",
                "Answer a proposal, once. You can't change your answer.",
            ),
            Sub(
                "privately",
                privately,
                "/proposal privately <number> agree|abstain|disagree|block [why]",
                "Answer in private. This is how to answer an anonymous one. Send it to me "
                "in a direct message.",
                private=True,
            ),
            Sub(
                "why",
                why,
                "/proposal why <number> <your reason>",
                "Add a reason to your answer, once. Send it to me in a direct message.",
                private=True,
            ),
            Sub(
                "close",
                close,
                "/proposal close <number>",
                "Close a proposal early. The person who proposed it, or a facilitator, can.",
            ),
            Sub(
                "decide",
                decide,
                "/proposal decide <number> [what was decided]",
                "Add what was decided to the decision log. The person who proposed it, or a "
                "facilitator, can.",
            ),
        ),
    ),
)
