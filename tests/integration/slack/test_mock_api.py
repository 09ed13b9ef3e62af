"""The Slack test kit itself: the mock Web API with the real slack_sdk client, and signing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import pytest
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_async_handlers
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.integration.slack import signing
from tests.integration.slack.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.integration.slack.mock_api import MockSlackAPI

pytestmark = pytest.mark.slack

FAST = FixedValueRetryIntervalCalculator(0.01)


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(text: str, action_id: str = "agenda.done") -> dict[str, Any]:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": text},
                "action_id": action_id,
                "value": "1",
            }
        ],
    }


class FakeTime:
    """A clock for the mock's rate limiter that only moves when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def quick_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rate-limit handler sleeps Retry-After + random(); make that random 0.25 s."""
    monkeypatch.setattr(builtin_async_handlers, "random", SimpleNamespace(random=lambda: 0.25))


async def started(mock: MockSlackAPI) -> MockSlackAPI:
    await mock.start()
    return mock


# --------------------------------------------------------------------------- messages


async def test_valid_blocks_are_recorded(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Agenda"}},
        section("*Budget for 2027*"),
        {"type": "divider"},
        button("Done"),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "added by alice"}]},
    ]
    metadata = {"event_type": "agenda_posted", "event_payload": {"meeting": 7}}
    response = await slack_client.chat_postMessage(
        channel="CGROUP", text="Agenda", blocks=blocks, metadata=metadata
    )

    assert response["ok"] and response["channel"] == "CGROUP"
    [message] = mock_slack.messages("CGROUP")
    assert (message.text, message.blocks, message.metadata) == ("Agenda", blocks, metadata)
    assert message.ts == response["ts"] and not message.ephemeral
    [call] = mock_slack.calls_to("chat.postMessage")
    assert call.ok and call.http_method == "POST" and call.params["blocks"] == blocks
    assert mock_slack.invalid == []


