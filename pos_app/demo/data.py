"""Demo data: a realistic Chinese convenience-store catalog of any size, and the demo store.

The catalog is deterministic for a seed (tests and benches rely on it) and fast enough for
1,000,000 SKUs: names come from a few thousand templates whose pinyin is computed once, rows go in
through the raw DBAPI connection with executemany in one transaction, and the search index is
built in one pass at the end instead of row by row.
"""

from __future__ import annotations

import itertools
import random
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.demo.staff import DEMO_STAFF, DEMO_STORE, DEMO_TILL
from pos_app.demo.vocabulary import CATEGORIES, FRESH, CategoryWords
from pos_app.domain.gtin import make_ean13
from pos_app.domain.scale_layouts import DEFAULT_PRICE_LAYOUT, make_scale_barcode
from pos_app.services.auth import hash_pin
from pos_app.services.catalog_import import ensure_categories
from pos_app.services.pinyin import pinyin_keys
from pos_app.store.db import Database
from pos_app.store.models import Barcode, Product, Staff, Store, Till
from pos_app.store.search_index import search_index_paused

BATCH_SIZE = 50_000
CASE_SIZE = 12  # this many or more in one pack is a case (箱)
WEIGHED_EVERY = 50  # one product in 50 is a weighed fresh item with a scale PLU
MAX_PLU = 99_999  # five PLU digits in the default scale layouts
SECOND_BARCODE_PERCENT = 3
MEMBER_PRICE_PERCENT = 25
COST_PERCENT = 70
CHINA_PREFIXES = 10  # GS1 China: 690-699
EAN_BODY_SPACE = 1_000_000_000  # nine digits after the three-digit prefix


_PRODUCT_COLUMNS = (
    "id",
    "sku",
    "name",
    "pinyin_full",
    "pinyin_initials",
    "unit",
    "price_fen",
    "member_price_fen",
    "cost_fen",
    "tax_rate_bp",
    "category_id",
    "weighed",
    "plu_code",
    "status",
    "updated_at",
)
_BARCODE_COLUMNS = ("code", "product_id")
_STOCK_COLUMNS = ("product_id", "delta", "reason", "ref", "created_at")


class DemoDataError(RuntimeError):
    """Demo data cannot be generated into this database; the message says why."""


@dataclass(frozen=True)
class DemoStats:
    """What generate_demo_catalog wrote and how long it took."""

    skus: int
    barcodes: int
    weighed: int
    categories: int
    seconds: float


@dataclass(frozen=True)
class _Template:
    """A product as named and priced on the shelf (one SKU each: see _Deck)."""

    name: str
    pinyin_full: str
    pinyin_initials: str
    unit: str
    price_fen: int
    tax_rate_bp: int
    category_id: int


