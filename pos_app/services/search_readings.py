"""The shop's own pinyin reading of a product name, for names the dictionary reads wrong
(单县羊肉汤 read dan xian): searched besides the dictionary's keys (migration 0009's index)."""

from __future__ import annotations

import re

from sqlalchemy import column, select, table, update

from pos_app.services.errors import ServiceError
from pos_app.store.db import Database
from sync.pinyin import FULL_MAX, NAME_MAX

MAX_READING = FULL_MAX + NAME_MAX - 1  # a syllable per character, spaces between (0014)
_READING = re.compile(r"^[a-z]+( [a-z]+)*$")
_products = table("products", column("sku"), column("pinyin_reading"))


class InvalidReading(ServiceError):
    """A reading that is not pinyin syllables in lower-case letters, or an unknown product."""


def set_pinyin_reading(db: Database, *, sku: str, reading: str | None) -> None:
    """Store "shan xian yang rou tang" (syllables, spaces between, ü as v) for the product, or
    clear it with None. The search index follows at once (its triggers watch the column)."""
    if reading is not None:
        reading = " ".join(reading.lower().replace("ü", "v").split())
        if not _READING.match(reading) or len(reading) > MAX_READING:
            raise InvalidReading(
                f"A reading is pinyin syllables in letters, e.g. 'shan xian': {reading!r}"
            )
    with db.write() as session:
        found = session.scalar(select(_products.c.sku).where(_products.c.sku == sku))
        if found is None:
            raise InvalidReading(f"No product with SKU {sku}", code="product_missing", id=sku)
        session.execute(
            update(_products).where(_products.c.sku == sku).values(pinyin_reading=reading)
        )
