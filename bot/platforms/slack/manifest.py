"""The Slack app manifest, generated from the commands' own metadata.

`slack/manifest.yml` is this module's output for the placeholder URL; a test
checks they match, so the commands Slack knows never drift from the code.
Regenerate it with `python -m bot.platforms.slack.manifest > slack/manifest.yml`, or
print one for your own server with `alongside slack --manifest --url https://...`.

Scopes, each for one reason (least privilege):

- commands: the slash commands.
- chat:write: posting packs, reminders and replies (in channels the bot is in).
- im:write: opening a direct conversation with a member (conversations.open).
- im:history: receiving what people type to the bot in its direct messages
  (message.im), and, after a crash, finding the bot's own message there to
  see whether a delivery already arrived.
- channels:read, groups:read: listing a group channel's members, so they
  become group members, and hearing when someone joins or leaves (public /
  private): leaving the channel ends membership.
- channels:history, groups:history: only after a crash, to look for the bot's
  own message in a group channel before sending it again. The bot subscribes
  to no channel message events, so it never receives what people say there.
- users:read: people's display names.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from bot.platforms.slack.naming import DEFAULT_NAMING, CommandNaming
from handlers.core.commands import CommandSpec
from handlers.features import catalog

PLACEHOLDER_URL = "https://alongside.example.org/slack/events"
NAME = "alongside"
DESCRIPTION = "A gentle helper for co-production groups: meetings, packs, reminders."
LONG_DESCRIPTION = (
    "alongside helps co-production groups work the way their members say co-production "
    "should work: the same papers for everyone in good time, reminders that respect quiet "
    "hours, shared roles, plain words, and ways for quieter voices to be heard. "
    "Type /help to see everything it can do."
)
SCOPES = (
    "channels:history",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "users:read",
)
BOT_EVENTS = (
    "app_home_opened",
    "app_uninstalled",
    "member_joined_channel",
    "member_left_channel",
    "message.im",
    "tokens_revoked",
)
#: Where Slack sends someone back after "Add to Slack" (several workspaces, see oauth.py).
REDIRECT_PATH = "/slack/oauth_redirect"

# Slack's own commands, which an app cannot register.
RESERVED = frozenset(
    {
        "active",
        "away",
        "archive",
        "collapse",
        "dm",
        "dnd",
        "expand",
        "feed",
        "invite",
        "join",
        "leave",
        "me",
        "msg",
        "mute",
        "open",
        "pro",
        "remind",
        "remove",
        "rename",
        "search",
        "shortcuts",
        "shrug",
        "star",
        "status",
        "topic",
        "who",
    }
)
MAX_COMMANDS = 50
MAX_COMMAND_NAME = 32
MAX_DESCRIPTION = 2000
MAX_USAGE_HINT = 1000


def usage_hint(spec: CommandSpec) -> str:
    """What follows the command, for Slack's autocomplete: its own usage, else '[setup|aims|…]'."""
    own = spec.usage.partition(" ")[2]
    if own or not spec.subs:
        return own
    return "[" + "|".join(sub.name for sub in spec.subs) + "]"


def umbrella_command(
    commands: Mapping[str, CommandSpec], url: str | None, umbrella: str
) -> dict[str, Any]:
    """The one slash command that stands for all of them: `/alongside agenda add ...`."""
    entry: dict[str, Any] = {"command": f"/{umbrella}"}
    if url is not None:
        entry["url"] = url
    hint = "[" + "|".join(sorted(commands)) + "] ..."
    return entry | {
        "description": f"Everything {NAME} does. Type /{umbrella} help to see how.",
        "should_escape": True,
        "usage_hint": hint if len(hint) <= MAX_USAGE_HINT else "[command] ...",
    }


def slash_commands(
    commands: Mapping[str, CommandSpec], url: str | None, naming: CommandNaming = DEFAULT_NAMING
) -> list[dict[str, Any]]:
    """One slash command per name and alias, sorted by name (no URL in Socket Mode);
    with a prefix each name has it in front, with an umbrella there is only that one."""
    if naming.umbrella:
        return [umbrella_command(commands, url, naming.umbrella)]
    found = []
    for name in sorted(commands):
        if not naming.prefix and name in RESERVED:
            continue  # Slack keeps /leave for itself: there it is /group leave
        spec = commands[name]
        entry: dict[str, Any] = {"command": f"/{naming.prefix}{name}"}
        if url is not None:
            entry["url"] = url
        entry |= {"description": spec.summary, "should_escape": True}
        hint = usage_hint(spec)
        if hint:
            entry["usage_hint"] = hint
        found.append(entry)
    return found


