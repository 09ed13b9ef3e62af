"""One Matrix deployment, rooms and people on several homeservers (federation).

The bot is @alongside:home.org; people and rooms may be on other.org (or a server
with a port). Nothing may assume the bot's own server: who may invite it, mention
pills, direct rooms, names, and telling two people with the same name apart.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from nio import InviteMemberEvent, MatrixRoom

from bot.app import App
from bot.config import MatrixSettings
from bot.platforms.matrix.dms import only
from bot.platforms.matrix.events import Events, looks_like_bot
from bot.platforms.matrix.mentions import pills_as_ids
from bot.platforms.matrix.store import MatrixStore
from handlers.core.router import Incoming
from storage.uow import UnitOfWork
from tests.support import handle, texts

BOT = "@alongside:home.org"
ROOM = "!peer:other.org"


class FakeClient:
    """Notes which invitations the bot took up and which it declined."""

    def __init__(self) -> None:
        self.joined: list[str] = []
        self.declined: list[str] = []

    async def join(self, room_id: str) -> None:
        self.joined.append(room_id)

    async def room_leave(self, room_id: str) -> None:
        self.declined.append(room_id)


def events(client: FakeClient, app: App | None = None, **settings: Any) -> Events:
    """The bot's event handling, with a homeserver that only notes joins and declines
    (and `app`'s database, where it keeps direct rooms)."""

    async def call(name: str, request: Any, expected: type) -> Any:
        return await request()

    conn = SimpleNamespace(
        settings=MatrixSettings(homeserver="https://home.org", user_id=BOT, **settings),
        user_id=BOT,
        live=lambda: client,
        requests=SimpleNamespace(call=call),
    )
    store = MatrixStore(app.db.sessions, app.clock) if app else None
    return Events(app, conn, store, None, None, None)  # type: ignore[arg-type]


def invite(sender: str, direct: bool = False) -> InviteMemberEvent:
    content = {"membership": "invite", "is_direct": direct}
    source = {"type": "m.room.member", "sender": sender, "state_key": BOT, "content": content}
    return InviteMemberEvent(source, sender, BOT, "invite", "leave", content)


@pytest.mark.parametrize(
    ("settings", "joins", "declines"),
    [
        ({}, ["@sam:home.org"], ["@sam:other.org"]),
        (
            {"allowed_servers": ["other.org", "home.org"]},
            ["@sam:other.org", "@kim:home.org"],
            ["@eve:elsewhere.net", "@eve:other.org.evil.net"],
        ),
        ({"allowed_servers": ["other.org"]}, ["@sam:other.org"], ["@kim:home.org"]),
        (
            {"allowed_inviters": ["@kim:partner.net"]},
            ["@kim:partner.net"],
            ["@lee:partner.net", "@kim:home.org"],
        ),
        ({"allowed_servers": ["other.org:8448"]}, ["@sam:other.org:8448"], ["@sam:other.org"]),
    ],
)
async def test_invitations_from_other_homeservers_follow_the_allowed_lists(
    settings: dict[str, list[str]], joins: list[str], declines: list[str]
) -> None:
    client = FakeClient()
    bot = events(client, **settings)
    for sender in [*joins, *declines]:
        await bot.on_invite(f"!from-{sender}", [invite(sender)])
    assert client.joined == [f"!from-{s}" for s in joins]
    assert client.declined == [f"!from-{s}" for s in declines]


async def test_a_direct_room_from_another_homeserver_is_that_persons(app: App) -> None:
    client = FakeClient()
    bot = events(client, app, allowed_servers=["other.org"])
    await bot.on_invite("!dm:other.org", [invite("@sam:other.org", direct=True)])
    assert client.joined == ["!dm:other.org"]
    assert await bot.store.direct_user("!dm:other.org") == "@sam:other.org"
    assert await bot.store.direct_room("@sam:other.org") == "!dm:other.org"


def test_a_direct_room_stays_private_only_with_that_one_person_on_any_server() -> None:
    room = MatrixRoom("!dm:other.org", BOT)
    for user in (BOT, "@sam:other.org"):
        room.add_member(user, None, None)
    assert only(room, BOT, "@sam:other.org")
    room.add_member("@sam:home.org", None, None)  # the same name, another server
    assert not only(room, BOT, "@sam:other.org")


def test_pills_to_people_on_other_homeservers_become_their_full_ids() -> None:
    pill = '<a href="https://matrix.to/#/{id}">{label}</a>'
    for user_id in ("@sam:other.org", "@sam:other.org:8448", "@sam:[2001:db8::1]:8448"):
        formatted = "/group facilitator add " + pill.format(id=user_id, label="sam")
        assert pills_as_ids("/group facilitator add sam", formatted) == (
            f"/group facilitator add {user_id}"
        )


@pytest.mark.parametrize(
    ("user_id", "bot"),
    [
        ("@sam:bot.other.org", False),  # a server named bot doesn't make its people bots
        ("@sam:other.org:8448", False),
        ("@reminder-bot:other.org", True),
    ],
)
def test_bots_are_known_by_their_own_name_not_their_server(user_id: str, bot: bool) -> None:
    assert looks_like_bot(user_id) is bot


async def say(app: App, who: str, text: str) -> str:
    name = who[1:].partition(":")[0]
    incoming = Incoming(platform="matrix", user_id=who, display_name=name, text=text, channel=ROOM)
    return texts(await handle(app, incoming))


async def test_two_people_with_one_name_on_two_homeservers_are_told_apart(app: App) -> None:
    kim = "@kim:home.org"
    await say(app, kim, "/group setup Peer group")
    for user_id in ("@sam:home.org", "@sam:other.org"):
        assert await app.router.join("matrix", ROOM, user_id, "sam", app.clock.now())

    said = await say(app, kim, "/group facilitator add @sam")
    assert "More than one person in this group is called sam" in said

    said = await say(app, kim, "/group facilitator add @sam:other.org")
    assert "sam now helps run this group as a facilitator" in said
    async with UnitOfWork(app.db.sessions) as uow:
        [group] = await uow.groups.all()
        members = await uow.groups.members(group.id)
    running = {m.person.external_id for m in members if m.is_facilitator}
    assert running == {kim, "@sam:other.org"}  # not the other sam