async def test_blocks_sent_as_json_text_in_a_form_are_decoded(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    blocks = [section("from a form")]
    await slack_client.api_call(
        "chat.postMessage",
        data={"channel": "CGROUP", "text": "form", "blocks": json.dumps(blocks)},
    )
    await slack_client.chat_postMessage(
        channel="CGROUP", text="json text", blocks=json.dumps(blocks)
    )

    assert [m.blocks for m in mock_slack.messages()] == [blocks, blocks]


async def test_ephemeral_update_and_delete(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    await slack_client.chat_postEphemeral(channel="CGROUP", user="UALICE", text="only you")
    posted = await slack_client.chat_postMessage(channel="CGROUP", text="v1")
    await slack_client.chat_update(
        channel="CGROUP", ts=posted["ts"], text="v2", blocks=[section("v2")]
    )

    ephemeral, public = mock_slack.messages("CGROUP")
    assert (ephemeral.ephemeral, ephemeral.user, ephemeral.text) == (True, "UALICE", "only you")
    assert (public.text, public.blocks, public.edits) == ("v2", [section("v2")], 1)
    history = await slack_client.conversations_history(channel="CGROUP")
    assert [m["text"] for m in history["messages"]] == ["v2"]  # ephemerals are not in history

    with pytest.raises(SlackApiError) as missing:
        await slack_client.chat_update(channel="CGROUP", ts="1.000001", text="x")
    assert missing.value.response["error"] == "message_not_found"
    await slack_client.chat_delete(channel="CGROUP", ts=posted["ts"])
    assert mock_slack.messages("CGROUP") == [ephemeral]


INVALID_BLOCKS: dict[str, list[dict[str, Any]]] = {
    "section text over 3000": [section("x" * 3001)],
    "header over 150": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
    "header in mrkdwn": [{"type": "header", "text": {"type": "mrkdwn", "text": "*x*"}}],
    "button text over 75": [button("x" * 76)],
    "action_id over 255": [button("ok", action_id="a" * 256)],
    "51 blocks": [section(str(i)) for i in range(51)],
    "unknown block type": [{"type": "sparkles"}],
    "unknown element type": [{"type": "actions", "elements": [{"type": "sparkle_button"}]}],
    "string where a text object goes": [{"type": "section", "text": "plain string"}],
    "empty text": [section("")],
}


@pytest.mark.parametrize("blocks", INVALID_BLOCKS.values(), ids=INVALID_BLOCKS.keys())
async def test_invalid_blocks_are_refused_and_recorded(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient, blocks: list[dict[str, Any]]
) -> None:
    with pytest.raises(SlackApiError) as refused:
        await slack_client.chat_postMessage(channel="CGROUP", text="fallback", blocks=blocks)

    assert refused.value.response["error"] == "invalid_blocks"
    assert refused.value.response["response_metadata"]["messages"]
    assert mock_slack.messages() == []
    [invalid] = mock_slack.invalid
    assert invalid.method == "chat.postMessage" and invalid.problems
    mock_slack.invalid.clear()  # refused on purpose


async def test_text_over_40000_characters_is_refused(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    with pytest.raises(SlackApiError) as refused:
        await slack_client.chat_postMessage(channel="CGROUP", text="x" * 40_001)

    assert refused.value.response["error"] == "msg_too_long"
    assert [i.error for i in mock_slack.invalid] == ["msg_too_long"]
    mock_slack.invalid.clear()


async def test_missing_or_bad_token_is_refused(mock_slack: MockSlackAPI) -> None:
    async with aiohttp.ClientSession() as session:
        url = mock_slack.base_url + "chat.postMessage"
        async with session.post(url, json={"channel": "C1", "text": "hi"}) as response:
            assert await response.json() == {"ok": False, "error": "not_authed"}
        headers = {"Authorization": "Bearer nonsense"}
        async with session.post(url, data={"text": "hi"}, headers=headers) as response:
            assert (await response.json())["error"] == "invalid_auth"
    assert mock_slack.messages() == []


# --------------------------------------------------------------------------- rate limits


async def test_per_channel_limit_answers_429_with_retry_after() -> None:
    clock = FakeTime()
    mock = await started(MockSlackAPI(rate_limit_per_channel=(2, 10.0), time_fn=clock))
    client = AsyncWebClient(token=BOT_TOKEN, base_url=mock.base_url)
    try:
        for text in ("one", "two"):
            await client.chat_postMessage(channel="C1", text=text)
        with pytest.raises(SlackApiError) as limited:
            await client.chat_postMessage(channel="C1", text="three")
        await client.chat_postMessage(channel="C2", text="other channel")
        clock.now += 5.0  # one token refilled (2 per 10 s)
        await client.chat_postMessage(channel="C1", text="three, later")
    finally:
        await mock.stop()

    assert limited.value.response.status_code == 429
    assert limited.value.response["error"] == "ratelimited"
    assert limited.value.response.headers["Retry-After"] == "5"
    assert mock.rate_limited == 1
    assert [m.text for m in mock.messages("C1")] == ["one", "two", "three, later"]


async def test_rate_limit_retry_handler_recovers(quick_jitter: None) -> None:
    mock = await started(MockSlackAPI(rate_limit_per_channel=(1, 0.2), retry_after=0))
    client = AsyncWebClient(
        token=BOT_TOKEN,
        base_url=mock.base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=3)],
    )
    try:
        for i in range(3):
            await client.chat_postMessage(channel="C1", text=f"burst {i}")
    finally:
        await mock.stop()

    assert [m.text for m in mock.messages()] == ["burst 0", "burst 1", "burst 2"]
    assert mock.rate_limited >= 1
    assert all(c.status == 429 for c in mock.rate_limited_calls)


async def test_storm_then_calm(quick_jitter: None) -> None:
    mock = await started(MockSlackAPI())
    plain = AsyncWebClient(token=BOT_TOKEN, base_url=mock.base_url)
    patient = AsyncWebClient(
        token=BOT_TOKEN,
        base_url=mock.base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=5)],
    )
    try:
        mock.storm(retry_after=0)
        with pytest.raises(SlackApiError) as limited:
            await plain.users_info(user="UBOT")
        asyncio.get_running_loop().call_later(0.1, mock.calm)
        await patient.chat_postMessage(channel="C1", text="after the storm")
    finally:
        await mock.stop()

    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "0"
    assert [m.text for m in mock.messages()] == ["after the storm"]
    assert mock.rate_limited >= 2


# --------------------------------------------------------------------------- failures


