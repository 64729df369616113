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
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from pos_app.domain.promotion_rules import PromotionRuleError, RuleSet
from pos_app.store.models import Barcode, Category, Product, PromotionSet, utc_now
from sync.pinyin import pinyin_keys
from sync.protocol import OnlineOrder, ProductData, PromotionSetData
from sync.state import delete_state, get_state, set_state
from sync.status import ORDER_PREFIX

log = logging.getLogger(__name__)

_COLUMNS = (
    "sku",
    "name",
    "pinyin_full",
    "pinyin_initials",
    "unit",
    "price_fen",
    "member_price_fen",
    "tax_rate_bp",
    "category_id",
    "weighed",
    "plu_code",
    "status",
    "updated_at",
)
# Plain SQL through the driver's executemany: a million rows cost seconds, not minutes.
_UPSERT_PRODUCT = (
    f"INSERT INTO products ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "
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


def _category_ids(session: Session, names: set[str]) -> dict[str, int]:
    if not names:
        return {}
    query = select(Category.name, Category.id).where(Category.name.in_(names))
    known = {name: category_id for name, category_id in session.execute(query)}
    missing = [{"name": name} for name in names if name not in known]
    if missing:
        session.execute(insert(Category), missing)
        return _category_ids(session, names)
    return known


def _product_row(product: ProductData, category_ids: dict[str, int], now: str) -> tuple[Any, ...]:
    full, initials = product.pinyin_full, product.pinyin_initials
    if not full:
        full, initials = pinyin_keys(product.name)
    return (
        product.sku,
        product.name,
        full,
        initials,
        product.unit,
        product.price_fen,
        product.member_price_fen,
        product.tax_rate_bp,
        category_ids.get(product.category or ""),
        product.weighed,
        product.plu_code,
        product.status,
        now,
    )


def apply_products(session: Session, products: Sequence[ProductData]) -> None:
    """Insert or update products (latest state wins) with exactly the barcodes given."""
    if not products:
        return
    category_ids = _category_ids(session, {p.category for p in products if p.category})
    connection = session.connection()
    plus = [(product.plu_code,) for product in products if product.plu_code]
    if plus:  # a PLU moves: free it first so the unique index never sees it twice
        connection.exec_driver_sql(_FREE_PLU, plus)
    # The format SQLAlchemy's SQLite DateTime stores (naive UTC, as UtcDateTime expects).
    now = utc_now().replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    connection.exec_driver_sql(
        _UPSERT_PRODUCT, [_product_row(p, category_ids, now) for p in products]
    )
    connection.exec_driver_sql(_DROP_BARCODES, [(product.sku,) for product in products])
    codes = [(code, p.sku) for p in products for code in p.barcodes]
    if codes:
        connection.exec_driver_sql(_UPSERT_BARCODE, codes)


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
