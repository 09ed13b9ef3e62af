"""How each member wants to be paid for taking part: `/contributions payment`, privately.

Paid, vouchers, or not at all; never assumed (no choice kept means they haven't
said). Plain words work too ("I'd like vouchers", "don't pay me"). With no words it
shows the group's offer in its own words and the member's choice. Every reply says
that taking part can still be paid when someone gets benefits, and who to ask.
"""

from __future__ import annotations

import re

from handlers.core.commands import Context, Refusal
from handlers.core.messages import Choices, Option, message

EXAMPLE = "/contributions payment vouchers"

_CLEAR = re.compile(r"^(clear|forget( it| that)?|not sure|undecided|undo|take (it )?back)\W*$")
_NEGATION = re.compile(r"\b(no|not|don't|dont|do not|never|without|rather not)\b")
_VOUCHERS = re.compile(r"\b(vouchers?|gift cards?)\b")
_NONE = re.compile(r"^(none|no|nothing|no thanks|no thank you|unpaid|volunteer|free)\W*$")
_PAY = re.compile(r"\b(paid|pay|payment|money|cash|bank)\b")

CHOSEN = {
    "paid": "Thank you. I've noted that you'd like to be paid.",
    "vouchers": "Thank you. I've noted that you'd like vouchers.",
    "none": "Thank you. I've noted that you don't want to be paid. That's fine.",
}
CURRENT = {
    "paid": "You said you'd like to be paid.",
    "vouchers": "You said you'd like vouchers.",
    "none": "You said you don't want to be paid.",
}


def choice_in(words: str) -> str | None:
    """'I'd like vouchers' -> 'vouchers'; 'don't pay me' -> 'none'; 'clear' -> 'clear'."""
    text = " ".join(words.lower().replace("’", "'").split())
    if _CLEAR.match(text):
        return "clear"
    negative = _NEGATION.search(text) is not None
    if _VOUCHERS.search(text) and not negative:
        return "vouchers"
    if _NONE.match(text) or (negative and _PAY.search(text)):
        return "none"
    if _PAY.search(text) and not negative:
        return "paid"
    return None


async def benefits_line(ctx: Context) -> str:
    """The one short line about benefits, and who to ask (the facilitators, by name)."""
    names = [
        m.person.display_name
        for m in await ctx.uow.groups.members(ctx.the_group().id)
        if m.is_facilitator
    ]
    if len(names) > 1:
        who = f"{', '.join(names[:-1])} or {names[-1]} (the facilitators)"
    else:
        who = f"{names[0]} (the facilitator)" if names else "a facilitator"
    return (
        "You can still be paid for taking part if you get benefits. "
        f"To check, ask {who}. Or ask a free adviser, like Citizens Advice."
    )


def _buttons(group_id: int) -> Choices:
    return Choices(
        tuple(
            Option(label, f"/contributions payment {choice}", group_id)
            for label, choice in (
                ("Paid", "paid"),
                ("Vouchers", "vouchers"),
                ("No payment", "none"),
            )
        )
    )


async def _show(ctx: Context) -> None:
    group = ctx.the_group()
    row = await ctx.uow.contributions.payment_choice(group.id, ctx.person.id)
    offer = (
        f"What {group.name} offers for your time: {group.payment_offer}"
        if group.payment_offer
        else f"{group.name} hasn't written down what it offers for your time yet."
    )
    ctx.reply(
        message(
            offer,
            CURRENT[row.choice] if row else "You haven't said how you'd like to be paid yet.",
            "You can choose, or change your mind, at any time. "
            "Only you and the facilitators see it.",
            _buttons(group.id),
            await benefits_line(ctx),
        )
    )


async def choose(ctx: Context, args: str) -> None:
    """Say privately how you'd like to be paid: paid, vouchers or none."""
    words = args.strip()
    if not words:
        await _show(ctx)
        return
    chosen = choice_in(words)
    group = ctx.the_group()
    if chosen is None:
        raise Refusal(
            "I couldn't tell how you'd like to be paid. Nothing was changed.",
            f"Please say paid, vouchers or none. For example: {EXAMPLE}",
        )
    if chosen == "clear":
        had = await ctx.uow.contributions.forget_payment_choice(group.id, ctx.person.id)
        ctx.reply(
            message(
                "I've taken back your choice. You can choose again at any time."
                if had
                else "You hadn't chosen yet, so there was nothing to take back.",
                await benefits_line(ctx),
            )
        )
        return
    await ctx.uow.contributions.choose_payment(group.id, ctx.person.id, chosen, ctx.now)
    ctx.reply(
        message(
            CHOSEN[chosen],
            "The facilitators can see it. You can change it at any time."
            if chosen == "none"
            else "The facilitators can see it, so they can arrange it. "
            "You can change it at any time.",
            await benefits_line(ctx),
        )
    )
