"""product popularity: units sold per product, halved for every week since, kept by checkout
and read by search to rank equal matches

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 20:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "product_popularity",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_popularity")),
    )


def downgrade() -> None:
    op.drop_table("product_popularity")
