"""long names' pinyin kept whole: the keys cut at 400 letters before are computed again (up
to 720: 120 characters of six-letter syllables), and a shop's own reading may be as long
(839: 120 syllables and the spaces between), its initials split out to the end

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

from alembic import op

from sync.pinyin_rekey import rekey_cut_names

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OLD_MAX, MAX_POSITION = 400, 839


def upgrade() -> None:
    op.execute(
        f"""INSERT INTO search_positions WITH RECURSIVE n(i) AS (SELECT {OLD_MAX + 1}
        UNION ALL SELECT i + 1 FROM n WHERE i < {MAX_POSITION}) SELECT i FROM n"""
    )
    rekey_cut_names(op.get_bind(), cut_at=OLD_MAX)


def downgrade() -> None:
    op.execute(f"DELETE FROM search_positions WHERE i > {OLD_MAX}")
