"""Writing a concern: the form, drafts held for confirmation, the daily quota, and storing it.

What is stored: the words, the group, who should see them and the release
batch they wait for; no person, no place, no time of writing. A draft is
found only by a keyed hash of the random token in its buttons; the quota is
counted under a keyed hash of (day, person), forgotten the next day.
"""

from __future__ import annotations

import secrets

from handlers.concerns.receipts import new_code, receipt_hash
from handlers.concerns.release import release_times
from handlers.concerns.who_sees import FACILITATORS, GROUP, read_audience
from handlers.concerns.wording import (
    ASK_WHO,
    EVERYONE,
    ONLY_FACILITATORS,
    WHO_SEES_SHORT,
    WHO_WILL_SEE,
    shared_said,
    shared_with,
)
from handlers.core.commands import Context, Refusal
from handlers.core.messages import Choices, Heading, Option, PrivateInput, message
from handlers.safety import shows_distress, support_message
from storage.models import Concern, ConcernDraft, Group

MAX_TEXT = 2000
SMALL_GROUP = 5
ANYWAY = "anyway"  # '/concern send <token> anyway': sent after the small-group warning
ASK = "ask"  # a draft's audience while the writer is asked who should see it


async def _group_for(ctx: Context) -> list[Group]:
    if ctx.group is not None:
        return [ctx.group]
    return list(await ctx.uow.groups.of_person(ctx.person.id))


async def _check_quota(ctx: Context, group: Group) -> None:
    today = ctx.now.date()
    key = ctx.keys.digest("concern-quota", today.isoformat(), ctx.platform, ctx.person.external_id)
    quota = await ctx.uow.concerns.quota(key, today)
    if quota.count >= group.concern_daily_limit:
        raise Refusal(
            f"You've sent {quota.count} concerns today, which is the most I take in one day. "
            "Nothing was changed.",
            "Please send it tomorrow, or talk to someone you trust in the group.",
        )
    quota.count += 1


async def _store(ctx: Context, group: Group, text: str, audience: str) -> None:
    await _check_quota(ctx, group)
    code = new_code()
    coming = await release_times(ctx.uow, group, ctx.now)
    batch = coming[0] if coming else None
    await ctx.uow.concerns.add(
        Concern(
            id=secrets.token_hex(16),
            group_id=group.id,
            audience=audience,
            text=text,
            receipt_hash=receipt_hash(ctx, code),
            status="waiting",
            batch_at=batch,
        )
    )
    ctx.reply(
        message(
            Heading("Thank you. Your concern is saved, without your name."),
            shared_said(
                f"It will be shared with {shared_with(audience)} ",
                group,
                batch,
                ", together with any others, in a random order.",
            ),
            WHO_WILL_SEE[audience],
            f"Your receipt code is {code}. It's a private code that only you have. "
            "Please keep it: I show it only once. "
            f"With it you can see the reply (/concern status {code}). You can also take the "
            f"concern back before it is shared (/concern withdraw {code}).",
            summary="Your concern is saved",
        )
    )


async def raise_concern(ctx: Context, args: str) -> None:
    """Take a concern privately; confirm first in a small group, or when the group or who
    should see it is unclear. Words that show distress get the support message at once."""
    audience, text = read_audience(args)
    if ctx.group is not None and ctx.membership is None:
        raise Refusal("You're not in that group, so I can't take a concern for it.")
    groups = await _group_for(ctx)
    if not groups:
        raise Refusal("You're not in a group yet, so there's nowhere to send a concern.")
    if not text:
        ctx.reply(
            message(
                Heading("Raise a concern anonymously"),
                "Tell me what's on your mind. Your name is never kept.",
                WHO_SEES_SHORT,
                PrivateInput(
                    "Raise a concern",
                    "What would you like to raise?",
                    "/concern to facilitators:" if audience == FACILITATORS else "/concern",
                    groups[0].id if len(groups) == 1 else None,
                ),
                "You don't have to send anything.",
            )
        )
        return
    if len(text) > MAX_TEXT:
        raise Refusal(
            f"Please keep a concern under {MAX_TEXT:,} characters. Nothing was changed.",
            "You could split it into two.",
        )
    if shows_distress(text):
        ctx.reply(await support_message(ctx.uow, groups))
    if audience is None:
        token = await _draft(ctx, text, ASK)
        ctx.reply(
            message(
                ASK_WHO,
                Choices(
                    (
                        Option(EVERYONE, f"/concern who {token} {GROUP}"),
                        Option(ONLY_FACILITATORS, f"/concern who {token} {FACILITATORS}"),
                        Option("Don't send it", f"/concern discard {token}"),
                    )
                ),
            )
        )
        return
    await _route(ctx, groups, text, audience)


