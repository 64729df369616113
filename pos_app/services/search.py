"""Product search for the search dialog: barcode or code, pinyin initials, name substring.

Every query goes through an index and stops after `limit` hits, so it stays fast at 1,000,000
SKUs: digits use the barcode and sku indexes; ASCII letters the pinyin-initials index
(kkkl → 可口可乐) plus the FTS5 trigram index; words of three or more characters the trigram
index. The trigram index cannot see two Hanzi ("可乐"), so those are looked up by their pinyin
readings (kele, keyue, ...) in the same index and checked against the name. A query with no
indexable word (a single character, like 鱼) scans the first SCAN_ROWS products in id order:
complete for a catalog of that size, a bounded ~20 ms look at the start of a bigger one.
Only active products are found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, column, func, select, table
from sqlalchemy import text as sql_text
from sqlalchemy.orm import InstrumentedAttribute, Session

from pos_app.domain.barcodes import BarcodeKind, InvalidBarcode, parse_barcode
from pos_app.services.pinyin import hanzi_readings, is_hanzi, pinyin_keys
from pos_app.services.till import scale_layouts
from pos_app.store.models import Barcode, Product

DEFAULT_LIMIT = 50
TRIGRAM = 3  # the FTS5 trigram index only finds substrings of at least three characters
SCAN_ROWS = 100_000  # a query no index can serve looks at the first this many products (~20 ms)

_DIGITS = re.compile(r"^[0-9]+$")
_ASCII_WORD = re.compile(r"^[a-z0-9]+$")
_fts = table("products_fts", column("rowid"))

HitQuery = Select  # rows: product_id, sku, name, price, member price, unit, barcode, weighed


@dataclass(frozen=True)
class ProductHit:
    """One search result, enough to show a row and put the item in the cart."""

    product_id: int
    sku: str
    name: str
    price_fen: int
    member_price_fen: int | None
    unit: str
    barcode: str | None
    weighed: bool


def _hits_query() -> HitQuery:
    """Active products with the columns of a ProductHit, in its field order."""
    first_barcode = (
        select(func.min(Barcode.code))
        .where(Barcode.product_id == Product.id)
        .correlate_except(Barcode)
        .scalar_subquery()
    )
    return select(
        Product.id,
        Product.sku,
        Product.name,
        Product.price_fen,
        Product.member_price_fen,
        Product.unit,
        first_barcode,
        Product.weighed,
    ).where(Product.status == "active")


_HITS = _hits_query()  # built once; every search adds its conditions to a copy


def _next_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with prefix."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _prefix(col: InstrumentedAttribute[str], prefix: str) -> ColumnElement[bool]:
    """col starts with prefix, written as a range so the column's index is used."""
    return (col >= prefix) & (col < _next_prefix(prefix))


def _code_queries(session: Session, code: str) -> list[HitQuery]:
    """Exact barcode (normalised, e.g. UPC-A), or the PLU of a scale barcode; then sku prefix."""
    try:
        parsed = parse_barcode(code, scale_layouts(session))
    except InvalidBarcode:
        parsed = None
    if parsed is not None and parsed.kind is BarcodeKind.SCALE:
        exact = _HITS.where(Product.plu_code == parsed.scale_item_code)
    else:
        codes = {code} if parsed is None else {code, parsed.code}
        exact = _HITS.join(Barcode).where(Barcode.code.in_(codes))
    return [exact, _HITS.where(_prefix(Product.sku, code)).order_by(Product.sku)]


def _initials_query(word: str) -> HitQuery:
    query = _HITS.where(_prefix(Product.pinyin_initials, word))
    return query.order_by(Product.pinyin_initials, Product.id)


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fts_clause(word: str) -> str | None:
    """The trigram-index condition that every name containing word meets, if there is one.

    A word of three or more characters is looked up as it is. A two-Hanzi word is looked up by
    its pinyin readings (可乐 → "kele" OR "keyue" ...) when each has three or more letters; the
    caller keeps only names that really contain the word. One character is too unspecific for
    this (耐 nai is inside every 牛奶 niunai): it gets no clause.
    """
    if len(word) >= TRIGRAM:
        return _fts_phrase(word)
    readings = hanzi_readings(word) if len(word) == 2 and is_hanzi(word) else frozenset()
    if not readings or min(len(r) for r in readings) < TRIGRAM:
        return None
    return "pinyin_full : (" + " OR ".join(_fts_phrase(r) for r in sorted(readings)) + ")"


def _words_query(words: Sequence[str]) -> HitQuery:
    """Products whose name (or pinyin) contains every word.

    The trigram index finds candidates in rowid order, so SQLite stops at the limit; words too
    short for it filter those candidates with LIKE. With no indexable word at all (a single
    character), the first SCAN_ROWS products are scanned in id order until `limit` match.
    """
    query = _HITS
    for word in words:
        if len(word) < TRIGRAM:
            query = query.where(Product.name.contains(word, autoescape=True))
    clauses = [c for c in map(_fts_clause, words) if c is not None]
    if not clauses:
        first_id = select(func.min(Product.id)).correlate(None).scalar_subquery()
        return query.where(Product.id < first_id + SCAN_ROWS).order_by(Product.id)
    match = sql_text("products_fts MATCH :match").bindparams(match=" AND ".join(clauses))
    query = query.join(_fts, _fts.c.rowid == Product.id).where(match)
    return query.order_by(_fts.c.rowid)


def _merge(session: Session, queries: Sequence[HitQuery], limit: int) -> list[ProductHit]:
    """Hits of each query in turn, without repeats, until there are `limit` of them."""
    found: dict[int, ProductHit] = {}
    for query in queries:
        if len(found) >= limit:
            break
        for row in session.execute(query.limit(limit)):
            found.setdefault(row[0], ProductHit(*row))
    return list(found.values())[:limit]


def _queries(session: Session, words: list[str]) -> list[HitQuery]:
    if len(words) == 1 and _DIGITS.match(words[0]):
        return _code_queries(session, words[0])
    if len(words) == 1 and _ASCII_WORD.match(words[0]):
        if len(words[0]) < TRIGRAM:
            return [_initials_query(words[0])]
        return [_initials_query(words[0]), _words_query(words)]
    return [_words_query(words)]


def prepare_search() -> None:
    """Load pypinyin's dictionaries now (about half a second, once per process) so that the
    first search a cashier types is not the slow one. Call it from a worker thread at start."""
    hanzi_readings("可乐")
    pinyin_keys("可乐")


def search_products(session: Session, text: str, *, limit: int = DEFAULT_LIMIT) -> list[ProductHit]:
    """Find active products for what the cashier typed: a code, pinyin, or part of the name."""
    words = text.strip().lower().split()
    if not words or limit <= 0:
        return []
    return _merge(session, _queries(session, words), limit)
