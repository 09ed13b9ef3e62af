"""platform state, direct channels and handled events (Matrix sync position, DMs, replays)

Revision ID: 0003
Revises: 0007
Create Date: 2026-11-22 09:00:00

Revises 0007 (not 0002) only because 0007 was already the single head when
this was written; the order of the two does not matter, they touch no common table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "platform_state",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "name"),
    )
    op.create_table(
        "direct_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("channel_ref", sa.String(length=255), nullable=False),
        sa.Column("user_ref", sa.String(length=255), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "channel_ref"),
    )
    with op.batch_alter_table("direct_channels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_direct_channels_user_ref"), ["user_ref"], unique=False)
    op.create_table(
        "inbox_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("event_ref", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "event_ref"),
    )


def downgrade() -> None:
    op.drop_table("inbox_events")
    with op.batch_alter_table("direct_channels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_direct_channels_user_ref"))
    op.drop_table("direct_channels")
    op.drop_table("platform_state")
