"""/meeting calendar subscribe and /meeting calendar stop: a private calendar link.

A calendar app checks the link now and then and keeps the group's meetings up to date.
The link holds a random token (secrets.token_urlsafe(32)); only a keyed hash of it is
kept, one a member a group. Asking again gives a new link and stops the old one;
/meeting calendar stop, /leave and /forget me delete it. The bot's HTTP listener serves
it (bot/calendar_feed.py) only where the person running the bot set its public address.
"""

from __future__ import annotations

import secrets

from handlers.core.commands import Context
from handlers.core.keyed import Keys
from handlers.core.messages import message

#: Where links are served, under the bot's public address.
PATH = "/calendar/"
SUFFIX = ".ics"
STOP = "/meeting calendar stop"


def link_hash(keys: Keys, token: str) -> str:
    """How a link's token is kept: a keyed hash, so the database alone can't rebuild it."""
    return keys.digest("calendar-link", token)


async def subscribe(ctx: Context) -> None:
    """Give the member, privately, a new link to the group's meetings."""
    group = ctx.the_group()
    if not ctx.public_url:
        ctx.reply(
            message(
                "Calendar links are not turned on for this bot, so I can't make one.",
                "The person who runs the bot hasn't given it a web address yet. "
                "You can still type /meeting calendar to get a calendar file.",
                summary="Calendar links are not turned on",
            )
        )
        return
    token = secrets.token_urlsafe(32)
    had = await ctx.uow.calendar_links.make(
        group.id, ctx.person.id, link_hash(ctx.keys, token), ctx.now
    )
    url = f"{ctx.public_url.rstrip('/')}{PATH}{token}{SUFFIX}"
    ctx.reply(
        message(
            f"Here is your private calendar link for {group.name}:",
            url,
            "A calendar link is like a calendar file that keeps itself up to date. "
            "Add it to the calendar on your phone or computer. Look for 'add calendar' "
            "and then 'from a web address' or 'subscribe'. Your calendar checks it now "
            "and then, so moved and cancelled meetings change there too.",
            "Please keep it to yourself. Anyone with the link can see when and where "
            "the meetings are.",
            *(["Your old link has stopped working. This one takes its place."] if had else []),
            f"To stop it, type {STOP}. Then the link stops working.",
            summary="Your private calendar link",
        )
    )


async def stop(ctx: Context) -> None:
    """Stop the member's link: it gives nothing from now on."""
    group = ctx.the_group()
    if await ctx.uow.calendar_links.stop(group.id, ctx.person.id):
        ctx.reply(
            message(
                f"Done. Your calendar link for {group.name} has stopped working.",
                "Your calendar will stop showing new changes. You can remove it there too.",
                summary="Your calendar link has stopped",
            )
        )
        return
    ctx.reply(
        message(
            f"You don't have a calendar link for {group.name}, so there was nothing to stop.",
            "To get one, type /meeting calendar subscribe.",
        )
    )
