"""each group's next due time, so the delivery engine plans only groups with work;
deliveries indexed by status, so finding the ones in doubt reads no history

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("groups") as batch:
        batch.add_column(sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("planned_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("replans", sa.Integer(), server_default="0", nullable=False))
        batch.create_index("ix_groups_next_due_at", ["next_due_at"])
    op.create_index("ix_deliveries_status", "deliveries", ["status"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_status", table_name="deliveries")
    with op.batch_alter_table("groups") as batch:
        batch.drop_index("ix_groups_next_due_at")
        batch.drop_column("replans")
        batch.drop_column("planned_at")
        batch.drop_column("next_due_at")
