"""Looking up what a scanned barcode is: the hot path of every scan (indexed, one query)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, Row, bindparam, func, select
from sqlalchemy.orm import Session

from pos_app.domain.cart_line import ProductInfo
from pos_app.domain.parsed_barcode import BarcodeKind, ParsedBarcode
from pos_app.services.errors import UnknownBarcode
from pos_app.store.models import Barcode, Category, Product


@dataclass(frozen=True)
class FoundProduct:
    product_id: int
    info: ProductInfo


def product_info(product: Product) -> ProductInfo:
    return ProductInfo(
        sku=product.sku,
        name=product.name,
        unit=product.unit,
        price_fen=product.price_fen,
        member_price_fen=product.member_price_fen,
        weighed=product.weighed,
        tax_rate_bp=product.tax_rate_bp,
        category=product.category.name if product.category else "",
    )


# Core statements of the columns a scan needs: an ORM entity load costs more than the query.
_FOUND = select(
    Product.id,
    Product.status,
    Product.sku,
    Product.name,
    Product.unit,
    Product.price_fen,
    Product.member_price_fen,
    Product.weighed,
    Product.tax_rate_bp,
    func.coalesce(Category.name, "").label("category"),
).outerjoin(Category, Category.id == Product.category_id)
_BY_BARCODE = _FOUND.join(Barcode, Barcode.product_id == Product.id).where(
    Barcode.code == bindparam("code")
)
_BY_SKU_OR_PLU = _FOUND.where(
    (Product.sku == bindparam("code")) | (Product.plu_code == bindparam("code"))
)
_BY_PLU = _FOUND.where(Product.plu_code == bindparam("code"))


def _found(session: Session, query: Executable, code: str) -> Row[Any] | None:
    return session.connection().execute(query, {"code": code}).first()


def lookup_scan(session: Session, parsed: ParsedBarcode) -> FoundProduct:
    """The active product a parsed code stands for; UnknownBarcode if none.

    A scale label names its item by PLU and nothing else: the same digits as some SKU are a
    different product, and booking that one at the label's price is the worst mistake a scan
    can make, so an unknown PLU is refused."""
    if parsed.kind is BarcodeKind.SCALE and parsed.scale_item_code is not None:
        row = _found(session, _BY_PLU, parsed.scale_item_code)
    else:
        row = _found(session, _BY_BARCODE, parsed.code)
        if row is None and parsed.kind is BarcodeKind.INTERNAL:
            row = _found(session, _BY_SKU_OR_PLU, parsed.code)
    if row is None or row.status != "active":
        raise UnknownBarcode(parsed.code)
    info = ProductInfo(
        sku=row.sku,
        name=row.name,
        unit=row.unit,
        price_fen=row.price_fen,
        member_price_fen=row.member_price_fen,
        weighed=row.weighed,
        tax_rate_bp=row.tax_rate_bp,
        category=row.category,
    )
    return FoundProduct(row.id, info)
