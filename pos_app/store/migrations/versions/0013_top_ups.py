"""top-ups: stored value bought at the till, its tenders, and the code payments it used

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 17:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "top_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("top_up_no", sa.String(length=32), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("cashier_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("bonus_fen", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name=op.f("fk_top_ups_shift_id_shifts")
        ),
        sa.ForeignKeyConstraint(
            ["cashier_id"], ["staff.id"], name=op.f("fk_top_ups_cashier_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_top_ups")),
        sa.UniqueConstraint("top_up_no", name=op.f("uq_top_ups_top_up_no")),
    )
    op.create_index(op.f("ix_top_ups_shift_id"), "top_ups", ["shift_id"])
    op.create_table(
        "top_up_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("top_up_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("tendered_fen", sa.Integer(), nullable=False),
        sa.Column("change_fen", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["top_up_id"], ["top_ups.id"], name=op.f("fk_top_up_payments_top_up_id_top_ups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_top_up_payments")),
    )
    op.create_index(op.f("ix_top_up_payments_top_up_id"), "top_up_payments", ["top_up_id"])
    with op.batch_alter_table("payment_attempts") as batch:
        batch.add_column(sa.Column("top_up_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_payment_attempts_top_up_id_top_ups"), "top_ups", ["top_up_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_attempts") as batch:
        batch.drop_constraint(op.f("fk_payment_attempts_top_up_id_top_ups"), type_="foreignkey")
        batch.drop_column("top_up_id")
    op.drop_table("top_up_payments")
    op.drop_table("top_ups")
