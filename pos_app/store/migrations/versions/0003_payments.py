"""payments: payment-code attempts (with their cart) and the queue of refunds owed to codes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_attempts",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("draft_id", sa.String(length=64), nullable=False),
        sa.Column("attempt_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("code_masked", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("mall_payment_id", sa.String(length=32), nullable=True),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.Column("cart_json", sa.Text(), nullable=False),
        sa.Column("tenders_json", sa.Text(), nullable=False),
        sa.Column("cashier_id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cashier_id"], ["staff.id"], name=op.f("fk_payment_attempts_cashier_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_payment_attempts_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_attempts")),
        sa.UniqueConstraint("draft_id", "attempt_no", name="uq_payment_attempts_no"),
        sa.UniqueConstraint("mall_payment_id", name=op.f("uq_payment_attempts_mall_payment_id")),
    )
    with op.batch_alter_table("payment_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_attempts_state"), ["state"], unique=False)
    op.create_table(
        "payment_refund_queue",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("mall_payment_id", sa.String(length=32), nullable=False),
        sa.Column("refund_sale_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["refund_sale_id"],
            ["sales.id"],
            name=op.f("fk_payment_refund_queue_refund_sale_id_sales"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_refund_queue")),
    )
    with op.batch_alter_table("payment_refund_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_refund_queue_state"), ["state"], unique=False)


def downgrade() -> None:
    op.drop_table("payment_refund_queue")
    op.drop_table("payment_attempts")
