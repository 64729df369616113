"""members: members, points and stored-value ledgers, holds, receipt claims, keys, H5 log-in

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", BIG_ID, nullable=False)


def _member_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["member_id"], ["members.id"], name=op.f(f"fk_{table}_member_id_members")
    )


def _settings_and_keys() -> None:
    op.create_table(
        "chain_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_chain_settings")),
    )
    op.create_table(
        "receipt_keys",
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("kid", sa.String(length=1), nullable=False),
        sa.Column("key_b64", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_receipt_keys_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("store_id", "kid", name=op.f("pk_receipt_keys")),
    )


def _members_and_ledgers() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("card_no", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("phone", name=op.f("uq_members_phone")),
        sa.UniqueConstraint("card_no", name=op.f("uq_members_card_no")),
    )
    op.create_table(
        "points_entries",
        _id(),
        sa.Column("member_id", sa.String(length=16), nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=True),
        _member_fk("points_entries"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_entries")),
    )
    op.create_index("ix_points_entries_member", "points_entries", ["member_id", "id"])
    op.create_table(
        "stored_value_entries",
        _id(),
        sa.Column("member_id", sa.String(length=16), nullable=False),
        sa.Column("delta_fen", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        _member_fk("stored_value_entries"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_value_entries")),
    )
    op.create_index("ix_stored_value_entries_member", "stored_value_entries", ["member_id", "id"])


def _holds_and_claims() -> None:
    op.create_table(
        "redemption_holds",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("request_key", sa.String(length=80), nullable=True),
        sa.Column("member_id", sa.String(length=16), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("sale_id", sa.String(length=36), nullable=True),
        sa.Column("settled_at", TIME, nullable=True),
        sa.Column("refunded_fen", sa.BigInteger(), nullable=False),
        sa.Column("refunded_units", sa.BigInteger(), nullable=False),
        _member_fk("redemption_holds"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redemption_holds")),
        sa.UniqueConstraint("request_key", name=op.f("uq_redemption_holds_request_key")),
    )
    op.create_index(op.f("ix_redemption_holds_member_id"), "redemption_holds", ["member_id"])
    op.create_table(
        "receipt_claims",
        _id(),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("till_id", sa.String(length=32), nullable=False),
        sa.Column("till_seq", sa.BigInteger(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("issued_at", TIME, nullable=False),
        sa.Column("member_id", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("reversed_points", sa.BigInteger(), nullable=False),
        sa.Column("sale_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("credited_at", TIME, nullable=True),
        _member_fk("receipt_claims"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_claims")),
        sa.UniqueConstraint("store_id", "till_id", "till_seq", name="uq_receipt_claims_receipt"),
    )
    op.create_index(op.f("ix_receipt_claims_member_id"), "receipt_claims", ["member_id"])


def _login() -> None:
    op.create_table(
        "sms_codes",
        _id(),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("used_at", TIME, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_codes")),
    )
    op.create_index(op.f("ix_sms_codes_phone"), "sms_codes", ["phone"])
    op.create_table(
        "rate_hits",
        _id(),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_hits")),
    )
    op.create_index("ix_rate_hits_scope_key", "rate_hits", ["scope", "key", "created_at"])
    op.create_table(
        "member_sessions",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=16), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        _member_fk("member_sessions"),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_member_sessions")),
    )
    op.create_index(op.f("ix_member_sessions_member_id"), "member_sessions", ["member_id"])


def upgrade() -> None:
    _settings_and_keys()
    _members_and_ledgers()
    _holds_and_claims()
    _login()


def downgrade() -> None:
    for table in (
        "member_sessions",
        "rate_hits",
        "sms_codes",
        "receipt_claims",
        "redemption_holds",
        "stored_value_entries",
        "points_entries",
        "members",
        "receipt_keys",
        "chain_settings",
    ):
        op.drop_table(table)
