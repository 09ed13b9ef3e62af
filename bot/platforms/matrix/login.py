"""Logging in with a persistent device and end-to-end store.

The nio store lives in `store_path` (directory 0700, files 0600) under the
bot's own secret pickle key (made once, mode 0600); the login is kept in
`store_path/session.json`, so the device (and its keys) stays across restarts.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig, ErrorResponse, Response, WhoamiResponse
from nio.store import SqliteStore

from bot.config import MatrixSettings
from bot.platforms.matrix.calls import MatrixRefused, Requests, Tuning

SESSION_FILE = "session.json"
PICKLE_KEY_FILE = "pickle-key"


@dataclass
class _Session:
    """The login kept in store_path/session.json."""

    homeserver: str
    user_id: str
    device_id: str
    access_token: str

    @classmethod
    def read(cls, path: Path) -> _Session | None:
        try:
            data = json.loads(path.read_text())
            return cls(
                **{k: str(data[k]) for k in ("homeserver", "user_id", "device_id", "access_token")}
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, path: Path) -> None:
        _write_private(path, json.dumps(self.__dict__))


def _write_private(path: Path, text: str) -> None:
    """Write a file only the bot's user can read (created 0600, never world-readable)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def _pickle_key(settings: MatrixSettings, store_path: Path) -> str:
    """The secret that encrypts the e2e store: made once, readable by the bot's user only."""
    path = Path(settings.pickle_key_file or store_path / PICKLE_KEY_FILE)
    if not path.exists():
        _write_private(path, secrets.token_urlsafe(48))
    os.chmod(path, 0o600)
    return path.read_text().strip()


def _open_store(settings: MatrixSettings) -> tuple[Path, str]:
    """The store's folder (made 0700 if new) and the pickle key that encrypts it."""
    store_path = Path(settings.store_path)
    store_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return store_path, _pickle_key(settings, store_path)


def _lock_down(store_path: Path) -> None:
    store_path.chmod(0o700)
    for entry in store_path.iterdir():
        if entry.is_file():
            entry.chmod(0o600)


async def log_in(settings: MatrixSettings, tuning: Tuning, requests: Requests) -> AsyncClient:
    """A logged-in client with its keys uploaded: the saved device if its token still
    works, else the configured access token, else the password (a new device)."""
    assert settings.homeserver and settings.user_id
    store_path, pickle_key = _open_store(settings)
    config = AsyncClientConfig(
        store=SqliteStore,
        encryption_enabled=True,
        pickle_key=pickle_key,
        store_sync_tokens=False,
        max_limit_exceeded=0,
        max_timeouts=0,
        request_timeout=tuning.request_timeout,
    )
    session_file = store_path / SESSION_FILE
    saved = _Session.read(session_file)
    if saved and (saved.homeserver, saved.user_id) != (settings.homeserver, settings.user_id):
        saved = None
    client = AsyncClient(
        settings.homeserver,
        settings.user_id,
        device_id=saved.device_id if saved else settings.device_id,
        store_path=str(store_path),
        config=config,
    )
    if saved and await _token_works(client, saved.access_token, settings, requests):
        client.restore_login(saved.user_id, saved.device_id, saved.access_token)
    elif settings.access_token and not settings.password:
        if not await _token_works(client, settings.access_token, settings, requests):
            raise MatrixRefused("log in", ErrorResponse("the access token was refused"))
        who = await requests.call("whoami", client.whoami, WhoamiResponse)
        device = settings.device_id or who.device_id
        if not device:
            raise ValueError("Set matrix.device_id: the homeserver didn't say which device.")
        client.restore_login(who.user_id, device, settings.access_token)
    else:
        password = settings.password
        assert password
        await requests.call(
            "log in",
            lambda: client.login(password, device_name=settings.device_name),
            Response,
        )
    _Session(
        settings.homeserver, client.user_id, client.device_id or "", client.access_token
    ).write(session_file)
    _lock_down(store_path)
    if client.should_upload_keys:
        await requests.call("upload keys", client.keys_upload, Response)
    return client


async def _token_works(
    client: AsyncClient, token: str, settings: MatrixSettings, requests: Requests
) -> bool:
    client.access_token = token
    try:
        answer = await requests.call("whoami", client.whoami, WhoamiResponse)
    except MatrixRefused:
        client.access_token = ""
        return False
    return str(answer.user_id) == settings.user_id
