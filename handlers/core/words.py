"""Everything the router says, in one place so its tone can be reviewed."""

from __future__ import annotations

from handlers.core.commands import CommandSpec, Sub
from handlers.core.messages import Message, message

NOT_A_COMMAND = message(
    "Hello. I understand commands that start with a slash, like /help.",
    "Type /help to see what I can do. You don't need to reply to this.",
    "If things are hard right now, type /support to see who you can talk to.",
)

NO_GROUP_YET = message(
    "You're not in a group yet.",
    "You join a group by saying something in its channel. "
    "A facilitator can start a group there with /group setup followed by a name.",
)

WHICH_GROUP = "You're in more than one group. Which group is this for?"

NOT_A_MEMBER = message(
    "You're not in that group, so I can't do this for you there.",
    "You join a group by saying something in its channel.",
)

DONE_ALREADY = message(
    "I did that already, just before a restart, so I haven't done it again.",
    "If you meant to do it twice, please send it once more.",
)

SOMETHING_WENT_WRONG = message(
    "Sorry, something went wrong on my side. Nothing was changed.",
    "Please try again in a moment. If it keeps happening, let a facilitator know.",
)


_HELP_WORDS = frozenset(
    {
        "help",
        "help please",
        "please help",
        "hi help",
        "menu",
        "commands",
        "what can you do",
        "what do you do",
        "how does this work",
        "info",
        "?",
    }
)


def asks_for_help(text: str) -> bool:
    """Whether free text asks how the bot works ('help', 'what can you do?')."""
    said = " ".join(text.lower().replace("?", " ? ").split()).rstrip(" ?!.") or "?"
    return said in _HELP_WORDS


BUSY = message(
    "Sorry, I'm very busy just now, so I couldn't take that. Nothing was changed.",
    "Please try again in a minute.",
)


def too_long(length: int, limit: int) -> Message:
    """Reply to a message longer than the bot accepts."""
    return message(
        f"That message is too long for me ({length:,} characters). Nothing was changed.",
        f"Please keep it under {limit:,} characters, or split it into parts.",
    )


def unknown_command(name: str, suggestion: str | None) -> Message:
    """Reply to a command the bot does not know, with the nearest one if any."""
    if suggestion:
        return message(
            f"I don't know /{name}. Did you mean /{suggestion}?",
            f"Type /help {suggestion} to see how it works, or /help for everything I can do.",
        )
    return message(f"I don't know /{name}.", "Type /help to see everything I can do.")


def unknown_sub(spec: CommandSpec, word: str) -> Message:
    """Reply to a sub-command the bot does not know, like /agenda frobnicate."""
    return message(
        f"I don't know /{spec.name} {word}. Nothing was changed.",
        spec.unknown_hint or f"Type /help {spec.name} to see what /{spec.name} can do.",
    )


def and_list(names: list[str]) -> str:
    """'alice', 'alice and carol', 'alice, bob and carol'."""
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def only_facilitators(command: str, sub: Sub | None, names: list[str]) -> Message:
    """Kind refusal of a facilitator-only command."""
    what = f"/{command} {sub.name}" if sub else f"/{command}"
    who = (
        f"Here, that's {and_list(names)}. You could ask "
        f"{'them' if len(names) == 1 else 'one of them'} to do it for you."
        if names
        else "No one runs this group just now. So no one can do this yet."
    )
    return message(
        f"Only the facilitators (the people who run the group) can use {what}. "
        "Nothing was changed.",
        who,
    )


def say_it_privately(command: str) -> Message:
    """Reply when a private command is said where others can see it."""
    return message(
        "I haven't kept that, because others in this channel could see it.",
        f"Please send /{command} to me in a direct message instead. Only I will see it there.",
    )


def say_it_in_channel(command: str, sub: str) -> Message:
    """Reply when a channel-only command is said in a DM."""
    return message(
        f"Please say /{command} {sub} in the channel you want to use for the group.",
        "That way I know which channel the group lives in.",
    )


def channel_not_a_group() -> Message:
    """Reply to a group command in a channel that is not a group."""
    return message(
        "This channel isn't a co-production group yet.",
        "To start one here, type /group setup followed by a name, "
        "for example: /group setup Steering group",
    )


def goodbye(group: str) -> Message:
    """To someone who left a group's channel."""
    return message(
        f"You've left {group}, so I won't send you its packs, reminders or check-ins any more.",
        "If you'd like to come back, just say something in its channel again.",
        "What you added for the group, like agenda items, stays with the group. "
        "Your own settings (/prefs) stay with you, in case you come back.",
        summary=f"You've left {group}",
    )
