"""A real Synapse homeserver on loopback, for the Matrix integration tests.

Synapse lives in its own venv (``.venv-synapse/``, made by
``scripts/synapse-venv.sh``) so its pins never constrain ours. This module
only needs the standard library: it writes ``homeserver.yaml`` itself (as
JSON, which is YAML), a signing key, runs
``.venv-synapse/bin/python -m synapse.app.homeserver -c homeserver.yaml`` as a
subprocess on a free 127.0.0.1 port with SQLite, and waits until
``/_matrix/client/versions`` answers.

    hs = start_homeserver(tmp_dir)
    user_id, token = hs.admin_register("alice", "secret")
    hs.restart()                 # same data dir, same port, same users/rooms
    hs.stop()

Every rate limit is raised out of the way unless ``default_rate_limits=True``.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

REPO_ROOT = Path(__file__).resolve().parents[3]
SYNAPSE_VENV = Path(os.environ.get("SYNAPSE_VENV", REPO_ROOT / ".venv-synapse"))
SYNAPSE_PYTHON = SYNAPSE_VENV / "bin" / "python"
VENV_SCRIPT = REPO_ROOT / "scripts" / "synapse-venv.sh"

DEFAULT_SERVER_NAME = "test.local"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0

# Talk to loopback directly, whatever http_proxy/https_proxy say.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Generous enough that no test ever meets it, small enough to stay an int.
_UNLIMITED = {"per_second": 100_000, "burst_count": 1_000_000}

# Every rate limiter Synapse 1.163 reads (synapse/config/ratelimiting.py).
# Several are NESTED: Synapse walks "rc_login.address" etc. as dict paths and
# silently falls back to its (tight) defaults when the nesting is wrong, so a
# flat `rc_login: {per_second: ...}` or `rc_joins: {per_second: ...}` does
# nothing at all.
_FLAT_LIMITERS = (
    "rc_message",
    "rc_registration",
    "rc_registration_token_validity",
    "rc_admin_redaction",
    "rc_joins_per_room",
    "rc_key_requests",
    "rc_3pid_validation",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_delayed_event_mgmt",
    "rc_room_creation",
    "rc_reports",
    "rc_user_directory",
    "rc_profile",
)
_NESTED_LIMITERS = {
    "rc_login": ("address", "account", "failed_attempts"),
    "rc_joins": ("local", "remote"),
    "rc_invites": ("per_room", "per_user", "per_issuer"),
    "rc_presence": ("per_user",),
}


def relaxed_rate_limits() -> dict[str, Any]:
    """Config entries that lift every Synapse rate limit out of a test's way."""
    limits: dict[str, Any] = {key: dict(_UNLIMITED) for key in _FLAT_LIMITERS}
    for key, parts in _NESTED_LIMITERS.items():
        limits[key] = {part: dict(_UNLIMITED) for part in parts}
    return limits


