"""The Slack benchmark's baseline: a bare slack-bolt app that only acknowledges.

    SLACK_SIGNING_SECRET=... python -m bench.slack_bare PORT API_URL

The same server kind as alongside over HTTP (aiohttp, POST /slack/events, signatures
checked), in Bolt's default mode; every slash command is answered with `ack()` alone.
"""

from __future__ import annotations

import os
import re
import sys

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

TOKEN = "xoxb-bench"


def main(port: int, api_url: str) -> None:
    """Serve on 127.0.0.1:`port` until stopped."""
    bolt = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=api_url),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    )

    @bolt.command(re.compile(r"^/"))
    async def command(ack: AsyncAck) -> None:
        await ack()

    bolt.start(port=port, path="/slack/events", host="127.0.0.1")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
