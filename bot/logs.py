"""Structured logs (JSON lines on stderr), from our code and from every library.

Rule kept by every module: info level carries event names and counts, never
message text or user ids; nothing from /concern is logged at any level.

Libraries (APScheduler, nio, aiohttp, slack_bolt, alembic, SQLAlchemy, ...) log
through the standard library; their records go through the same JSON formatter
as ours, at WARNING and above only. Whatever a line says, Matrix, Slack and email
ids are masked in every field before it is written.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, Processor

#: Our own packages log at the configured level; every other logger at WARNING or above.
OWN_PACKAGES = ("bot", "handlers", "scheduler", "storage", "bench")
#: Libraries known to log a lot (or to set their own level): WARNING, whatever they set.
NOISY = (
    "aiosqlite",
    "asyncio",
    "apscheduler",
    "alembic",
    "sqlalchemy",
    "nio",
    "peewee",
    "slack_sdk",
    "slack_bolt",
    "aiohttp",
)

_LOCALPART = r"[\w.=/+%-]+"
_SERVER = r"(?::|%3[Aa])[\w.-]+(?::\d+)?"
#: What an id looks like, and what a log line says instead.
_IDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+"), "<email>"),
    (re.compile(rf"(?:@|%40){_LOCALPART}{_SERVER}"), "<matrix user>"),
    (re.compile(rf"(?:!|%21)(?:{_LOCALPART}{_SERVER}|[\w-]{{20,}})"), "<matrix room>"),
    (re.compile(rf"(?:#|%23){_LOCALPART}{_SERVER}"), "<matrix room>"),
    (re.compile(rf"(?:\$|%24)(?:{_LOCALPART}{_SERVER}|[\w-]{{20,}})"), "<matrix event>"),
    (re.compile(r"\bxox[a-z]-[\w-]+"), "<slack token>"),
    (re.compile(r"\b[UWCGDTBE](?=[A-Z0-9]*\d)[A-Z0-9]{8,}\b"), "<slack id>"),
)


def mask_ids(text: str) -> str:
    """`text` with every Matrix, Slack or email id in it replaced by what kind of id it was."""
    for pattern, instead in _IDS:
        text = pattern.sub(instead, text)
    return text


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_ids(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value


def drop_ids(logger: Any, method: str, event_dict: EventDict) -> EventDict:
    """A processor: no id survives in any field (the event, its values, a traceback)."""
    return {key: _masked(value) for key, value in event_dict.items()}


def configure(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Send JSON log lines, ours and every library's, to `stream` (stderr) at `level`
    (libraries at WARNING or above), with no ids in them."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        numeric = logging.INFO
    stamped: list[Processor] = [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=stamped,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                drop_ids,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    quiet = max(numeric, logging.WARNING)
    root.setLevel(quiet)
    for library in NOISY:
        logging.getLogger(library).setLevel(quiet)
    for package in OWN_PACKAGES:
        logging.getLogger(package).setLevel(numeric)
    structlog.configure(
        processors=[*stamped, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )
