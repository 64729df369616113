"""payments: payment-code charges and refunds, and the sandbox provider's books

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _times(*names: str) -> list[sa.Column[object]]:
    return [sa.Column(name, sa.DateTime(timezone=True), nullable=False) for name in names]


def _create_payments() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("till_id", sa.String(length=32), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("sale_draft_id", sa.String(length=64), nullable=False),
        sa.Column("attempt_no", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=8), nullable=False),
        sa.Column("gateway", sa.String(length=16), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("code_masked", sa.String(length=32), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("provider_txn_id", sa.String(length=64), nullable=False),
        sa.Column("error_code", sa.String(length=32), nullable=False),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.Column("refunded_fen", sa.BigInteger(), nullable=False),
        *_times("created_at", "updated_at", "deadline_at", "next_query_at"),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_payments_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_payments_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("store_id", "idempotency_key", name="uq_payments_idempotency"),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index("ix_payments_status_next", ["status", "next_query_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_store_id"), ["store_id"], unique=False)
    op.create_table(
        "payment_refunds",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("payment_id", sa.String(length=32), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("provider_refund_id", sa.String(length=64), nullable=False),
        sa.Column("message", sa.String(length=200), nullable=False),
        *_times("created_at", "updated_at"),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_payment_refunds_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_refunds")),
        sa.UniqueConstraint("payment_id", "idempotency_key", name="uq_payment_refunds_idempotency"),
    )
    with op.batch_alter_table("payment_refunds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_refunds_payment_id"), ["payment_id"], unique=False
        )


def _create_sandbox() -> None:
    op.create_table(
        "sandbox_trades",
        sa.Column("out_trade_no", sa.String(length=64), nullable=False),
        sa.Column("transaction_id", sa.String(length=32), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("scenario", sa.String(length=16), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        *_times("created_at", "resolves_at"),
        sa.PrimaryKeyConstraint("out_trade_no", name=op.f("pk_sandbox_trades")),
        sa.UniqueConstraint("code_sha256", name=op.f("uq_sandbox_trades_code_sha256")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_sandbox_trades_transaction_id")),
    )
    op.create_table(
        "sandbox_ledger",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("out_trade_no", sa.String(length=64), nullable=False),
        sa.Column("entry", sa.String(length=12), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        *_times("created_at"),
        sa.ForeignKeyConstraint(
            ["out_trade_no"],
            ["sandbox_trades.out_trade_no"],
            name=op.f("fk_sandbox_ledger_out_trade_no_sandbox_trades"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_ledger")),
        sa.UniqueConstraint("out_trade_no", "entry", "ref", name="uq_sandbox_ledger_entry"),
    )


def upgrade() -> None:
    _create_payments()
    _create_sandbox()


def downgrade() -> None:
    for table in ("sandbox_ledger", "sandbox_trades", "payment_refunds", "payments"):
        op.drop_table(table)
