"""outbox: a partial index over the events the mall has not acknowledged yet, so the pusher and
the acks never walk the acknowledged history

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 03:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_outbox_unacked",
        "outbox",
        ["device_seq"],
        sqlite_where=sa.text("acked_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_unacked", table_name="outbox")
