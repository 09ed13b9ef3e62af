"""Signed requests as Slack sends them to an app: slash commands, interactivity, events.

Each builder returns a ``SignedRequest(body, headers)`` (a named tuple, so
``body, headers = slash_command(...)`` works) ready for aiohttp:

    body, headers = slash_command(SECRET, command="/agenda", text="add Budget")
    async with session.post(f"{app_url}/slack/events", data=body, headers=headers) as r:
        assert r.status == 200

The signature is Slack's v0 scheme: ``v0=`` + hex HMAC-SHA256 of
``v0:{timestamp}:{body}`` keyed with the signing secret, in ``X-Slack-Signature``,
with the timestamp in ``X-Slack-Request-Timestamp``. ``forged()`` and
``expired()`` make variants a verifier must refuse.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import urlencode

TEAM_ID = "T0TEST"
API_APP_ID = "A0TEST"
BOT_USER_ID = "UBOT"
DEFAULT_RESPONSE_URL = "https://hooks.slack.com/commands/T0TEST/1/unused"
EXPIRED_AGE = 600  # seconds; verifiers refuse timestamps more than 5 minutes off

_serial = itertools.count(1)


class SignedRequest(NamedTuple):
    """A request body and the headers Slack would send with it."""

    body: bytes
    headers: dict[str, str]

    @property
    def timestamp(self) -> int:
        """The ``X-Slack-Request-Timestamp`` it was signed with."""
        return int(self.headers["X-Slack-Request-Timestamp"])


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """Slack's v0 signature of ``body`` at ``timestamp``."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def sign(
    secret: str,
    body: bytes,
    *,
    content_type: str,
    timestamp: int | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> SignedRequest:
    """Sign ``body`` (now, unless ``timestamp`` is given) and build the headers."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature(secret, ts, body),
        **(extra_headers or {}),
    }
    return SignedRequest(body, headers)


def forged(request: SignedRequest, *, secret: str = "not-the-signing-secret") -> SignedRequest:
    """The same request signed with the wrong secret (fresh timestamp kept)."""
    ts = request.headers["X-Slack-Request-Timestamp"]
    headers = {**request.headers, "X-Slack-Signature": signature(secret, ts, request.body)}
    return SignedRequest(request.body, headers)


def expired(request: SignedRequest, secret: str, *, age: int = EXPIRED_AGE) -> SignedRequest:
    """The same request correctly signed, but ``age`` seconds ago (a replay)."""
    ts = request.timestamp - age
    headers = {
        **request.headers,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature(secret, ts, request.body),
    }
    return SignedRequest(request.body, headers)


def new_trigger_id() -> str:
    """A fresh, unique trigger_id (Slack's shape: ``<n>.<n>.<hex>``)."""
    return f"{next(_serial)}.{int(time.time())}.{secrets.token_hex(16)}"


# --------------------------------------------------------------------------- slash commands


def slash_command(
    secret: str,
    *,
    command: str = "/help",
    text: str = "",
    user_id: str = "UALICE",
    user_name: str = "alice",
    channel_id: str = "CGROUP",
    channel_name: str = "group",
    team_id: str = TEAM_ID,
    team_domain: str = "alongside-test",
    trigger_id: str | None = None,
    response_url: str = DEFAULT_RESPONSE_URL,
    api_app_id: str = API_APP_ID,
    timestamp: int | None = None,
) -> SignedRequest:
    """A slash command, form-encoded as Slack posts it.

    For a DM with the bot, pass ``channel_id="D…"`` and ``channel_name="directmessage"``.
    """
    fields = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
    }
    return sign(
        secret,
        urlencode(fields).encode(),
        content_type="application/x-www-form-urlencoded",
        timestamp=timestamp,
    )


# --------------------------------------------------------------------------- interactivity


def interactivity(
    secret: str, payload: Mapping[str, Any], *, timestamp: int | None = None
) -> SignedRequest:
    """Any interactivity payload: form field ``payload`` holding the JSON."""
    body = urlencode({"payload": json.dumps(payload, separators=(",", ":"))}).encode()
    return sign(secret, body, content_type="application/x-www-form-urlencoded", timestamp=timestamp)


