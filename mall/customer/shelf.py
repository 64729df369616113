"""A store's shelf for customers: the chain's active products at this store's prices, with what
the store can sell online now (on hand − reserved − safety stock); categories, search by name,
pinyin anywhere in the name (全拼 or 首字母, "kkkl" finds 可口可乐) or barcode, and one
product's page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from mall.catalog_view import products_by_sku
from mall.customer.schemas import Category, Product, ProductDetail, ProductPage
from mall.customer.stores import get_store, store_view
from mall.errors import MallError
from mall.models import BarcodeRow, ProductRow
from mall.stock import stock_levels
from sync.protocol import ProductData

MAX_PAGE = 50
COUNT_CAP = 1000  # a shelf page counts at most this many matches ("1000+"), not a million
NO_CATEGORY = "其他"


class ProductNotFound(MallError):
    def __init__(self) -> None:
        super().__init__(404, "product_not_found", "商品不存在或已下架")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matches(q: str) -> ColumnElement[bool]:
    """Name contains q, or a pinyin key does (anywhere: xm finds 重庆小面, a long name's last
    syllables find it), or q is one of the barcodes."""
    words = _escape_like(q.strip())
    keys = _escape_like("".join(ch for ch in q.lower() if ch.isascii() and ch.isalnum()))
    found = [ProductRow.name.like(f"%{words}%", escape="\\")]
    if keys:
        found += [
            ProductRow.pinyin_initials.like(f"%{keys}%", escape="\\"),
            ProductRow.pinyin_full.like(f"%{keys}%", escape="\\"),
        ]
    barcode = select(BarcodeRow.product_id).where(BarcodeRow.code == q.strip())
    return or_(*found, ProductRow.id.in_(barcode), ProductRow.sku == q.strip())


def _shelf(category: str | None, q: str | None) -> Select[Any]:
    query = select(ProductRow.sku).where(ProductRow.status == "active")
    if category == NO_CATEGORY:
        query = query.where(ProductRow.category.is_(None))
    elif category:
        query = query.where(ProductRow.category == category)
    if q and q.strip():
        query = query.where(_matches(q))
    return query


def product_views(session: Session, store_id: str, skus: Sequence[str]) -> list[Product]:
    """The products of skus (in that order) at the store's prices with their availability;
    unknown or deleted skus are left out."""
    data = products_by_sku(session, store_id, skus)
    levels = stock_levels(session, store_id, skus)
    return [
        _as_product(found, levels[sku].available)
        for sku in skus
        if (found := data.get(sku)) is not None
    ]


def _as_product(data: ProductData, available: int) -> Product:
    return Product(
        sku=data.sku,
        name=data.name,
        unit=data.unit,
        category=data.category,
        price_fen=data.price_fen,
        member_price_fen=data.member_price_fen,
        available=available if data.status == "active" else 0,
    )


def categories(session: Session, store_id: str) -> list[Category]:
    """The categories of active products with how many each has (uncategorised last)."""
    get_store(session, store_id)
    rows = session.execute(
        select(ProductRow.category, func.count())
        .where(ProductRow.status == "active")
        .group_by(ProductRow.category)
        .order_by(ProductRow.category)
    ).all()
    named = [Category(name=name, count=count) for name, count in rows if name]
    unnamed = sum(count for name, count in rows if not name)
    return named + ([Category(name=NO_CATEGORY, count=unnamed)] if unnamed else [])


def products(
    session: Session,
    store_id: str,
    *,
    category: str | None,
    q: str | None,
    offset: int,
    limit: int,
) -> ProductPage:
    """One page of the shelf, filtered by category and search words; `total` counts up to
    offset + COUNT_CAP matches (has_more is exact)."""
    get_store(session, store_id)
    query = _shelf(category, q)
    capped = query.order_by(ProductRow.id).limit(offset + COUNT_CAP)
    total = session.scalar(select(func.count()).select_from(capped.subquery())) or 0
    skus = [
        str(sku)
        for sku in session.scalars(query.order_by(ProductRow.id).offset(offset).limit(limit))
    ]
    items = product_views(session, store_id, skus)
    return ProductPage(items=items, total=total, offset=offset, has_more=offset + len(skus) < total)


def product_detail(session: Session, store_id: str, sku: str, *, now: datetime) -> ProductDetail:
    store = get_store(session, store_id)
    data = products_by_sku(session, store_id, [sku]).get(sku)
    if data is None or data.status != "active":
        raise ProductNotFound()
    available = stock_levels(session, store_id, [sku])[sku].available
    return ProductDetail(
        **_as_product(data, available).model_dump(),
        barcodes=list(data.barcodes),
        store=store_view(store, now=now),
    )
