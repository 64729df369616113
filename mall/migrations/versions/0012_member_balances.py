"""member balances kept as rows beside the points and stored-value ledgers

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The earliest expiry of any lot is a safe first check: the expiry job recomputes it.
BACKFILL = """
INSERT INTO member_balances (member_id, points, stored_value_fen, points_check_at)
SELECT m.id,
       COALESCE((SELECT SUM(p.delta) FROM points_entries p WHERE p.member_id = m.id), 0),
       COALESCE((SELECT SUM(s.delta_fen) FROM stored_value_entries s WHERE s.member_id = m.id), 0),
       (SELECT MIN(p.expires_at) FROM points_entries p WHERE p.member_id = m.id AND p.delta > 0)
FROM members m
"""


def upgrade() -> None:
    op.create_table(
        "member_balances",
        sa.Column("member_id", sa.String(length=16), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("stored_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("points_check_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_balances_member_id_members")
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_balances")),
    )
    with op.batch_alter_table("member_balances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_balances_points_check_at"), ["points_check_at"], unique=False
        )
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("member_balances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_balances_points_check_at"))
    op.drop_table("member_balances")
