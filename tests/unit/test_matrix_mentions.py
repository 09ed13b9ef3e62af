"""A Matrix mention pill names who was meant: its words become the user id."""

from __future__ import annotations

import pytest

from bot.platforms.matrix.mentions import pills_as_ids

PILL = '<a href="https://matrix.to/#/@dan:example.org">{label}</a>'


@pytest.mark.parametrize(
    ("body", "formatted", "expect"),
    [
        (
            "!decision Book a room owner dan",
            "!decision Book a room owner " + PILL.format(label="dan"),
            "!decision Book a room owner @dan:example.org",
        ),
        (
            "!roles swap Dan Smith chair",
            '!roles swap <a href="https://matrix.to/#/%40dan%3Aexample.org">Dan Smith</a> chair',
            "!roles swap @dan:example.org chair",
        ),
        (
            "!decision X owner @Dan",
            "!decision X owner " + PILL.format(label="Dan"),
            "!decision X owner @dan:example.org",
        ),
        ("!agenda", None, "!agenda"),
        ("see #room", 'see <a href="https://matrix.to/#/#room:example.org">#room</a>', "see #room"),
    ],
)
def test_pills_become_user_ids(body: str, formatted: str | None, expect: str) -> None:
    assert pills_as_ids(body, formatted) == expect
