"""numbered options of messages the bot sent on Matrix (answered by number or reaction)

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "choice_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("event_ref", sa.String(length=255), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=True),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("latest", sa.Boolean(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "event_ref"),
    )
    with op.batch_alter_table("choice_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_choice_messages_user_hash"), ["user_hash"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("choice_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_choice_messages_user_hash"))
    op.drop_table("choice_messages")
