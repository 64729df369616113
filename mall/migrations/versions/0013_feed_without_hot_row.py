"""the change feed without a chain-wide hot row: changes written pending, numbered when published

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PENDING = sa.text("server_seq IS NULL")
POSTGRESQL = [
    "ALTER TABLE changes DROP CONSTRAINT pk_changes",
    "ALTER TABLE changes ALTER COLUMN server_seq DROP NOT NULL",
    "ALTER TABLE changes ADD COLUMN id BIGSERIAL",
    "ALTER TABLE changes ADD COLUMN changed_at TIMESTAMPTZ NOT NULL DEFAULT now()",
    "ALTER TABLE changes ALTER COLUMN changed_at DROP DEFAULT",
    "ALTER TABLE changes ADD CONSTRAINT pk_changes PRIMARY KEY (id)",
]


def _rebuild_on_sqlite() -> None:
    op.create_table(
        "changes_next",
        sa.Column("id", ID, nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("server_seq", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_changes"),
        sa.UniqueConstraint("entity", "scope", "key", name="uq_changes_key"),
    )
    op.execute(
        "INSERT INTO changes_next (entity, key, scope, changed_at, server_seq) "
        "SELECT entity, key, scope, CURRENT_TIMESTAMP, server_seq FROM changes "
        "ORDER BY server_seq"
    )
    op.drop_table("changes")
    op.rename_table("changes_next", "changes")
    op.create_index("ix_changes_scope_seq", "changes", ["scope", "server_seq"])


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL:
            op.execute(statement)
    else:
        _rebuild_on_sqlite()
    op.create_index("ux_changes_server_seq", "changes", ["server_seq"], unique=True)
    op.create_index(
        "ix_changes_pending",
        "changes",
        ["changed_at", "id"],
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_changes_pending", table_name="changes")
    op.drop_index("ux_changes_server_seq", table_name="changes")
    # Pending changes get numbers after the last published (unique, as ids are).
    op.execute(
        "UPDATE changes SET server_seq = (SELECT last_seq FROM feed_head WHERE id = 1) + id "
        "WHERE server_seq IS NULL"
    )
    op.execute(
        "UPDATE feed_head SET last_seq = last_seq + "
        "(SELECT COALESCE(MAX(id), 0) FROM changes) WHERE id = 1"
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_constraint("pk_changes", type_="primary")
        batch_op.drop_column("changed_at")
        batch_op.drop_column("id")
        batch_op.alter_column("server_seq", existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_primary_key("pk_changes", ["server_seq"])