@dataclass
class _Batch:
    products: list[tuple[object, ...]]
    barcodes: list[tuple[str, int]]
    stock: list[tuple[object, ...]]


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _keys_of_parts(parts: Sequence[str], cache: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """Pinyin keys of a name from its space-separated parts, each part computed only once."""
    for part in parts:
        if part not in cache:
            cache[part] = pinyin_keys(part)
    return "".join(cache[p][0] for p in parts), "".join(cache[p][1] for p in parts)


def _price_fen(rng: random.Random, low_fen: int, high_fen: int, multiplier: int) -> int:
    """A shelf price: whole jiao, sometimes ending in 9 fen (¥12.99 rather than ¥13.00)."""
    jiao = rng.randrange(low_fen // 10, high_fen // 10 + 1) * multiplier
    return jiao * 10 - (1 if rng.random() < 0.3 else 0)


def pack_unit(unit: str, pack: str, multiplier: int) -> str:
    """The unit a pack is sold by: a ×24 case of bottles is one 箱, a ×6 one 组, not a 瓶."""
    if multiplier <= 1:
        return unit
    if "箱" in pack or multiplier >= CASE_SIZE:
        return "箱"
    return "包" if "包" in pack else "组"


def _templates(
    rng: random.Random, words: CategoryWords, category_id: int, cache: dict[str, tuple[str, str]]
) -> list[_Template]:
    templates = []
    for group in words.groups:
        for line, spec, (pack, multiplier) in itertools.product(
            group.lines, group.specs, group.packs
        ):
            parts = [p for p in (line, spec, pack) if p]
            full, initials = _keys_of_parts(parts, cache)
            price = _price_fen(rng, *group.price_fen, multiplier)
            templates.append(
                _Template(
                    " ".join(parts),
                    full,
                    initials,
                    pack_unit(words.unit, pack, multiplier),
                    price,
                    words.tax_rate_bp,
                    category_id,
                )
            )
    return templates


# What tells a product apart from another of the same line, spec and pack, as shops name them.
PACKED_VARIANTS = ("新包装", "家庭装", "量贩装", "促销装", "礼盒装", "升级款", "经典款", "特惠装")
FRESH_VARIANTS = ("精选", "特级", "本地", "当季", "优选", "鲜采", "农家", "基地直供")


class _Deck:
    """Templates dealt in a shuffled order without repeats: once every one was dealt, the next
    pass deals them again with a variant word (新包装, 家庭装, … then 第N款) and prices drawn
    anew from their ranges, so no two products of a catalog share a name."""

    def __init__(
        self,
        rng: random.Random,
        make: Callable[[], list[_Template]],
        variants: Sequence[str],
        cache: dict[str, tuple[str, str]],
    ) -> None:
        self.rng, self.make, self.cache = rng, make, cache
        self.templates = make()
        # A variant word that is also a word of some name (a 礼盒装 pack) could repeat a name.
        used = {part for template in self.templates for part in template.name.split(" ")}
        self.variants = [word for word in variants if word not in used]
        self.order = list(range(len(self.templates)))
        rng.shuffle(self.order)
        self.position = self.passes = 0

    def deal(self) -> _Template:
        if self.position == len(self.order):
            self.position, self.passes = 0, self.passes + 1
            self.templates = self.make()
            self.rng.shuffle(self.order)
        template = self.templates[self.order[self.position]]
        self.position += 1
        return template if self.passes == 0 else self._variant(template)

    def _variant(self, template: _Template) -> _Template:
        n, words = self.passes, self.variants
        variant = words[n - 1] if n <= len(words) else f"第{n - len(words) + 1}款"
        parts = [*template.name.split(" "), variant]
        full, initials = _keys_of_parts(parts, self.cache)
        return replace(template, name=" ".join(parts), pinyin_full=full, pinyin_initials=initials)


class _Generator:
    """Makes product, barcode and stock rows for SKU numbers 0, 1, 2, ... deterministically."""

    def __init__(self, seed: int, skus: int, category_ids: dict[str, int], now: str) -> None:
        self.rng = random.Random(seed)
        cache: dict[str, tuple[str, str]] = {}
        rng = self.rng

        def counted() -> list[_Template]:
            return [
                t
                for words in CATEGORIES
                for t in _templates(rng, words, category_ids[words.name], cache)
            ]

        def fresh() -> list[_Template]:
            return _templates(rng, FRESH, category_ids[FRESH.name], cache)

        self.counted = _Deck(rng, counted, PACKED_VARIANTS, cache)
        self.fresh = _Deck(rng, fresh, FRESH_VARIANTS, cache)
        self.ean_step = self._coprime_step()
        self.ean_offset = self.rng.randrange(EAN_BODY_SPACE)
        self.skus = skus
        self.now = now
        self.plu_count = 0
        self.barcode_count = 0

    def _coprime_step(self) -> int:
        """A multiplier coprime to 10**9, so index → EAN body is one-to-one."""
        step = self.rng.randrange(EAN_BODY_SPACE // 10, EAN_BODY_SPACE) | 1
        return step + 2 if step % 5 == 0 else step

    def ean13(self, index: int) -> str:
        number = (index * self.ean_step + self.ean_offset) % EAN_BODY_SPACE
        return make_ean13(f"{690 + index % CHINA_PREFIXES}{number:09d}")

    def batch(self, first_id: int, start: int, stop: int) -> _Batch:
        batch = _Batch([], [], [])
        for index in range(start, stop):
            self._add(batch, first_id + index, index)
        self.barcode_count += len(batch.barcodes)
        return batch

    def _add(self, batch: _Batch, product_id: int, index: int) -> None:
        rng = self.rng
        weighed = index % WEIGHED_EVERY == WEIGHED_EVERY - 1 and self.plu_count < MAX_PLU
        template = (self.fresh if weighed else self.counted).deal()
        price = template.price_fen
        member = price * 9 // 100 * 10 if rng.randrange(100) < MEMBER_PRICE_PERCENT else None
        cost = price * rng.randrange(60, 86) // 100 if rng.randrange(100) < COST_PERCENT else None
        plu = None
        if weighed:
            self.plu_count += 1
            plu = f"{self.plu_count:05d}"
            delta = rng.randrange(5, 50) * 1000  # grams
        else:
            delta = rng.randrange(12, 240)
            batch.barcodes.append((self.ean13(index), product_id))
            if rng.randrange(100) < SECOND_BARCODE_PERCENT:
                batch.barcodes.append((self.ean13(self.skus + index), product_id))
        batch.products.append(
            (
                product_id,
                f"{index + 1:06d}",
                template.name,
                template.pinyin_full,
                template.pinyin_initials,
                template.unit,
                price,
                member,
                cost,
                template.tax_rate_bp,
                template.category_id,
                weighed,
                plu,
                "active",
                self.now,
            )
        )
        batch.stock.append((product_id, delta, "receive", "demo", self.now))


def _raw_connection(session: Session) -> sqlite3.Connection:
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _shrink_wal(db: Database) -> None:
    """Copy the load into the database file and truncate the WAL it passed through (for 1M SKUs
    that is ~600 MB that would otherwise stay on disk while the app runs)."""
    connection = db.write_engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        connection.close()


def _batches(generator: _Generator, skus: int, first_id: int) -> Iterator[_Batch]:
    for start in range(0, skus, BATCH_SIZE):
        yield generator.batch(first_id, start, min(start + BATCH_SIZE, skus))


def _bulk_insert(session: Session, generator: _Generator, skus: int) -> None:
    """Insert all rows with the search index paused, then index their names in one pass."""
    raw = _raw_connection(session)
    products_sql = _insert_sql("products", _PRODUCT_COLUMNS)
    barcodes_sql = _insert_sql("barcodes", _BARCODE_COLUMNS)
    stock_sql = _insert_sql("stock_moves", _STOCK_COLUMNS)
    with search_index_paused(session):
        for batch in _batches(generator, skus, first_id=1):
            raw.executemany(products_sql, batch.products)
            raw.executemany(barcodes_sql, batch.barcodes)
            raw.executemany(stock_sql, batch.stock)


def generate_demo_catalog(db: Database, skus: int, *, seed: int = 1) -> DemoStats:
    """Fill an empty catalog with `skus` demo products, barcodes and a stock receipt for each.

    The same seed always gives the same products, prices, barcodes and PLUs.
    Raises DemoDataError if the catalog already has products.
    """
    if skus < 0:
        raise DemoDataError(f"Number of SKUs must not be negative, got {skus}")
    started = time.perf_counter()
    now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    with db.write() as session:
        existing = session.scalar(select(Product.id).limit(1))
        if existing is not None:
            raise DemoDataError("The catalog already has products; demo data needs an empty one")
        names = [words.name for words in (*CATEGORIES, FRESH)]
        generator = _Generator(seed, skus, ensure_categories(session, names), now)
        _bulk_insert(session, generator, skus)
    _shrink_wal(db)
    return DemoStats(
        skus=skus,
        barcodes=generator.barcode_count,
        weighed=generator.plu_count,
        categories=len(CATEGORIES) + 1,
        seconds=time.perf_counter() - started,
    )


def seed_demo_store(db: Database) -> None:
    """Create the demo store S001, till T01 and three staff (cashier, manager, supervisor).

    Existing rows are left alone, so running it twice is harmless.
    """
    with db.write() as session:
        if session.get(Store, DEMO_STORE[0]) is None:
            session.add(Store(id=DEMO_STORE[0], name=DEMO_STORE[1]))
        if session.get(Till, DEMO_TILL[0]) is None:
            session.add(Till(id=DEMO_TILL[0], store_id=DEMO_STORE[0], name=DEMO_TILL[1]))
        known = set(session.scalars(select(Staff.code)))
        for code, name, role, pin in DEMO_STAFF:
            if code not in known:
                session.add(Staff(code=code, name=name, role=role, pin_hash=hash_pin(pin)))


def sample_barcodes(session: Session, count: int) -> list[str]:
    """Barcodes of the first `count` products that have one, in product order."""
    query = select(Barcode.code).order_by(Barcode.product_id, Barcode.code).limit(count)
    return list(session.scalars(query))


def first_barcodes(db: Database, count: int) -> list[str]:
    """sample_barcodes in a read of its own, for a caller that holds only the Database."""
    with db.read() as session:
        return sample_barcodes(session, count)


def spread_barcodes(session: Session, count: int, *, seed: int = 1) -> list[str]:
    """Barcodes of about `count` products picked at random over the whole catalog, the same ones
    for the same seed: what benches scan, so the lookups are not all in one warm corner."""
    last_id = session.scalar(select(func.max(Product.id))) or 0
    rng = random.Random(seed)
    ids = rng.sample(range(1, last_id + 1), min(last_id, count + count // 10 + 1))
    codes = sorted(session.scalars(select(Barcode.code).where(Barcode.product_id.in_(ids))))
    rng.shuffle(codes)
    return codes[:count]


def sample_scale_barcodes(session: Session, count: int) -> list[str]:
    """Scale barcodes (default price layout) for one kilogram of each of the first `count`
    weighed products."""
    query = (
        select(Product.plu_code, Product.price_fen)
        .where(Product.plu_code.is_not(None))
        .order_by(Product.id)
        .limit(count)
    )
    layout = DEFAULT_PRICE_LAYOUT
    return [
        make_scale_barcode(layout, str(plu), price_fen=price)
        for plu, price in session.execute(query)
    ]
