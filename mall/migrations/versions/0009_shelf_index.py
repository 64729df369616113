"""shelf index: a store's shelf by category pages through products in id order

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_products_category_status_id", "products", ["category", "status", "id"])


def downgrade() -> None:
    op.drop_index("ix_products_category_status_id", table_name="products")
