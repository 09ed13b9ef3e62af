"""Slack workspaces that added the app through "Add to Slack" (several-workspaces mode)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SlackInstallation(Base):
    """One workspace's installation: its bot token, kept until the app is removed there.

    Only the bot's side is kept (the app asks for no user scopes). The row is deleted
    when the workspace removes the app (`app_uninstalled`) or revokes the bot's token
    (`tokens_revoked`); its groups and records stay for their retention period.
    """

    __tablename__ = "slack_installations"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_name: Mapped[str | None] = mapped_column(String(255))
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    app_id: Mapped[str | None] = mapped_column(String(32))
    bot_token: Mapped[str] = mapped_column(Text)
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str | None] = mapped_column(Text)
    installed_at: Mapped[datetime] = mapped_column()


class SlackOAuthState(Base):
    """A random `state` given to someone starting "Add to Slack", usable once before it
    expires, so an install can't be started by someone else's link (kept in the database:
    the redirect may reach another instance, or come after a restart)."""

    __tablename__ = "slack_oauth_states"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
