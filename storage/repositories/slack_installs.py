"""Slack workspaces' installations, the `state` of installs under way, and which
workspace each group's channel and each person belongs to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult

from storage.models import Group, Membership, Person, SlackInstallation, SlackOAuthState
from storage.repositories.base import Repository


class SlackInstalls(Repository):
    """Installations (one a workspace), install states, and workspaces of channels."""

    async def bot(self, team_id: str) -> SlackInstallation | None:
        """The workspace's installation, if the app is installed there."""
        return await self.session.get(SlackInstallation, team_id)

    async def save(self, installation: SlackInstallation) -> None:
        """Keep a new installation, or replace the workspace's earlier one (a reinstall)."""
        await self.session.merge(installation)
        await self.session.flush()

    async def uninstall(self, team_id: str) -> bool:
        """Forget the workspace's installation (its token); False if there was none."""
        result = await self.session.execute(
            delete(SlackInstallation).where(SlackInstallation.team_id == team_id)
        )
        return bool(_count(result))

    async def issue_state(self, state: str, now: datetime, expires_at: datetime) -> None:
        """Keep a new install `state` until it expires (and drop expired ones)."""
        await self.session.execute(delete(SlackOAuthState).where(SlackOAuthState.expires_at <= now))
        self.session.add(SlackOAuthState(state=state, expires_at=expires_at))
        await self.session.flush()

    async def consume_state(self, state: str, now: datetime) -> bool:
        """Use up an install `state`: True once, if it was issued and has not expired."""
        result = await self.session.execute(
            delete(SlackOAuthState).where(
                SlackOAuthState.state == state, SlackOAuthState.expires_at > now
            )
        )
        return bool(_count(result))

    async def claim_channel(self, platform: str, channel_ref: str, workspace: str) -> None:
        """The group in this channel belongs to this workspace (unless it already has one)."""
        await self.session.execute(
            update(Group)
            .where(
                Group.platform == platform,
                Group.channel_ref == channel_ref,
                Group.workspace.is_(None),
            )
            .values(workspace=workspace)
        )

    async def workspace_of_channel(self, platform: str, channel_ref: str) -> str | None:
        """The workspace of the group in this channel, if it has one."""
        return await self.session.scalar(
            select(Group.workspace).where(
                Group.platform == platform, Group.channel_ref == channel_ref
            )
        )

    async def workspace_of_person(self, platform: str, external_id: str) -> str | None:
        """The workspace of a person: that of a group they are in."""
        return await self.session.scalar(
            select(Group.workspace)
            .join(Membership, Membership.group_id == Group.id)
            .join(Person, Person.id == Membership.person_id)
            .where(
                Person.platform == platform,
                Person.external_id == external_id,
                Group.workspace.is_not(None),
            )
            .limit(1)
        )

    async def groups_by_workspace(self, platform: str) -> list[tuple[str, str | None]]:
        """(channel, workspace) of every group on the platform."""
        rows = await self.session.execute(
            select(Group.channel_ref, Group.workspace).where(Group.platform == platform)
        )
        return [(channel, workspace) for channel, workspace in rows]


def _count(result: object) -> int:
    """Rows a DELETE or UPDATE touched."""
    return result.rowcount if isinstance(result, CursorResult) else 0
