"""A bare matrix-nio bot, the baseline of the Matrix benchmark: it joins the rooms it is
invited to and answers every text message there with `echo: <the same text>`.

    ECHO_ACCESS_TOKEN=... python -m bench.echo HOMESERVER USER_ID DEVICE_ID

It long-polls sync the way alongside does (30 s, the same filter: a timeline of 50, no
presence) and stops cleanly on SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys

from nio import AsyncClient, AsyncClientConfig, InviteMemberEvent, MatrixRoom, RoomMessageText

SYNC_TIMEOUT_MS = 30_000
#: alongside's own sync filter (bot/platforms/matrix/sync.py), so both syncs carry the same.
SYNC_FILTER = {"room": {"timeline": {"limit": 50}}, "presence": {"not_types": ["*"]}}


async def echo(homeserver: str, user_id: str, device_id: str, token: str) -> None:
    """Answer every message in every room until cancelled."""
    client = AsyncClient(
        homeserver,
        user_id,
        device_id=device_id,
        config=AsyncClientConfig(encryption_enabled=False, store_sync_tokens=False),
    )
    client.restore_login(user_id, device_id, token)

    async def on_invite(room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == user_id and event.membership == "invite":
            await client.join(room.room_id)

    async def on_text(room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender != user_id:
            content = {"msgtype": "m.notice", "body": f"echo: {event.body}"}
            await client.room_send(room.room_id, "m.room.message", content)

    try:
        client.add_event_callback(on_invite, InviteMemberEvent)
        # messages from before are not answered
        await client.sync(timeout=0, sync_filter=SYNC_FILTER, full_state=True)
        client.add_event_callback(on_text, RoomMessageText)
        await client.sync_forever(timeout=SYNC_TIMEOUT_MS, sync_filter=SYNC_FILTER)
    finally:
        await client.close()


async def _serve(homeserver: str, user_id: str, device_id: str, token: str) -> None:
    running = asyncio.create_task(echo(homeserver, user_id, device_id, token))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, running.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await running


if __name__ == "__main__":
    homeserver, user_id, device_id = sys.argv[1:4]
    asyncio.run(_serve(homeserver, user_id, device_id, os.environ["ECHO_ACCESS_TOKEN"]))
