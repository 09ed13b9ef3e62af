"""The Slack benchmark's mock Web API, in a process of its own so that neither the load
generator nor the bots share its CPU:

    python -m bench.slack_mock USERS CHANNEL

It serves the integration tests' `MockSlackAPI` (no rate limit) and, on a second port,
`GET /answers`: how many posts each response_url received. It prints both addresses on
one line (`mock <api url> <answers url>`) once it is up, and stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import collections
import signal
import sys

from aiohttp import web

from tests.integration.slack.mock_api import MockSlackAPI


async def serve(users: int, channel: str) -> None:
    """Serve until stopped."""
    people = {f"U{n:04d}": f"member{n}" for n in range(users)}
    mock = MockSlackAPI(
        users=people, members={channel: [*people, "UBOT"]}, rate_limit_per_channel=None
    )
    api = await mock.start()

    async def answers(_request: web.Request) -> web.Response:
        counts = collections.Counter(post.key for post in mock.responses)
        return web.json_response(dict(counts))

    counter = web.Application()
    counter.router.add_get("/answers", answers)
    runner = web.AppRunner(counter, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    print(f"mock {api} http://{host}:{port}/answers", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()
    await mock.stop()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2]))