async def _route(ctx: Context, groups: list[Group], text: str, audience: str) -> None:
    """Ask which group when there are several, warn in a small group, else store."""
    if len(groups) > 1:
        token = await _draft(ctx, text, audience)
        ctx.reply(
            message(
                "Which group is this concern for? I won't keep your choice with your name.",
                Choices(
                    (
                        *(Option(g.name, f"/concern send {token}", g.id) for g in groups),
                        Option("Don't send it", f"/concern discard {token}"),
                    )
                ),
            )
        )
        return
    group = groups[0]
    members = len(await ctx.uow.groups.members(group.id))
    if members < SMALL_GROUP:
        _ask_if_small_is_okay(ctx, group, members, await _draft(ctx, text, audience))
        return
    await _store(ctx, group, text, audience)


def _ask_if_small_is_okay(ctx: Context, group: Group, members: int, token: str) -> None:
    """Warn before storing a concern for a small group; nothing is stored until they say so."""
    ctx.reply(
        message(
            f"A gentle warning: this group has {members} members. In a small group, people "
            "may guess who wrote a concern from the way it is written. "
            "Would you still like to send it?",
            Choices(
                (
                    Option("Send it anyway", f"/concern send {token} {ANYWAY}", group.id),
                    Option("Don't send it", f"/concern discard {token}", group.id),
                )
            ),
        )
    )


async def _draft(ctx: Context, text: str, audience: str) -> str:
    token = secrets.token_urlsafe(12)
    await ctx.uow.concerns.add(
        ConcernDraft(
            token_hash=ctx.keys.digest("concern-draft", token),
            text=text,
            audience=audience,
            day=ctx.now.date(),
        )
    )
    return token


async def _find_draft(ctx: Context, token: str) -> ConcernDraft:
    draft = await ctx.uow.concerns.draft(ctx.keys.digest("concern-draft", token))
    if draft is None:
        raise Refusal(
            "I don't have that concern any more. It may already be sent, or it was from "
            "an earlier day. Nothing was changed.",
            "You can send it again with /concern followed by your words.",
        )
    return draft


async def _take_draft(ctx: Context, token: str) -> ConcernDraft:
    draft = await _find_draft(ctx, token)
    await ctx.uow.concerns.remove(draft)
    return draft


async def send(ctx: Context, args: str) -> None:
    """Send a concern held for confirmation (a small group is warned first)."""
    if ctx.group is None or ctx.membership is None:
        raise Refusal("Please choose one of your groups from the list. Nothing was changed.")
    token, _, sure = args.strip().partition(" ")
    members = len(await ctx.uow.groups.members(ctx.group.id))
    if members < SMALL_GROUP and sure.strip() != ANYWAY:
        await _find_draft(ctx, token)  # still there? (kept until they say)
        _ask_if_small_is_okay(ctx, ctx.group, members, token)
        return
    draft = await _take_draft(ctx, token)
    await _store(ctx, ctx.group, draft.text, draft.audience)


async def who(ctx: Context, args: str) -> None:
    """Who should see a concern held while the writer chose: then it goes on as usual."""
    token, _, chosen = args.strip().partition(" ")
    if chosen.strip() not in (GROUP, FACILITATORS):
        raise Refusal("Please choose one of the buttons. Nothing was changed.")
    draft = await _take_draft(ctx, token)
    groups = await _group_for(ctx)
    if not groups:
        raise Refusal("You're not in a group yet, so there's nowhere to send a concern.")
    await _route(ctx, groups, draft.text, chosen.strip())


async def discard(ctx: Context, args: str) -> None:
    """Throw away a concern held for confirmation."""
    await _take_draft(ctx, args.strip())
    ctx.reply(message("Okay. I haven't kept it. You can raise something at any time."))
