"""slack installations and oauth states; each group's workspace

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 01:48:00.857925
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_installations",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("team_name", sa.String(255), nullable=True),
        sa.Column("enterprise_id", sa.String(32), nullable=True),
        sa.Column("app_id", sa.String(32), nullable=True),
        sa.Column("bot_token", sa.Text(), nullable=False),
        sa.Column("bot_id", sa.String(32), nullable=True),
        sa.Column("bot_user_id", sa.String(32), nullable=True),
        sa.Column("bot_scopes", sa.Text(), nullable=True),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("state", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_slack_oauth_states_expires_at", "slack_oauth_states", ["expires_at"])
    with op.batch_alter_table("groups") as batch:
        batch.add_column(sa.Column("workspace", sa.String(32), nullable=True))
        batch.create_index("ix_groups_workspace", ["workspace"])


def downgrade() -> None:
    with op.batch_alter_table("groups") as batch:
        batch.drop_index("ix_groups_workspace")
        batch.drop_column("workspace")
    op.drop_index("ix_slack_oauth_states_expires_at", table_name="slack_oauth_states")
    op.drop_table("slack_oauth_states")
    op.drop_table("slack_installations")
