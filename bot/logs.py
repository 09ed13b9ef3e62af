"""Structured logs (JSON lines on stderr).

Rule kept by every module: info level carries event names and counts, never
message text or user ids; nothing from /concern is logged at any level.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog


def configure(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Send structured JSON log lines to `stream` (stderr) at `level` and above."""
    out = stream or sys.stderr
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        numeric = logging.INFO
    logging.basicConfig(stream=out, level=numeric, format="%(message)s", force=True)
    for noisy in (
        "aiosqlite",
        "asyncio",
        "apscheduler",
        "alembic",
        "sqlalchemy",
        "nio",
        "slack_sdk",
        "slack_bolt",
        "aiohttp",
    ):
        logging.getLogger(noisy).setLevel(max(numeric, logging.WARNING))
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )
