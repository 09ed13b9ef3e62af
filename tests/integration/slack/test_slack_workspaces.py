"""One deployment serving two Slack workspaces, each added through "Add to Slack" (OAuth)
against the mock: their groups stay apart, each speaks with its own bot token, and a
workspace removing the app stops sending there only, keeping its data.

Runs on SQLite and, when a server is there, PostgreSQL (the `database_url` fixture).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from bot.app import build_app
from bot.config import SlackSettings
from bot.platforms.slack.installations import Installations
from bot.platforms.slack.oauth import Installer
from bot.platforms.slack.pacing import Pacer
from bot.platforms.slack.platform import SlackPlatform
from bot.platforms.slack.retries import web_client
from scheduler.clock import VirtualClock
from scheduler.fast_forward import fast_forward
from storage.models import Delivery, Group, Meeting, SlackInstallation
from tests.integration.slack import signing
from tests.integration.slack.harness import (
    MEETING,
    PACK_DUE,
    SIGNING_SECRET,
    START,
    Bot,
    Waits,
    delivered,
)
from tests.integration.slack.mock_api import MockSlackAPI

pytestmark = pytest.mark.slack

TEAM_A, TEAM_B = "TAAAA", "TBBBB"
TOKEN_A, TOKEN_B = "xoxb-workspace-a", "xoxb-workspace-b"


class Workspaces(Bot):
    """The app serving several workspaces: no bot token, installs through OAuth."""

    installations: Installations

    def make_platform(self, wall: VirtualClock | None = None) -> SlackPlatform:
        self.installations = Installations(self.app.db.sessions)
        settings = SlackSettings(
            client_id="client-id",
            client_secret="client-secret",
            signing_secret=SIGNING_SECRET,
            api_url=self.mock.base_url,
        )
        client = web_client(
            None,
            self.session,
            base_url=self.mock.base_url,
            sleep=self.waits,
            backoff=0.01,
            installations=self.installations,
        )
        return SlackPlatform(
            self.app,
            client,
            self.session,
            signing_secret=SIGNING_SECRET,
            pacer=Pacer(burst=4, per_second=8.0),
            sleep=self.waits,
            backoff=0.01,
            wall=wall,
            installations=self.installations,
            installer=Installer(settings, self.installations, self.session),
        )

    @property
    def site(self) -> str:
        return self.url.removesuffix("/slack/events")

    async def install(self, code: str, state: str | None = None) -> tuple[int, str]:
        """Someone presses "Add to Slack", agrees on Slack's page, and comes back with
        `code` (and the `state` given, or Slack's); the page they see then."""
        return await self.come_back(*await self.start_install(), code, state)

    async def start_install(self) -> tuple[str, str]:
        """GET /slack/install: the state Slack is sent, and the browser's state cookie."""
        async with self.http.get(f"{self.site}/slack/install", allow_redirects=False) as r:
            assert r.status == 302
            consent = urlsplit(r.headers["Location"])
            cookie = r.headers["Set-Cookie"].split(";")[0]  # Secure: sent back over https
        asked = parse_qs(consent.query)
        assert consent.netloc == "slack.com" and asked["client_id"] == ["client-id"]
        assert "chat:write" in asked["scope"][0].split(",")
        return asked["state"][0], cookie

    async def come_back(
        self, given: str, cookie: str | None, code: str, state: str | None = None
    ) -> tuple[int, str]:
        """GET /slack/oauth_redirect as Slack sends the browser back: (status, page)."""
        back = {"code": code, "state": state or given}
        headers = {"Cookie": cookie} if cookie else {}
        redirect = f"{self.site}/slack/oauth_redirect"
        async with self.http.get(redirect, params=back, headers=headers) as r:
            return r.status, await r.text()

    async def command_in(self, team: str, user: str, text: str, channel: str) -> list[str]:
        """Someone in workspace `team` types a slash command; the private answers (words)."""
        url = self.mock.response_url()
        status, body, _ = await self.post(self.typed(user, text, channel, url, team))
        assert status == 200
        # Answered at once in the acknowledgement, or later through the response_url.
        return [body] if body else self.answers(url)

    async def uninstalled(self, team: str) -> None:
        """Slack says the app was removed from a workspace."""
        event = {"type": "app_uninstalled"}
        status, _, _ = await self.post(signing.event(SIGNING_SECRET, event, team_id=team))
        assert status == 200


@pytest.fixture
async def two(database_url: str) -> AsyncIterator[Workspaces]:
    """Workspace A (alice, amy; channel CA) and B (bea, ben; channel CB), not installed yet."""
    mock = MockSlackAPI(
        users={"UALICE": "alice", "UAMY": "amy", "UBEA": "bea", "UBEN": "ben"},
        members={"CA": ["UALICE", "UAMY", "UBOTA"], "CB": ["UBEA", "UBEN", "UBOTB"]},
        rate_limit_per_channel=None,
    )
    mock.add_user("UBOTA", "alongside", is_bot=True)
    mock.add_user("UBOTB", "alongside", is_bot=True)
    mock.add_install("code-a", TEAM_A, TOKEN_A, "UBOTA")
    mock.add_install("code-b", TEAM_B, TOKEN_B, "UBOTB")
    await mock.start()
    clock = VirtualClock(START)
    app = await build_app(database_url, clock)
    harness = Workspaces(mock, app, clock, Waits())
    await harness.start()
    yield harness
    await harness.close()
    await app.close()
    await mock.stop()
    mock.assert_all_valid()


async def both_installed_with_groups(bot: Workspaces) -> None:
    for code in ("code-a", "code-b"):
        status, page = await bot.install(code)
        assert status == 200 and "alongside is now in your Slack workspace" in page
    await bot.command_in(TEAM_A, "UALICE", "/group setup Steering A", "CA")
    await bot.command_in(TEAM_B, "UBEA", "/group setup Board B", "CB")


async def test_two_workspaces_installed_through_oauth_keep_their_groups_apart(
    two: Workspaces,
) -> None:
    await both_installed_with_groups(two)
    async with two.app.db.sessions() as session:
        groups = {g.name: g.workspace for g in await session.scalars(select(Group))}
        teams = set(await session.scalars(select(SlackInstallation.team_id)))
    assert groups == {"Steering A": TEAM_A, "Board B": TEAM_B}
    assert teams == {TEAM_A, TEAM_B}

    seen_by_amy = "\n".join(await two.command_in(TEAM_A, "UAMY", "/group", "DUAMY"))
    seen_by_ben = "\n".join(await two.command_in(TEAM_B, "UBEN", "/group", "DUBEN"))
    assert "Steering A" in seen_by_amy and "alice" in seen_by_amy
    assert "Board B" not in seen_by_amy and "bea" not in seen_by_amy
    assert "Board B" in seen_by_ben and "bea" in seen_by_ben
    assert "Steering A" not in seen_by_ben and "alice" not in seen_by_ben

    # Everything each workspace's bot said or asked went with its own token.
    assert set(two.mock.tokens_used("chat.postMessage", "CA")) == {TOKEN_A}
    assert set(two.mock.tokens_used("chat.postMessage", "CB")) == {TOKEN_B}
    members = {c.params["channel"]: c.token for c in two.mock.calls_to("conversations.members")}
    assert members == {"CA": TOKEN_A, "CB": TOKEN_B}


async def test_an_uninstall_stops_sending_to_that_workspace_only_and_keeps_its_data(
    two: Workspaces,
) -> None:
    await both_installed_with_groups(two)
    for team, user, channel in ((TEAM_A, "UALICE", "CA"), (TEAM_B, "UBEA", "CB")):
        await two.command_in(team, user, "/meeting new Meet 2026-12-05 14:00 for 2h", channel)
    engine = two.platform.engine

    amy, ben = two.dm("UAMY"), two.dm("UBEN")
    await fast_forward(engine, two.clock, PACK_DUE + timedelta(minutes=1))
    assert delivered(two.mock, amy) == ["pack"] and delivered(two.mock, ben) == ["pack"]
    assert set(two.mock.tokens_used("chat.postMessage", amy)) == {TOKEN_A}
    assert set(two.mock.tokens_used("chat.postMessage", ben)) == {TOKEN_B}
    assert set(two.mock.tokens_used("conversations.open")) == {TOKEN_A, TOKEN_B}

    await two.uninstalled(TEAM_A)
    posted_before = len(two.mock.tokens_used("chat.postMessage"))
    await fast_forward(engine, two.clock, MEETING - timedelta(hours=23))
    assert delivered(two.mock, amy) == ["pack"]  # nothing more to A
    assert delivered(two.mock, ben) == ["pack", "daybefore"]
    after = two.mock.tokens_used("chat.postMessage")[posted_before:]
    assert after and set(after) == {TOKEN_B}
    async with two.app.db.sessions() as session:
        unreachable = list(
            await session.scalars(select(Delivery.key).where(Delivery.status == "unreachable"))
        )
        groups = {g.name for g in await session.scalars(select(Group))}
        meetings = len(list(await session.scalars(select(Meeting))))
        teams = set(await session.scalars(select(SlackInstallation.team_id)))
    assert unreachable and all(key.startswith("daybefore") for key in unreachable)
    assert groups == {"Steering A", "Board B"} and meetings == 2  # A's data is kept
    assert teams == {TEAM_B}
    again = await engine.deliver_due(two.clock.now())  # not tried again
    assert again.sent == again.failed == 0

    # Someone in A still typing a command is told kindly; nothing changes.
    told = " ".join(await two.command_in(TEAM_A, "UAMY", "/agenda add Late item", "CA"))
    assert "isn't in this Slack workspace any more" in told and "nothing was changed" in told

    # Installing it again resumes sending to A for what falls due from now on.
    two.mock.add_install("code-a2", TEAM_A, "xoxb-workspace-a-again", "UBOTA")
    status, _ = await two.install("code-a2")
    assert status == 200
    await fast_forward(engine, two.clock, MEETING - timedelta(minutes=59))
    assert delivered(two.mock, amy) == ["pack", "hourbefore"]
    assert two.mock.tokens_used("chat.postMessage", amy)[-1] == "xoxb-workspace-a-again"


async def test_an_install_with_a_wrong_or_missing_state_is_refused_kindly(
    two: Workspaces,
) -> None:
    state, cookie = await two.start_install()
    refused = [
        await two.come_back(state, cookie, "code-a", state="made-up"),  # not the one given
        await two.come_back(state, None, "code-a"),  # another browser
        await two.come_back(state, "slack-app-oauth-state=made-up", "code-a", state="made-up"),
    ]
    for status, page in refused:
        assert status in (400, 401) and "Nothing was changed" in page
        assert "Please start again" in page and 'href="/slack/install"' in page
    cancelled = {"error": "access_denied", "state": state}
    async with two.http.get(f"{two.site}/slack/oauth_redirect", params=cancelled) as r:
        assert r.status == 200 and "You didn't add alongside" in await r.text()
    async with two.app.db.sessions() as session:
        assert list(await session.scalars(select(SlackInstallation))) == []

    # A state is good once: coming back with it again (a replay) is refused.
    assert (await two.come_back(state, cookie, "code-a"))[0] == 200
    two.mock.add_install("code-a3", TEAM_A, "xoxb-someone-else", "UBOTA")
    status, page = await two.come_back(state, cookie, "code-a3")
    assert status == 401 and "Nothing was changed" in page
    assert len(two.mock.calls_to("oauth.v2.access")) == 1


async def test_a_revoked_bot_token_stops_that_workspace_and_older_groups_are_claimed_on_sight(
    two: Workspaces,
) -> None:
    await both_installed_with_groups(two)
    async with two.app.db.sessions() as session:  # as if set up with a single bot token
        await session.execute(update(Group).values(workspace=None))
        await session.commit()
    await two.stop()
    await two.start()  # a new process: it has seen no channel yet
    await two.command_in(TEAM_A, "UAMY", "/agenda", "CA")
    await two.command_in(TEAM_B, "UBEN", "/agenda", "CB")
    await two.platform.idle()

    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOTB"]}}
    status, _, _ = await two.post(signing.event(SIGNING_SECRET, revoked, team_id=TEAM_B))
    assert status == 200
    async with two.app.db.sessions() as session:
        groups = {g.name: g.workspace for g in await session.scalars(select(Group))}
        teams = set(await session.scalars(select(SlackInstallation.team_id)))
    assert groups == {"Steering A": TEAM_A, "Board B": TEAM_B}
    assert teams == {TEAM_A}