async def test_server_error_retry_handler_recovers(mock_slack: MockSlackAPI) -> None:
    client = AsyncWebClient(
        token=BOT_TOKEN,
        base_url=mock_slack.base_url,
        retry_handlers=[AsyncServerErrorRetryHandler(max_retry_count=1, interval_calculator=FAST)],
    )
    mock_slack.fail_next("chat.postMessage", status=500)
    await client.chat_postMessage(channel="CGROUP", text="eventually")

    first, second = mock_slack.calls_to("chat.postMessage")
    assert (first.status, first.ok, second.ok) == (500, False, True)
    assert [m.text for m in mock_slack.messages()] == ["eventually"]


async def test_fail_next_without_a_handler_surfaces(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    mock_slack.fail_next("chat.postMessage", status=503)
    mock_slack.fail_next("chat.postMessage", times=2, error="channel_not_found")
    errors = []
    for _ in range(3):
        with pytest.raises(SlackApiError) as failed:
            await slack_client.chat_postMessage(channel="CGONE", text="x")
        errors.append((failed.value.response.status_code, failed.value.response["error"]))
    await slack_client.chat_postMessage(channel="CGONE", text="fine now")

    assert errors == [
        (503, "internal_error"),
        (200, "channel_not_found"),
        (200, "channel_not_found"),
    ]
    assert [m.text for m in mock_slack.messages()] == ["fine now"]
    assert len(mock_slack.calls_to("chat.postMessage", ok=False)) == 3


async def test_processed_failure_duplicates_on_retry(mock_slack: MockSlackAPI) -> None:
    """Slack can post and still answer 500: a blind retry posts twice."""
    client = AsyncWebClient(
        token=BOT_TOKEN,
        base_url=mock_slack.base_url,
        retry_handlers=[AsyncServerErrorRetryHandler(interval_calculator=FAST)],
    )
    mock_slack.fail_next("chat.postMessage", status=500, processed=True)
    await client.chat_postMessage(channel="CGROUP", text="reminder")

    assert [m.text for m in mock_slack.messages()] == ["reminder", "reminder"]


async def test_dropped_connection(mock_slack: MockSlackAPI) -> None:
    no_retry = AsyncWebClient(token=BOT_TOKEN, base_url=mock_slack.base_url, retry_handlers=[])
    retrying = AsyncWebClient(
        token=BOT_TOKEN,
        base_url=mock_slack.base_url,
        retry_handlers=[AsyncConnectionErrorRetryHandler(interval_calculator=FAST)],
    )
    mock_slack.fail_next("chat.postMessage", disconnect=True)
    with pytest.raises(aiohttp.ClientError):
        await no_retry.chat_postMessage(channel="CGROUP", text="lost")
    mock_slack.fail_next("chat.postMessage", disconnect=True)
    await retrying.chat_postMessage(channel="CGROUP", text="second try")

    assert [m.text for m in mock_slack.messages()] == ["second try"]
    assert [c.status for c in mock_slack.calls_to("chat.postMessage")] == [0, 0, 200]


# --------------------------------------------------------------------------- conversations, users


async def test_conversations_open_gives_stable_dm_ids(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    first = await slack_client.conversations_open(users="UALICE")
    again = await slack_client.conversations_open(users=["UALICE"])
    bob = await slack_client.conversations_open(users="UBOB")
    await slack_client.chat_postMessage(channel="UALICE", text="to alice's DM")

    assert first["channel"]["id"] == again["channel"]["id"] == mock_slack.dm_channel("UALICE")
    assert bob["channel"]["id"] == "DUBOB"
    assert [m.channel for m in mock_slack.messages()] == ["DUALICE"]
    info = await slack_client.conversations_info(channel="DUALICE")
    assert info["channel"]["is_im"] and info["channel"]["user"] == "UALICE"


async def test_members_are_paginated() -> None:
    mock = await started(
        MockSlackAPI(members={"CBIG": [f"U{i:03d}" for i in range(7)]}, members_page_size=3)
    )
    client = AsyncWebClient(token=BOT_TOKEN, base_url=mock.base_url)
    try:
        pages = [
            page["members"] async for page in await client.conversations_members(channel="CBIG")
        ]
        with pytest.raises(SlackApiError) as unknown:
            await client.conversations_members(channel="CNOPE")
    finally:
        await mock.stop()

    assert [len(p) for p in pages] == [3, 3, 1]
    assert [m for page in pages for m in page] == [f"U{i:03d}" for i in range(7)]
    assert unknown.value.response["error"] == "channel_not_found"
    assert mock.calls_to("conversations.members")[0].http_method == "GET"


async def test_users_and_channel_info(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    alice = await slack_client.users_info(user="UALICE")
    channel = await slack_client.conversations_info(channel="CGROUP", include_num_members=True)
    with pytest.raises(SlackApiError) as unknown:
        await slack_client.users_info(user="UNOBODY")

    assert alice["user"]["profile"]["display_name"] == "alice"
    assert alice["user"]["tz"] == "Europe/London"
    assert (channel["channel"]["name"], channel["channel"]["num_members"]) == ("group", 3)
    assert unknown.value.response["error"] == "user_not_found"
    assert (await slack_client.auth_test())["user_id"] == "UBOT"


async def test_history_is_newest_first_with_oldest_and_limit(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    mock_slack.add_message("CGROUP", "hello bot", user="UALICE")
    metadata = {"event_type": "agenda_posted", "event_payload": {}}
    ts = [
        (await slack_client.chat_postMessage(channel="CGROUP", text=t, metadata=metadata))["ts"]
        for t in ("one", "two", "three")
    ]

    newest = await slack_client.conversations_history(channel="CGROUP", limit=2)
    after_one = await slack_client.conversations_history(channel="CGROUP", oldest=ts[0])
    everything = await slack_client.conversations_history(
        channel="CGROUP", include_all_metadata=True
    )

    assert [m["text"] for m in newest["messages"]] == ["three", "two"] and newest["has_more"]
    assert [m["text"] for m in after_one["messages"]] == ["three", "two"]
    assert [m["text"] for m in everything["messages"]] == ["three", "two", "one", "hello bot"]
    assert "metadata" not in newest["messages"][0]  # only with include_all_metadata
    assert everything["messages"][0]["metadata"] == metadata
    assert everything["messages"][-1]["user"] == "UALICE"


# --------------------------------------------------------------------------- views, fallback


def modal(title: str = "New concern", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "concern",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "concern",
                "label": {"type": "plain_text", "text": "What happened?"},
                "element": {"type": "plain_text_input", "action_id": "text", "multiline": True},
            }
        ],
        **extra,
    }


async def test_views_open_update_push(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    opened = await slack_client.views_open(trigger_id="1.2.abc", view=modal())
    view_id = opened["view"]["id"]
    updated = await slack_client.views_update(view_id=view_id, view=modal("Thank you"))
    pushed = await slack_client.views_push(trigger_id="1.3.abc", view=modal("More"))

    assert updated["view"]["id"] == view_id
    assert mock_slack.views[view_id]["title"]["text"] == "Thank you"
    assert pushed["view"]["id"] != view_id

    with pytest.raises(SlackApiError) as refused:
        await slack_client.views_open(trigger_id="1.4.abc", view=modal("x" * 25))
    assert refused.value.response["error"] == "invalid_arguments"
    [invalid] = mock_slack.invalid
    assert invalid.method == "views.open" and "title" in str(invalid)
    mock_slack.invalid.clear()


async def test_modal_block_limit_is_100(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    await slack_client.views_open(
        trigger_id="1.2.abc", view={**modal(), "blocks": [section(str(i)) for i in range(100)]}
    )
    with pytest.raises(SlackApiError):
        await slack_client.views_open(
            trigger_id="1.2.abc", view={**modal(), "blocks": [section(str(i)) for i in range(101)]}
        )
    assert len(mock_slack.invalid) == 1
    mock_slack.invalid.clear()


async def test_other_methods_are_recorded_and_succeed(
    mock_slack: MockSlackAPI, slack_client: AsyncWebClient
) -> None:
    await slack_client.reactions_add(channel="CGROUP", timestamp="1.000001", name="tada")

    [call] = mock_slack.calls_to("reactions.add")
    assert call.ok and call.params["name"] == "tada"


async def test_response_urls_are_served(mock_slack: MockSlackAPI) -> None:
    url = mock_slack.response_url()
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"text": "done", "response_type": "ephemeral"}) as response,
    ):
        assert response.status == 200

    [posted] = mock_slack.responses
    assert posted.text == "done" and posted.payload["response_type"] == "ephemeral"


# --------------------------------------------------------------------------- signing


SIGNED: dict[str, Callable[[], signing.SignedRequest]] = {
    "slash command": lambda: signing.slash_command(
        SIGNING_SECRET, command="/agenda", text="add Budget for 2027"
    ),
    "block_actions": lambda: signing.block_actions(
        SIGNING_SECRET, action_id="agenda.done", value="7", message_ts="1.000001"
    ),
    "view_submission": lambda: signing.view_submission(
        SIGNING_SECRET, callback_id="concern", values={"concern": {"text": "Too hot"}}
    ),
    "event": lambda: signing.event(
        SIGNING_SECRET, signing.message_event("hi"), retry_num=1, retry_reason="http_timeout"
    ),
    "url_verification": lambda: signing.url_verification(SIGNING_SECRET),
}


@pytest.mark.parametrize("build", SIGNED.values(), ids=SIGNED.keys())
def test_signature_verifier_accepts_signed_and_refuses_forged_or_expired(
    build: Callable[[], signing.SignedRequest],
) -> None:
    verifier = SignatureVerifier(SIGNING_SECRET)
    request = build()

    assert verifier.is_valid_request(request.body, request.headers)
    assert not verifier.is_valid_request(
        signing.forged(request).body, signing.forged(request).headers
    )
    old = signing.expired(request, SIGNING_SECRET)
    assert not verifier.is_valid_request(old.body, old.headers)
    assert request.timestamp - old.timestamp == signing.EXPIRED_AGE


def test_signed_bodies_have_slacks_shape() -> None:
    body, headers = signing.slash_command(SIGNING_SECRET, command="/agenda", text="add x & y")
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    assert (form["command"], form["text"], form["user_id"]) == ("/agenda", "add x & y", "UALICE")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"

    body, _ = signing.view_submission(SIGNING_SECRET, callback_id="c", values={"b": {"a": "v"}})
    payload = json.loads(parse_qs(body.decode())["payload"][0])
    assert payload["view"]["state"]["values"]["b"]["a"]["value"] == "v"

    body, headers = signing.event(SIGNING_SECRET, {"type": "app_home_opened"}, retry_num=2)
    envelope = json.loads(body)
    assert envelope["type"] == "event_callback" and envelope["event_id"].startswith("Ev")
    assert (headers["X-Slack-Retry-Num"], headers["X-Slack-Retry-Reason"]) == ("2", "http_timeout")


async def test_bolt_accepts_the_signed_requests(mock_slack: MockSlackAPI) -> None:
    """The helpers' payloads reach Bolt listeners; forged and expired ones get 401."""
    app = AsyncApp(
        client=AsyncWebClient(token=BOT_TOKEN, base_url=mock_slack.base_url),
        signing_secret=SIGNING_SECRET,
        process_before_response=True,
    )
    seen: list[str] = []

    @app.command("/agenda")
    async def agenda(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        seen.append(f"command {command['text']}")
        await respond(text="Added", blocks=[section("Added *Budget*")])

    @app.action("agenda.done")
    async def done(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        seen.append(f"action {body['actions'][0]['value']}")

    @app.view("concern")
    async def concern(ack: AsyncAck, view: dict[str, Any]) -> None:
        await ack()
        seen.append(f"view {view['state']['values']['concern']['text']['value']}")

    @app.event("message")
    async def message(event: dict[str, Any]) -> None:
        seen.append(f"event {event['text']}")

    async def dispatch(request: signing.SignedRequest) -> int:
        bolt_request = AsyncBoltRequest(body=request.body.decode(), headers=request.headers)
        return (await app.async_dispatch(bolt_request)).status

    response_url = mock_slack.response_url()
    command = signing.slash_command(
        SIGNING_SECRET, command="/agenda", text="add Budget", response_url=response_url
    )
    statuses = [
        await dispatch(command),
        await dispatch(signing.block_actions(SIGNING_SECRET, action_id="agenda.done", value="7")),
        await dispatch(
            signing.view_submission(
                SIGNING_SECRET, callback_id="concern", values={"concern": {"text": "Too hot"}}
            )
        ),
        await dispatch(signing.event(SIGNING_SECRET, signing.message_event("hello"))),
        await dispatch(signing.forged(command)),
        await dispatch(signing.expired(command, SIGNING_SECRET)),
    ]

    assert statuses == [200, 200, 200, 200, 401, 401]
    assert seen == ["command add Budget", "action 7", "view Too hot", "event hello"]
    assert [r.text for r in mock_slack.responses] == ["Added"]
    assert mock_slack.calls_to("auth.test")  # Bolt checked its token against the mock