def block_actions(
    secret: str,
    *,
    action_id: str,
    value: str | None = None,
    block_id: str = "block",
    action_type: str = "button",
    selected_option: Mapping[str, Any] | None = None,
    user_id: str = "UALICE",
    user_name: str = "alice",
    channel_id: str | None = "CGROUP",
    message_ts: str | None = None,
    message: Mapping[str, Any] | None = None,
    view: Mapping[str, Any] | None = None,
    ephemeral: bool = False,
    trigger_id: str | None = None,
    response_url: str | None = DEFAULT_RESPONSE_URL,
    team_id: str = TEAM_ID,
    api_app_id: str = API_APP_ID,
    timestamp: int | None = None,
) -> SignedRequest:
    """A ``block_actions`` payload: someone clicked a button (or picked an option).

    From a message give ``channel_id`` and ``message_ts`` (and optionally the
    ``message``; ``ephemeral=True`` for a message only the presser sees, such as an
    answer to a slash command); from a modal give ``view`` (and ``channel_id=None``).
    """
    action: dict[str, Any] = {
        "type": action_type,
        "action_id": action_id,
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if value is not None:
        action["value"] = value
    if selected_option is not None:
        action["selected_option"] = dict(selected_option)
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": "legacy-verification-token",
        "team": {"id": team_id, "domain": "alongside-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "trigger_id": trigger_id or new_trigger_id(),
        "actions": [action],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V0TEST")}
        payload["view"] = dict(view)
    elif channel_id is not None:
        ts = message_ts or (message or {}).get("ts") or f"{time.time():.6f}"
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": ephemeral,
        }
        if not ephemeral:  # Slack sends no message with a press in an ephemeral one
            payload["message"] = {
                "type": "message",
                "ts": ts,
                "user": BOT_USER_ID,
                **(message or {}),
            }
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": channel_id.lower()}
    if response_url is not None and view is None:
        payload["response_url"] = response_url
    return interactivity(secret, payload, timestamp=timestamp)


def view_submission(
    secret: str,
    *,
    callback_id: str,
    values: Mapping[str, Mapping[str, Any]],
    private_metadata: str = "",
    view_id: str = "V0TEST",
    user_id: str = "UALICE",
    user_name: str = "alice",
    trigger_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = API_APP_ID,
    blocks: list[Mapping[str, Any]] | None = None,
    timestamp: int | None = None,
) -> SignedRequest:
    """A ``view_submission`` payload: someone pressed a modal's submit button.

    ``values`` is ``{block_id: {action_id: state}}``; a plain string state is
    shorthand for ``{"type": "plain_text_input", "value": s}``.
    """
    state = {
        block_id: {
            action_id: ({"type": "plain_text_input", "value": v} if isinstance(v, str) else dict(v))
            for action_id, v in actions.items()
        }
        for block_id, actions in values.items()
    }
    payload: dict[str, Any] = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "alongside-test"},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": "legacy-verification-token",
        "trigger_id": trigger_id or new_trigger_id(),
        "is_enterprise_install": False,
        "enterprise": None,
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "blocks": [dict(b) for b in blocks or []],
            "state": {"values": state},
            "hash": "0000000000.abcdef",
            "app_id": api_app_id,
            "bot_id": "BBOT",
            "root_view_id": view_id,
            "previous_view_id": None,
        },
        "response_urls": [],
    }
    return interactivity(secret, payload, timestamp=timestamp)


# --------------------------------------------------------------------------- Events API


def event(
    secret: str,
    event: Mapping[str, Any],
    *,
    event_id: str | None = None,
    event_time: int | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = API_APP_ID,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
    timestamp: int | None = None,
) -> SignedRequest:
    """An Events API ``event_callback`` wrapping ``event`` (JSON body).

    With ``retry_num`` it carries ``X-Slack-Retry-Num``/``X-Slack-Retry-Reason``,
    as Slack's redelivery of the same ``event_id`` does.
    """
    now = int(time.time())
    envelope = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_serial):010d}",
        "event_time": event_time if event_time is not None else now,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{next(_serial)}",
    }
    extra = {}
    if retry_num is not None:
        extra = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
    return sign(
        secret,
        json.dumps(envelope, separators=(",", ":")).encode(),
        content_type="application/json",
        timestamp=timestamp,
        extra_headers=extra,
    )


def url_verification(
    secret: str, challenge: str = "challenge-token", *, timestamp: int | None = None
) -> SignedRequest:
    """The ``url_verification`` handshake Slack sends when the events URL is set."""
    body = json.dumps(
        {"token": "legacy-verification-token", "challenge": challenge, "type": "url_verification"}
    ).encode()
    return sign(secret, body, content_type="application/json", timestamp=timestamp)


def message_event(
    text: str,
    *,
    user: str = "UALICE",
    channel: str = "CGROUP",
    channel_type: str = "channel",
    ts: str | None = None,
    thread_ts: str | None = None,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A ``message`` event (``channel_type="im"`` and a ``D…`` channel for a DM)."""
    ts = ts or f"{time.time():.6f}"
    out: dict[str, Any] = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": channel_type,
        "team": team_id,
    }
    if thread_ts is not None:
        out["thread_ts"] = thread_ts
    return out


def app_mention_event(
    text: str,
    *,
    user: str = "UALICE",
    channel: str = "CGROUP",
    ts: str | None = None,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """An ``app_mention`` event; ``text`` should contain ``<@UBOT>``."""
    ts = ts or f"{time.time():.6f}"
    return {
        "type": "app_mention",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": team_id,
    }
