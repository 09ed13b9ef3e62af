"""Every log line is JSON, libraries' too (APScheduler, nio, slack_bolt, ...), and carries no
Matrix, Slack or email id, in any field, at any level."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from bot import logs

USER = "@bob-7f3a:example.org"
ROOM = "!OGEhHVWSdvArJzumhm:example.org"
ROOM_V12 = "!bk7GMX3K8O2Y4vEfhyq8cX0VdJ0c8xV0b9f3eNwWOZ4"
EVENT = "$hYfXnLpL0uC1a4_Hjv1K9jhj7pMpOoWkDyVIfX6gWrU"
SLACK = ("U024BE7LH", "C024BE91L", "T0123ABCD")
EMAIL = "bob.smith@nhs.example.org"
IDS = (USER, ROOM, ROOM_V12, EVENT, *SLACK, EMAIL, "bob-7f3a", "OGEhHVWSdvArJzumhm")


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    logs.configure("INFO", stream=stream)
    try:
        yield stream
    finally:
        logs.configure("WARNING")


def written(stream: io.StringIO) -> list[dict[str, object]]:
    """Each line parsed as JSON (fails if one is not), after checking no id is in it."""
    text = stream.getvalue()
    for found in IDS:
        assert found not in text, (found, text)
    return [json.loads(line) for line in text.splitlines()]


def test_libraries_write_json_without_ids(lines: io.StringIO) -> None:
    scheduler = logging.getLogger("apscheduler.executors.default")
    scheduler.info("Running job 'remind' in %s", ROOM)  # below WARNING: not written
    scheduler.warning("Run time of job 'remind (%s)' was missed by 0:00:03", USER)
    logging.getLogger("nio.rooms").warning("Unknown event %s in room %s", EVENT, ROOM_V12)
    logging.getLogger("nio.client.async_client").error(
        "PUT /_matrix/client/v3/rooms/%s/send failed",
        "%21OGEhHVWSdvArJzumhm%3Aexample.org",
    )
    try:
        raise RuntimeError(f"user {SLACK[0]} in {SLACK[1]} of {SLACK[2]}, mail {EMAIL}")
    except RuntimeError:
        logging.getLogger("slack_bolt.App").exception("Failed to run a listener")

    found = written(lines)
    assert [(line["logger"], line["level"]) for line in found] == [
        ("apscheduler.executors.default", "warning"),
        ("nio.rooms", "warning"),
        ("nio.client.async_client", "error"),
        ("slack_bolt.App", "error"),
    ]
    assert found[0]["event"] == "Run time of job 'remind (<matrix user>)' was missed by 0:00:03"
    assert found[1]["event"] == "Unknown event <matrix event> in room <matrix room>"
    assert "rooms/<matrix room>/send" in str(found[2]["event"])
    assert "user <slack id> in <slack id> of <slack id>, mail <email>" in str(found[3]["exception"])
    assert all("timestamp" in line for line in found)


def test_our_lines_lose_ids_in_every_field(lines: io.StringIO) -> None:
    log = structlog.get_logger("bot.platforms.matrix.events")
    log.info("matrix.joined", room=ROOM, who=[USER, EMAIL], count=3)
    log.debug("matrix.detail", room=ROOM)  # below INFO: not written

    (line,) = written(lines)
    assert line["event"] == "matrix.joined"
    assert line["room"] == "<matrix room>" and line["who"] == ["<matrix user>", "<email>"]
    assert line["count"] == 3 and line["level"] == "info"


def test_words_that_are_not_ids_are_kept() -> None:
    said = "!group in ROOM4 at 14:00, $5 each; CONNECTION refused; M_FORBIDDEN"
    assert logs.mask_ids(said) == said
