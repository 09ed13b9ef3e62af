"""Configuration from environment variables (ALONGSIDE_...) or one TOML file."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class SlackSettings(BaseModel):
    """Slack app credentials (see README: Slack)."""

    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    host: str = "0.0.0.0"
    port: int = 3000
    api_url: str | None = None
    # To avoid clashes with other apps' commands: "co-" gives /co-agenda, /co-rotate ...;
    # or an umbrella "alongside" gives only /alongside (/alongside agenda add ...).
    command_prefix: str = ""
    umbrella: str | None = None
    # Several workspaces (OAuth): with client_id, client_secret and signing_secret set and
    # no bot_token, workspaces add the app at install_path; Slack sends them back to
    # redirect_path (on public_url, if set). scopes: None means the manifest's.
    client_id: str | None = None
    client_secret: str | None = None
    scopes: list[str] | None = None
    install_path: str = "/slack/install"
    redirect_path: str = "/slack/oauth_redirect"

    @property
    def oauth(self) -> bool:
        """Whether this is a several-workspaces (OAuth) deployment rather than one token."""
        return bool(self.client_id and self.client_secret and not self.bot_token)


class MatrixSettings(BaseModel):
    """Matrix login (see README: Matrix)."""

    homeserver: str | None = None
    user_id: str | None = None
    password: str | None = None
    access_token: str | None = None
    device_id: str | None = None
    store_path: str = "matrix-store"
    allowed_inviters: list[str] = []
    # Servers whose users may invite the bot (e.g. "example.org"). With neither
    # list set, only users on the bot's own homeserver may invite it.
    allowed_servers: list[str] = []
    device_name: str = "alongside"
    # The secret that encrypts the bot's end-to-end keys at rest; made once, mode 0600.
    # Default: <store_path>/pickle-key.
    pickle_key_file: str | None = None
    # Direct rooms the bot opens are end-to-end encrypted, like Element's.
    encrypt_dms: bool = True


class HealthSettings(BaseModel):
    """Where /healthz, /readyz and /metrics are served (see README: Health and metrics).

    Matrix and Slack Socket Mode serve them on `port` (default 8080); Slack over HTTP
    serves them on its own port, and here too if `port` is set; the console serves
    them only if `port` is set. Bound to 127.0.0.1 unless `host` says otherwise.
    """

    host: str = "127.0.0.1"
    port: int | None = None


class InstanceSettings(BaseModel):
    """Running several instances on PostgreSQL (see README: Running more than one instance).

    check_seconds: how often the leader checks it still leads, and a follower tries
    to take over. sending_deadline_seconds: how long a send may stay in doubt before
    another instance may finish it (each send is given up after half of it).
    """

    check_seconds: float = 5.0
    sending_deadline_seconds: float = 120.0


class Settings(BaseSettings):
    """Everything alongside can be told. Defaults run the console on ./alongside.db."""

    model_config = SettingsConfigDict(
        env_prefix="ALONGSIDE_", env_nested_delimiter="__", extra="ignore"
    )

    database_url: str = "sqlite:///alongside.db"
    platform: Literal["console", "slack", "matrix"] | None = None
    log_level: str = "INFO"
    slack: SlackSettings = SlackSettings()
    matrix: MatrixSettings = MatrixSettings()
    health: HealthSettings = HealthSettings()
    instances: InstanceSettings = InstanceSettings()
    # The address people reach the bot's HTTP listener at, like https://bot.example.org:
    # private calendar links (/meeting calendar subscribe) start with it. Unset: no links.
    public_url: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments first, then environment, then the TOML file named by ALONGSIDE_CONFIG."""
        toml_file = os.environ.get("ALONGSIDE_CONFIG", "alongside.toml")
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )
