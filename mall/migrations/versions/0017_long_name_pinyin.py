"""long names' pinyin kept whole: pinyin_full holds 720 letters (120 characters of six-letter
syllables), and the keys cut at 400 letters before are computed again

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sync.pinyin_rekey import rekey_cut_names

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OLD_MAX, FULL_MAX = 400, 720


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.alter_column(
            "pinyin_full",
            type_=sa.String(length=FULL_MAX),
            existing_type=sa.String(length=OLD_MAX),
            existing_nullable=False,
        )
    rekey_cut_names(op.get_bind(), cut_at=OLD_MAX)


def downgrade() -> None:
    op.execute(
        f"UPDATE products SET pinyin_full = substr(pinyin_full, 1, {OLD_MAX})"
        f" WHERE length(pinyin_full) > {OLD_MAX}"
    )
    with op.batch_alter_table("products") as batch:
        batch.alter_column(
            "pinyin_full",
            type_=sa.String(length=OLD_MAX),
            existing_type=sa.String(length=FULL_MAX),
            existing_nullable=False,
        )
