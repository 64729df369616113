"""Pinyin keys stored cut at an older limit, computed again: what the till's and the mall's
migrations run when the limit grows (both tables are `products` with the same key columns)."""

from __future__ import annotations

import sqlalchemy as sa

from sync.pinyin import pinyin_keys

_products = sa.table(
    "products",
    sa.column("id", sa.BigInteger),
    sa.column("name", sa.String),
    sa.column("pinyin_full", sa.String),
    sa.column("pinyin_initials", sa.String),
)


def rekey_cut_names(connection: sa.Connection, *, cut_at: int) -> int:
    """Compute again the keys of every product whose full pinyin is cut_at letters or more
    long (it may have been cut there); the number of products."""
    cut = sa.select(_products.c.id, _products.c.name).where(
        sa.func.length(_products.c.pinyin_full) >= cut_at
    )
    rows = connection.execute(cut).all()
    for product_id, name in rows:
        full, initials = pinyin_keys(name)
        connection.execute(
            sa.update(_products)
            .where(_products.c.id == product_id)
            .values(pinyin_full=full, pinyin_initials=initials)
        )
    return len(rows)
