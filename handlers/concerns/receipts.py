"""Receipt codes: the writer's only link to their concern, kept by us only as a keyed hash.

With the code the writer can see what happened (/concern status), take the
concern back (/concern withdraw) or choose who sees it (/concern audience).
"""

from __future__ import annotations

import secrets

from handlers.concerns.wording import WHO_WILL_SEE, shared_when
from handlers.core.commands import Context, Refusal
from handlers.core.messages import message
from storage.models import Concern

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    """A fresh random receipt code, like ABCD-EFGH-JKLM."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _normalise(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


def receipt_hash(ctx: Context, code: str) -> str:
    """The keyed hash a receipt code is stored as (the code itself is never kept)."""
    return ctx.keys.digest("concern-receipt", _normalise(code))


async def _by_code(ctx: Context, code: str) -> Concern:
    concern = await ctx.uow.concerns.by_receipt(receipt_hash(ctx, code)) if code.strip() else None
    if concern is None:
        raise Refusal(
            "I can't find a concern with that receipt code. Nothing was changed.",
            "Please check the code. It looks like ABCD-EFGH-JKLM.",
        )
    return concern


async def status(ctx: Context, args: str) -> None:
    """Show what happened to a concern, by its receipt code."""
    concern = await _by_code(ctx, args)
    group = await ctx.uow.groups.get(concern.group_id)
    assert group is not None
    lines: list[str] = []
    if concern.status == "waiting":
        when = shared_when(group, concern.batch_at)
        lines.append(f"Your concern is waiting. It will be shared {when}.")
    elif concern.status == "withdrawn":
        lines.append("You took this concern back. It was never shared.")
    elif concern.status == "withheld":
        by = await ctx.uow.people.get(concern.withheld_by or 0)
        lines.append(
            f"A facilitator ({by.display_name if by else 'no longer in the group'}) withheld it: "
            "they held it back, so it wasn't shared. "
            f"The reason they gave: {concern.withheld_reason}. The group was told this."
        )
    else:
        lines.append(f"Your concern was shared as concern {concern.number}.")
        if concern.response:
            responder = await ctx.uow.people.get(concern.responded_by or 0)
            name = responder.display_name if responder else "a facilitator"
            lines.append(f"Response from {name}: {concern.response}")
        else:
            lines.append("There's no response yet. I'll show it here when there is.")
        # Other features add lines about what the concern led to through their
        # Feature's concern_status (decisions: the decisions that answer it, and updates).
        for extra in ctx.catalog.concern_status:
            lines.extend(await extra(ctx.uow, concern))
    ctx.reply(message(*lines))


async def withdraw(ctx: Context, args: str) -> None:
    """Take a concern back before it is shared."""
    concern = await _by_code(ctx, args)
    if concern.status != "waiting":
        raise Refusal(
            "This concern has already been shared or closed, so it can't be taken back. "
            "Nothing was changed.",
            "You can see what happened with /concern status and your code.",
        )
    concern.status = "withdrawn"
    concern.text = ""
    ctx.reply(message("Done. I've taken your concern back and removed its words."))


async def audience(ctx: Context, args: str) -> None:
    """Choose who sees a waiting concern: the group or only the facilitators."""
    code, _, who = args.strip().partition(" ")
    concern = await _by_code(ctx, code)
    choice = who.strip().lower()
    if choice not in ("group", "facilitators") or concern.status != "waiting":
        raise Refusal(
            "Please say group or facilitators, for a concern that hasn't been shared yet. "
            "Nothing was changed.",
            f"For example: /concern audience {code} facilitators",
        )
    concern.audience = choice
    ctx.reply(message(f"Done. {WHO_WILL_SEE[choice]}"))
