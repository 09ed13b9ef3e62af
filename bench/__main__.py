"""`python -m bench`: the delivery engine and the router, each against a baseline, then
the engine's cost against the number of groups.
`python -m bench engine [--database sqlite|postgres|both] [--only wakeups|burst|future]`:
only the engine against the number of groups (on SQLite unless asked).
`python -m bench matrix [--rounds N]`: the Matrix `!agenda` round trip against a bare nio
echo bot (20 rounds unless asked).
`python -m bench instances`: 2 and 3 instances on PostgreSQL, the leader killed at random
points while 1,000 deliveries fall due, against one instance never killed.
`python -m bench slack`: signed slash commands against a bare slack-bolt app (see bench/slack.py).
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import timedelta

from bot import logs

USAGE = (
    "usage: python -m bench [engine [--help] | matrix [--rounds N] | instances | slack [--help]]"
)


def main(args: list[str]) -> int:
    """Run the benchmark `args` names; return the exit status."""
    if args[:1] == ["matrix"]:
        from bench import matrix

        return matrix.main(args[1:])
    if args == ["instances"]:
        from bench import instances

        return instances.main()
    if args[:1] == ["slack"]:
        from bench import slack

        return slack.main(args[1:])
    if args and args[0] != "engine":
        print(USAGE, file=sys.stderr)
        return 2
    from bench import core, engine

    logs.configure("WARNING")  # the figures, not a log line per command
    if not args:
        asyncio.run(core.run())
    return engine.main(args[1:])


if __name__ == "__main__":
    started = time.perf_counter()
    status = main(sys.argv[1:])
    if status == 0:
        print(f"total {timedelta(seconds=round(time.perf_counter() - started))}")
    sys.exit(status)
