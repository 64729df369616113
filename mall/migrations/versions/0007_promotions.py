"""promotions: versioned rule sets, the version a till sale used and what applied per line

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promotion_sets",
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_promotion_sets")),
    )
    with op.batch_alter_table("sales") as batch:
        batch.add_column(sa.Column("promo_version", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("sale_lines") as batch:
        batch.add_column(
            sa.Column("promotions", sa.Text(), nullable=False, server_default=sa.text("''"))
        )


def downgrade() -> None:
    with op.batch_alter_table("sale_lines") as batch:
        batch.drop_column("promotions")
    with op.batch_alter_table("sales") as batch:
        batch.drop_column("promo_version")
    op.drop_table("promotion_sets")
