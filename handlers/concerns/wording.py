"""What /concern says about who sees what, and when a concern will be shared."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.core.commands import Context
from handlers.core.messages import Heading, Paragraph, message
from handlers.core.when import said_at
from storage.models import Group

WHO_SEES_WHAT = (
    "Who sees what: the group sees your words, but never your name. Or only the "
    "facilitators see them, if you choose. Nobody can see who wrote it: not the "
    "facilitators, and not anyone who reads what the bot stores. I keep no name and no "
    "time of writing. I share concerns a few at a time, with the pack and when the "
    "meeting starts. I mix up the order, so the timing doesn't show who wrote what."
)
PLATFORM_ADMINS = (
    "What the people who run Slack or Matrix could still see: on Slack, the owner can "
    "save copies of direct messages. So use the form I open for you, not a normal "
    "message. On Matrix, the server's owner can read rooms that aren't locked "
    "(encrypted). So use an encrypted direct message."
)
WHO_SEES_SHORT = "The group will see your words before or at the next meeting."
HOW_TO = (
    "To raise a concern, send it to me in a direct message: /concern followed by your words. "
    "If only the facilitators (the people who run the group) should see it, start with "
    "'to facilitators': /concern to facilitators <your words>."
)


EVERYONE = "Everyone in the group"
ONLY_FACILITATORS = "Only the facilitators"
ASK_WHO = (
    "Who should see this concern? Your name is never kept either way. I haven't saved anything yet."
)
WHO_WILL_SEE = {
    "facilitators": "Only the facilitators will see it. The rest of the group won't.",
    "group": "Everyone in the group will see your words, but never your name.",
}


def shared_when(group: Group, at: datetime | None) -> str:
    """When a batch is shared, in the group's time: 'on Tuesday 3 March at 14:00'."""
    if at is None:
        return "at the next meeting, once one is planned"
    local = at.astimezone(ZoneInfo(group.timezone))
    return f"on {local:%A} {local.day} {local:%B} at {local:%H:%M}"


def shared_said(before: str, group: Group, at: datetime | None, after: str) -> Paragraph:
    """`shared_when` between `before` and `after`, its time marked so Slack shows it in
    each reader's own zone."""
    if at is None:
        return Paragraph(f"{before}{shared_when(group, at)}{after}")
    return said_at(f"{before}on ", at, group.timezone, after)


def shared_with(audience: str) -> str:
    """Who a concern for this audience is shared with, in words."""
    return "only the facilitators" if audience == "facilitators" else "everyone in the group"


async def explain(ctx: Context, args: str) -> None:
    """Who can see what, in plain words."""
    ctx.reply(message(Heading("Anonymous concerns"), HOW_TO, WHO_SEES_WHAT, PLATFORM_ADMINS))
