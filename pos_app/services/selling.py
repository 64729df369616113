"""Putting a scanned item into a cart: parse, look up, add (the scan-to-line path)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from pos_app.domain.barcodes import BarcodeKind, ScaleLayout
from pos_app.domain.cart import Cart, CartLine
from pos_app.domain.scan import route_item
from pos_app.services.catalog import lookup_scan
from pos_app.store.settings import get_setting


def add_scanned_item(
    session: Session, cart: Cart, code: str, layouts: Sequence[ScaleLayout]
) -> CartLine:
    """Raises InvalidBarcode (malformed; WrongScanContext for a payment code, never looked up)
    or UnknownBarcode (not in the catalog); the cart is only changed when the item was found."""
    allow_zero = bool(get_setting(session, "scale_zero_price_allowed"))
    parsed = route_item(code, layouts, allow_zero_price=allow_zero).barcode
    found = lookup_scan(session, parsed)
    if parsed.kind is BarcodeKind.SCALE:
        return cart.add(
            found.info,
            barcode=parsed.code,
            weight_g=parsed.weight_g,
            fixed_amount_fen=parsed.price_fen,
        )
    return cart.add(found.info, barcode=parsed.code)
