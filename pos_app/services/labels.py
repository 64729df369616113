"""Label data from the catalog: price, member price, EAN-13 and the product's mall link per SKU."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos_app.domain.gtin import is_gs1_valid
from pos_app.hardware.labels import PriceLabel, product_url
from pos_app.services.errors import ServiceError
from pos_app.store.models import Product
from pos_app.store.settings import get_setting

__all__ = ["UnknownSku", "load_labels"]


class UnknownSku(ServiceError):
    """A label was asked for a SKU that is not in the catalog."""


def _ean13(product: Product) -> str | None:
    codes = (b.code for b in product.barcodes)
    return next((code for code in codes if len(code) == 13 and is_gs1_valid(code)), None)


def load_labels(session: Session, skus: Sequence[str]) -> list[PriceLabel]:
    """One PriceLabel per SKU, in the order given; UnknownSku names every SKU not found."""
    query = select(Product).where(Product.sku.in_(skus)).options(selectinload(Product.barcodes))
    products = {product.sku: product for product in session.scalars(query)}
    missing = [sku for sku in skus if sku not in products]
    if missing:
        raise UnknownSku(
            f"Not in the catalog: {', '.join(missing)}", code="unknown_sku", skus=", ".join(missing)
        )
    base_url, store_id = get_setting(session, "mall_base_url"), get_setting(session, "store_id")
    return [
        PriceLabel(
            sku=sku,
            name=products[sku].name,
            unit=products[sku].unit,
            price_fen=products[sku].price_fen,
            member_price_fen=products[sku].member_price_fen,
            ean13=_ean13(products[sku]),
            qr_url=product_url(base_url, sku, store_id),
        )
        for sku in skus
    ]
