"""outbox events the mall recorded as conflicts: kept, not delivered, shown to the till

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_conflicts",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["outbox.id"], name=op.f("fk_outbox_conflicts_event_id_outbox")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_outbox_conflicts")),
    )


def downgrade() -> None:
    op.drop_table("outbox_conflicts")
