"""promotions: the rule set versions the mall sent, the version each sale used, what applied

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promotion_sets",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_promotion_sets")),
    )
    op.create_table(
        "sale_rule_versions",
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_sale_rule_versions_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_sale_rule_versions")),
    )
    op.create_table(
        "sale_promotions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("discount_fen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_sale_promotions_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale_promotions")),
    )
    op.create_index(op.f("ix_sale_promotions_sale_id"), "sale_promotions", ["sale_id"])
    op.create_index(op.f("ix_sale_promotions_rule_id"), "sale_promotions", ["rule_id"])


def downgrade() -> None:
    op.drop_table("sale_promotions")
    op.drop_table("sale_rule_versions")
    op.drop_table("promotion_sets")
