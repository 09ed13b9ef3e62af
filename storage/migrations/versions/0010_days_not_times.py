"""keep only the day in Matrix's handled-event and direct-room rows written before 0009

A time of day there could be matched to when someone wrote a concern; the code
now writes the start of the day, and this rounds the rows written before.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROWS = (
    sa.table(
        "inbox_events",
        sa.column("id", sa.Integer),
        sa.column("handled_at", sa.DateTime(timezone=True)),
    ),
    sa.table(
        "direct_channels",
        sa.column("id", sa.Integer),
        sa.column("last_used_at", sa.DateTime(timezone=True)),
    ),
)


def upgrade() -> None:
    bind = op.get_bind()
    for table in _ROWS:
        when = next(c for c in table.columns if c.name != "id")
        for row_id, value in bind.execute(sa.select(table.c.id, when)).all():
            if value is None:
                continue
            day = value.replace(hour=0, minute=0, second=0, microsecond=0)
            if day != value:
                bind.execute(sa.update(table).where(table.c.id == row_id).values({when: day}))


def downgrade() -> None:
    """The times of day are gone; nothing to restore."""