def ensure_synapse_venv() -> Path:
    """Run scripts/synapse-venv.sh (a fast no-op once installed); return the venv's python."""
    result = subprocess.run(
        ["bash", str(VENV_SCRIPT)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SYNAPSE_VENV": str(SYNAPSE_VENV)},
    )
    if result.returncode != 0 or not SYNAPSE_PYTHON.exists():
        raise RuntimeError(
            f"{VENV_SCRIPT} failed (exit {result.returncode}); cannot start Synapse.\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )
    return SYNAPSE_PYTHON


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (bind port 0, then release)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _signing_key_line() -> str:
    # Synapse's signing key file: "ed25519 <version> <unpadded base64 of a 32-byte seed>".
    # Any 32 random bytes are a valid ed25519 seed, so no need to spawn --generate-keys.
    seed = base64.b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    return f"ed25519 a_test {seed}\n"


def write_config(
    data_dir: Path,
    *,
    port: int,
    server_name: str = DEFAULT_SERVER_NAME,
    shared_secret: str,
    default_rate_limits: bool = False,
) -> Path:
    """Write homeserver.yaml and a signing key into data_dir; return the config path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    signing_key = data_dir / "signing.key"
    if not signing_key.exists():
        signing_key.write_text(_signing_key_line())
    config: dict[str, Any] = {
        "server_name": server_name,
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "report_stats": False,
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                # "client" also serves /_synapse/admin; no federation listener.
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {
            "name": "sqlite3",
            "args": {"database": str(data_dir / "homeserver.db")},
        },
        "media_store_path": str(data_dir / "media_store"),
        "signing_key_path": str(signing_key),
        "macaroon_secret_key": secrets.token_hex(32),
        "form_secret": secrets.token_hex(32),
        "registration_shared_secret": shared_secret,
        "enable_registration": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        # Nothing ever leaves the machine: an empty whitelist denies all federation.
        "federation_domain_whitelist": [],
        # Things a test bot does not need and that cost start-up or request time.
        "presence": {"enabled": False},
        "url_preview_enabled": False,
        "enable_metrics": False,
        "bcrypt_rounds": 4,
        "encryption_enabled_by_default_for_room_type": "off",
    }
    if not default_rate_limits:
        config.update(relaxed_rate_limits())
    path = data_dir / "homeserver.yaml"
    # JSON is valid YAML, and keeps this module free of a yaml dependency.
    path.write_text(json.dumps(config, indent=2) + "\n")
    return path


@dataclass(frozen=True)
class RegisteredUser:
    """A user made with the shared-secret admin API, already logged in on one device."""

    user_id: str
    access_token: str
    device_id: str
    password: str


class Homeserver:
    """One Synapse process on 127.0.0.1; can be stopped and started again on the same data."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int,
        server_name: str,
        shared_secret: str,
        python: Path = SYNAPSE_PYTHON,
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self.data_dir = data_dir
        self.port = port
        self.server_name = server_name
        self.shared_secret = shared_secret
        self.python = python
        self.startup_timeout = startup_timeout
        self.config_path = data_dir / "homeserver.yaml"
        self.log_path = data_dir / "homeserver.log"
        self.last_start_seconds: float | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """Client-server API base, e.g. http://127.0.0.1:45678."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> None:
        """Start Synapse and return once /_matrix/client/versions answers (or raise)."""
        if self.running:
            return
        begun = time.monotonic()
        env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_ENV}
        env["PYTHONUNBUFFERED"] = "1"
        with self.log_path.open("ab") as log:
            log.write(f"\n===== starting Synapse on {self.base_url} =====\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                [str(self.python), "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
                cwd=self.data_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _LIVE.add(self)
        try:
            self._wait_until_ready(begun + self.startup_timeout)
        except BaseException:
            self.stop()
            raise
        self.last_start_seconds = time.monotonic() - begun

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop Synapse (SIGTERM, then SIGKILL after timeout). Data and port are kept."""
        process, self._process = self._process, None
        _LIVE.discard(self)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)

    def restart(self) -> None:
        """Stop, then start again on the same data dir and port."""
        self.stop()
        self.start()

    def _wait_until_ready(self, deadline: float) -> None:
        url = f"{self.base_url}/_matrix/client/versions"
        last_error = "no attempt yet"
        while True:
            assert self._process is not None
            code = self._process.poll()
            if code is not None:
                raise RuntimeError(
                    f"Synapse exited with code {code} during start-up "
                    f"(config {self.config_path}).\n{self.log_tail()}"
                )
            try:
                with _OPENER.open(url, timeout=2) as response:
                    if response.status == 200:
                        return
                    last_error = f"HTTP {response.status}"
            except (OSError, urllib.error.URLError) as exc:
                last_error = repr(exc)
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"Synapse did not answer {url} within {self.startup_timeout:.0f} s "
                    f"(last error: {last_error}).\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def log_tail(self, lines: int = 60) -> str:
        """The end of Synapse's log, for error messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as exc:
            return f"(no log at {self.log_path}: {exc})"
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- last {lines} lines of {self.log_path} ---\n{tail}"

    # -- HTTP --------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        access_token: str | None = None,
        timeout: float = 30,
    ) -> dict[str, Any]:
        """One JSON request to the homeserver; raises RuntimeError with Synapse's answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if access_token:
            request.add_header("Authorization", f"Bearer {access_token}")
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                result: dict[str, Any] = json.loads(response.read() or b"{}")
                return result
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")
            raise RuntimeError(f"{method} {path} -> HTTP {exc.code}: {detail}") from exc

    def register_user(self, username: str, password: str, admin: bool = False) -> RegisteredUser:
        """Create a user with the shared-secret registration API (enable_registration is off)."""
        path = "/_synapse/admin/v1/register"
        nonce = self.request("GET", path)["nonce"]
        mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        for part in (nonce, username, password):
            mac.update(part.encode())
            mac.update(b"\x00")
        mac.update(b"admin" if admin else b"notadmin")
        answer = self.request(
            "POST",
            path,
            {
                "nonce": nonce,
                "username": username,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            },
        )
        return RegisteredUser(
            user_id=answer["user_id"],
            access_token=answer["access_token"],
            device_id=answer["device_id"],
            password=password,
        )

    def admin_register(self, username: str, password: str, admin: bool = False) -> tuple[str, str]:
        """Create a user; return (user_id, access_token)."""
        user = self.register_user(username, password, admin)
        return user.user_id, user.access_token

    def login(self, username: str, password: str) -> dict[str, Any]:
        """Password login (a new device); raises RuntimeError on 403 or 429."""
        return self.request(
            "POST",
            "/_matrix/client/v3/login",
            {
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": username},
                "password": password,
            },
        )

    def user_id(self, localpart: str) -> str:
        """The full Matrix ID of a local user."""
        return f"@{localpart}:{self.server_name}"

    # -- async wrappers (blocking work runs in a thread, off the event loop) --

    async def astart(self) -> None:
        await asyncio.to_thread(self.start)

    async def astop(self) -> None:
        await asyncio.to_thread(self.stop)

    async def arestart(self) -> None:
        await asyncio.to_thread(self.restart)

    async def aregister_user(
        self, username: str, password: str, admin: bool = False
    ) -> RegisteredUser:
        return await asyncio.to_thread(self.register_user, username, password, admin)

    async def alogin(self, username: str, password: str) -> dict[str, Any]:
        return await asyncio.to_thread(self.login, username, password)

    async def aadmin_register(
        self, username: str, password: str, admin: bool = False
    ) -> tuple[str, str]:
        return await asyncio.to_thread(self.admin_register, username, password, admin)

    # -- context managers --------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        await self.astart()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.astop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Homeserver {self.server_name} at {self.base_url} ({state}, {self.data_dir})>"


# Variables of our own venv that must not leak into Synapse's interpreter.
_FOREIGN_ENV = frozenset({"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"})

# Servers started by this process; stopped at exit if a test forgot to.
_LIVE: set[Homeserver] = set()


@atexit.register
def _stop_all() -> None:
    for server in list(_LIVE):
        server.stop(timeout=5)


def start_homeserver(
    tmp_dir: Path | str,
    *,
    default_rate_limits: bool = False,
    server_name: str = DEFAULT_SERVER_NAME,
    startup_timeout: float = STARTUP_TIMEOUT,
    install: bool = True,
) -> Homeserver:
    """Configure a fresh Synapse in tmp_dir, start it on a free loopback port, wait till it answers.

    With install=True (default) scripts/synapse-venv.sh runs first; it is a fast
    no-op once .venv-synapse holds the pinned Synapse.
    """
    python = ensure_synapse_venv() if install else SYNAPSE_PYTHON
    if not python.exists():
        raise RuntimeError(f"{python} is missing: run {VENV_SCRIPT} first.")
    data_dir = Path(tmp_dir)
    shared_secret = secrets.token_hex(32)
    for attempt in range(3):
        # The port is free when picked but could be taken before Synapse binds it.
        port = free_port()
        write_config(
            data_dir,
            port=port,
            server_name=server_name,
            shared_secret=shared_secret,
            default_rate_limits=default_rate_limits,
        )
        server = Homeserver(
            data_dir,
            port=port,
            server_name=server_name,
            shared_secret=shared_secret,
            python=python,
            startup_timeout=startup_timeout,
        )
        try:
            server.start()
        except RuntimeError as exc:
            if attempt < 2 and "Address already in use" in str(exc):
                continue
            raise
        return server
    raise AssertionError("unreachable")


def iter_rate_limit_keys() -> Iterator[str]:
    """Dotted names of every limiter relaxed_rate_limits() sets (for docs and checks)."""
    yield from _FLAT_LIMITERS
    for key, parts in _NESTED_LIMITERS.items():
        for part in parts:
            yield f"{key}.{part}"
