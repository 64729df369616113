"""Looking up what a scanned barcode is: the hot path of every scan (indexed, one query)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from pos_app.domain.cart_line import ProductInfo
from pos_app.domain.parsed_barcode import BarcodeKind, ParsedBarcode
from pos_app.services.errors import UnknownBarcode
from pos_app.store.models import Barcode, Product

_WITH_CATEGORY = joinedload(Product.category)  # one query per scan, not two


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


def _by_barcode(session: Session, code: str) -> Product | None:
    query = select(Product).options(_WITH_CATEGORY).join(Barcode).where(Barcode.code == code)
    return session.scalars(query).first()


def _by_sku_or_plu(session: Session, code: str) -> Product | None:
    query = (
        select(Product)
        .options(_WITH_CATEGORY)
        .where((Product.sku == code) | (Product.plu_code == code))
    )
    return session.scalars(query).first()


def _by_plu(session: Session, plu: str) -> Product | None:
    query = select(Product).options(_WITH_CATEGORY).where(Product.plu_code == plu)
    return session.scalars(query).first()


def lookup_scan(session: Session, parsed: ParsedBarcode) -> FoundProduct:
    """The active product a parsed code stands for; UnknownBarcode if none.

    A scale label names its item by PLU and nothing else: the same digits as some SKU are a
    different product, and booking that one at the label's price is the worst mistake a scan
    can make, so an unknown PLU is refused."""
    if parsed.kind is BarcodeKind.SCALE and parsed.scale_item_code is not None:
        product = _by_plu(session, parsed.scale_item_code)
    else:
        product = _by_barcode(session, parsed.code)
        if product is None and parsed.kind is BarcodeKind.INTERNAL:
            product = _by_sku_or_plu(session, parsed.code)
    if product is None or product.status != "active":
        raise UnknownBarcode(parsed.code)
    return FoundProduct(product.id, product_info(product))