def manifest(
    commands: Mapping[str, CommandSpec],
    url: str = PLACEHOLDER_URL,
    socket_mode: bool = False,
    naming: CommandNaming = DEFAULT_NAMING,
) -> dict[str, Any]:
    """The whole manifest as data (Socket Mode apps have no request URLs)."""
    where: dict[str, Any] = {} if socket_mode else {"request_url": url}
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": NAME,
            "description": DESCRIPTION,
            "long_description": LONG_DESCRIPTION,
            "background_color": "#2f5d62",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": NAME, "always_online": True},
            "slash_commands": slash_commands(commands, None if socket_mode else url, naming),
        },
        "oauth_config": {
            **({} if socket_mode else {"redirect_urls": [redirect_url(url)]}),
            "scopes": {"bot": list(SCOPES)},
        },
        "settings": {
            "event_subscriptions": {**where, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, **where},
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML string


def _yaml(value: Any, indent: int = 0) -> Iterable[str]:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                yield f"{pad}{key}:"
                yield from _yaml(item, indent + 2)
            else:
                yield f"{pad}{key}: {_scalar(item) if item != [] else '[]'}"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                lines = list(_yaml(item, indent + 2))
                yield f"{pad}- {lines[0].lstrip()}"
                yield from lines[1:]
            else:
                yield f"{pad}- {_scalar(item)}"


def to_yaml(data: Mapping[str, Any]) -> str:
    """The manifest as YAML (strings quoted JSON-style, which YAML reads the same)."""
    header = (
        "# Slack app manifest for alongside. Generated from the commands' metadata by\n"
        "# `python -m bot.platforms.slack.manifest`; a test checks it matches. For your\n"
        "# own server: `alongside slack --manifest --url https://your.server/slack/events`.\n"
    )
    return header + "\n".join(_yaml(dict(data))) + "\n"


def naming_problem(naming: CommandNaming, commands: Mapping[str, CommandSpec]) -> str | None:
    """Why Slack would refuse these command names, in plain words; None if it won't."""
    problem = naming.problem()
    if problem:
        return problem
    longest = max([naming.umbrella or ""] + [naming.prefix + name for name in commands], key=len)
    if len(longest) > MAX_COMMAND_NAME:
        return f"/{longest} is too long for Slack (at most {MAX_COMMAND_NAME} characters)."
    return None


def redirect_url(url: str) -> str:
    """The OAuth redirect URL beside the request URL (https://x/slack/events gives
    https://x/slack/oauth_redirect): used only by a deployment serving several workspaces."""
    parts = urlsplit(url)
    return f"{parts.scheme or 'https'}://{parts.netloc}{REDIRECT_PATH}"


def render(
    url: str = PLACEHOLDER_URL, socket_mode: bool = False, naming: CommandNaming = DEFAULT_NAMING
) -> str:
    """The manifest for every discovered command, as YAML."""
    return to_yaml(manifest(catalog().commands, url, socket_mode, naming))


def main(argv: list[str] | None = None) -> int:
    """Print the manifest; `--prefix co-` or `--umbrella alongside` to avoid clashes."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.platforms.slack.manifest", description=main.__doc__
    )
    parser.add_argument("--url", default=PLACEHOLDER_URL, help="your https://.../slack/events")
    parser.add_argument("--socket-mode", action="store_true", help="a Socket Mode app")
    parser.add_argument("--prefix", default="", help="put this before every command: co-")
    parser.add_argument("--umbrella", default=None, help="register only this one command")
    args = parser.parse_args(argv)
    naming = CommandNaming(args.prefix.lower(), (args.umbrella or "").lower() or None)
    problem = naming_problem(naming, catalog().commands)
    if problem:
        sys.stderr.write(problem + "\n")
        return 2
    sys.stdout.write(render(args.url, args.socket_mode, naming))
    return 0


if __name__ == "__main__":
    sys.exit(main())
