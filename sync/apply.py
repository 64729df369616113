"""Writing what the mall sends into the till's database, in the caller's transaction.

Products are upserted by sku with their full barcode lists (a code that moved to another
product moves here too) and category; a tombstone marks a product deleted and frees its
barcodes and PLU (the row stays: old sales point at it). Applying the same data twice changes
nothing, so a page can be re-applied after a crash.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from pos_app.domain.promotion_rules import PromotionRuleError, RuleSet
from pos_app.store.models import Barcode, Product, PromotionSet, utc_now
from pos_app.store.search_index import last_product_id
from sync.pinyin import pinyin_keys
from sync.protocol import OnlineOrder, ProductData, PromotionSetData
from sync.state import delete_state, get_state, set_state
from sync.status import ORDER_PREFIX

log = logging.getLogger(__name__)

# A product's fields in the order of the products columns below (the category by its name).
_FIELDS = (
    "sku",
    "name",
    "pinyin_full",
    "pinyin_initials",
    "unit",
    "price_fen",
    "member_price_fen",
    "tax_rate_bp",
    "category",
    "weighed",
    "plu_code",
    "status",
)
_COLUMNS = (*("category_id" if f == "category" else f for f in _FIELDS), "updated_at")
_VALUES = ", ".join(
    "(SELECT id FROM categories WHERE name = ?)" if f == "category" else "?"
    for f in (*_FIELDS, "updated_at")
)
_row_of = attrgetter(*_FIELDS)
# Plain SQL through the driver's executemany, the same statements every chunk (prepared once by
# the driver's statement cache): a million rows cost seconds, not minutes.
_ADD_CATEGORY = "INSERT INTO categories (name) VALUES (?) ON CONFLICT (name) DO NOTHING"
_UPSERT_PRODUCT = (
    f"INSERT INTO products ({', '.join(_COLUMNS)}) VALUES ({_VALUES}) "
    "ON CONFLICT (sku) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS[1:])
)
# Barcodes and PLUs by sku, one statement per product through executemany: no list of ids to
# read back or to compile into an IN (...) of thousands each batch.
_FREE_PLU = "UPDATE products SET plu_code = NULL WHERE plu_code = ?"
_DROP_BARCODES = "DELETE FROM barcodes WHERE product_id = (SELECT id FROM products WHERE sku = ?)"
_UPSERT_BARCODE = (
    "INSERT INTO barcodes (code, product_id) SELECT ?, id FROM products WHERE sku = ? "
    "ON CONFLICT (code) DO UPDATE SET product_id = excluded.product_id"
)
# Products all new: their ids are known, and they hold no barcodes to drop.
_ADD_BARCODE = (
    "INSERT INTO barcodes (code, product_id) VALUES (?, ?) "
    "ON CONFLICT (code) DO UPDATE SET product_id = excluded.product_id"
)


def _product_rows(products: Sequence[ProductData], now: str) -> list[tuple[Any, ...]]:
    """The products' column values, built in C (attrgetter) but for a product the mall sent
    without pinyin, keyed here."""
    tail = (now,)
    return [
        _row_of(p) + tail if p.pinyin_full else _row_of(_with_pinyin(p)) + tail for p in products
    ]


def _with_pinyin(product: ProductData) -> ProductData:
    full, initials = pinyin_keys(product.name)
    return product.model_copy(update={"pinyin_full": full, "pinyin_initials": initials})


def apply_products(session: Session, products: Sequence[ProductData]) -> None:
    """Insert or update products (latest state wins) with exactly the barcodes given, a fixed
    number of statements whatever their number."""
    if not products:
        return
    connection = session.connection()
    categories = {(p.category,) for p in products if p.category}
    if categories:
        connection.exec_driver_sql(_ADD_CATEGORY, list(categories))
    plus = [(product.plu_code,) for product in products if product.plu_code]
    if plus:  # a PLU moves: free it first so the unique index never sees it twice
        connection.exec_driver_sql(_FREE_PLU, plus)
    # The format SQLAlchemy's SQLite DateTime stores (naive UTC, as UtcDateTime expects).
    now = utc_now().replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    before = last_product_id(session)
    connection.exec_driver_sql(_UPSERT_PRODUCT, _product_rows(products, now))
    all_new = last_product_id(session) - before == len(products)
    codes: list[tuple[str, int | str]]
    if all_new:  # product ids before + 1, before + 2, … in order
        codes = [(code, i) for i, p in enumerate(products, before + 1) for code in p.barcodes]
        statement = _ADD_BARCODE
    else:
        connection.exec_driver_sql(_DROP_BARCODES, [(product.sku,) for product in products])
        codes = [(code, p.sku) for p in products for code in p.barcodes]
        statement = _UPSERT_BARCODE
    if codes:
        connection.exec_driver_sql(statement, codes)


def apply_tombstones(session: Session, skus: Sequence[str]) -> None:
    if not skus:
        return
    ids = select(Product.id).where(Product.sku.in_(skus)).scalar_subquery()
    session.execute(delete(Barcode).where(Barcode.product_id.in_(ids)))
    session.execute(
        update(Product)
        .where(Product.sku.in_(skus))
        .values(status="deleted", plu_code=None, updated_at=utc_now())
    )


def store_order(session: Session, order: OnlineOrder, *, handed_over_here: bool = False) -> bool:
    """Keep the order's latest state; True if this call is the first to mark it handed over here."""
    key = ORDER_PREFIX + str(order.id)
    before = get_state(session, key) or {}
    already = bool(before.get("handed_over_here"))
    set_state(
        session,
        key,
        {"order": order.model_dump(mode="json"), "handed_over_here": already or handed_over_here},
    )
    return handed_over_here and not already


def forget_order(session: Session, order_id: str) -> None:
    delete_state(session, ORDER_PREFIX + order_id)


def store_promotions(session: Session, data: PromotionSetData) -> bool:
    """Keep a version of the promotion rules (a version kept already stays as it is); True if
    it is new. Rules this till cannot read (a newer mall) are logged and left out, so selling
    goes on with the rules it has."""
    if session.get(PromotionSet, data.version) is not None:
        return False
    try:
        rules = RuleSet.from_dict(data.model_dump())
    except PromotionRuleError as error:
        log.error("promotion rules version %d not applied: %s", data.version, error)
        return False
    text = json.dumps(rules.to_dict(), ensure_ascii=False, sort_keys=True)
    session.add(PromotionSet(version=rules.version, rules=text, received_at=utc_now()))
    session.flush()
    return True
