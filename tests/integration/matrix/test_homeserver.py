"""The Synapse fixture works end to end: users, a room, a message, and a restart."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinResponse,
    RoomCreateResponse,
    RoomMessagesResponse,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
)

from tests.integration.matrix.homeserver import Homeserver, RegisteredUser

pytestmark = pytest.mark.matrix

# Room creation alone is ~8 events; ask for enough timeline to see the message.
SYNC_FILTER = {"room": {"timeline": {"limit": 50}}}


@asynccontextmanager
async def client_for(server: Homeserver, user: RegisteredUser) -> AsyncIterator[AsyncClient]:
    """A nio client already logged in as user (no E2E store needed)."""
    config = AsyncClientConfig(
        encryption_enabled=False,
        store_sync_tokens=False,
        max_timeouts=10,
        max_timeout_retry_wait_time=1,
    )
    client = AsyncClient(server.base_url, user.user_id, device_id=user.device_id, config=config)
    client.restore_login(user.user_id, user.device_id, user.access_token)
    try:
        yield client
    finally:
        await client.close()


async def sync(client: AsyncClient, since: str | None = None) -> SyncResponse:
    response = await client.sync(timeout=0, sync_filter=SYNC_FILTER, since=since)
    assert isinstance(response, SyncResponse), response
    return response


def texts(response: SyncResponse, room_id: str) -> list[str]:
    room = response.rooms.join.get(room_id)
    events = room.timeline.events if room else []
    return [event.body for event in events if isinstance(event, RoomMessageText)]


async def test_message_reaches_the_other_user_and_survives_a_restart(
    homeserver: Homeserver,
) -> None:
    suffix = uuid.uuid4().hex[:8]
    alice = await homeserver.aregister_user(f"alice-{suffix}", "alice-password")
    bob = await homeserver.aregister_user(f"bob-{suffix}", "bob-password")
    assert alice.user_id == homeserver.user_id(f"alice-{suffix}")

    async with (
        client_for(homeserver, alice) as alice_client,
        client_for(homeserver, bob) as bob_client,
    ):
        created = await alice_client.room_create(name="Steering group", invite=[bob.user_id])
        assert isinstance(created, RoomCreateResponse), created
        room_id = created.room_id
        sent = await alice_client.room_send(
            room_id, "m.room.message", {"msgtype": "m.text", "body": "Hello from Alice"}
        )
        assert isinstance(sent, RoomSendResponse), sent

        joined = await bob_client.join(room_id)
        assert isinstance(joined, JoinResponse), joined
        first = await sync(bob_client)
        assert texts(first, room_id) == ["Hello from Alice"]

        await homeserver.arestart()

        # The same clients carry on: nio reconnects to the restarted server.
        again = await alice_client.room_send(
            room_id, "m.room.message", {"msgtype": "m.text", "body": "Still here"}
        )
        assert isinstance(again, RoomSendResponse), again
        incremental = await sync(bob_client, since=first.next_batch)
        assert texts(incremental, room_id) == ["Still here"]

    # A brand-new client after the restart sees the whole history from disk.
    async with client_for(homeserver, bob) as fresh:
        initial = await sync(fresh)
        assert texts(initial, room_id) == ["Hello from Alice", "Still here"]
        history = await fresh.room_messages(room_id, start="", limit=50)
        assert isinstance(history, RoomMessagesResponse), history
        bodies = [e.body for e in history.chunk if isinstance(e, RoomMessageText)]
        assert bodies == ["Still here", "Hello from Alice"]  # newest first


async def failed_login_statuses(server: Homeserver, username: str, tries: int) -> list[int]:
    statuses = []
    for _ in range(tries):
        try:
            await server.alogin(username, "wrong-password")
            statuses.append(200)
        except RuntimeError as exc:
            statuses.append(429 if "HTTP 429" in str(exc) else 403)
    return statuses


async def test_rate_limits_are_lifted_by_default(homeserver: Homeserver) -> None:
    """rc_login.failed_attempts is nested; a flat key would leave Synapse's burst of 3."""
    user = await homeserver.aregister_user(f"dave-{uuid.uuid4().hex[:8]}", "dave-password")
    localpart = user.user_id[1:].split(":")[0]
    assert await failed_login_statuses(homeserver, localpart, 8) == [403] * 8


async def test_default_rate_limits_apply_when_asked(
    make_homeserver: Callable[..., Homeserver],
) -> None:
    """With default_rate_limits=True, Synapse's own limits are back (3 failed logins)."""
    server = make_homeserver(default_rate_limits=True)
    await server.aregister_user("carol", "carol-password")
    statuses = await failed_login_statuses(server, "carol", 5)
    assert statuses[:3] == [403] * 3
    assert 429 in statuses[3:], statuses
