"""Putting a scanned item into a cart: parse, look up, add (the scan-to-line path)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartLine, ProductInfo
from pos_app.domain.parsed_barcode import BarcodeKind, ParsedBarcode
from pos_app.domain.scale_layouts import ScaleLayout
from pos_app.domain.scan import route_item
from pos_app.services.catalog import lookup_scan
from pos_app.store.settings import get_setting


@dataclass(frozen=True)
class ScannedItem:
    """A scanned code and the product it stands for, not yet in the cart."""

    info: ProductInfo
    parsed: ParsedBarcode

    @property
    def needs_weighing(self) -> bool:
        """A weighed product scanned by its own barcode (no scale label): weigh it at the till."""
        return self.info.weighed and self.parsed.kind is not BarcodeKind.SCALE

    def add_to(self, cart: Cart, *, weight_g: int | None = None) -> CartLine:
        """Add to the cart; weight_g is the counter scale's reading for a weighed product."""
        parsed = self.parsed
        if parsed.kind is BarcodeKind.SCALE:
            return cart.add(
                self.info,
                barcode=parsed.code,
                weight_g=parsed.weight_g,
                fixed_amount_fen=parsed.price_fen,
            )
        return cart.add(self.info, barcode=parsed.code, weight_g=weight_g)


def scan_item(session: Session, code: str, layouts: Sequence[ScaleLayout]) -> ScannedItem:
    """Raises InvalidBarcode (malformed; WrongScanContext for a payment code, never looked up)
    or UnknownBarcode (not in the catalog)."""
    allow_zero = bool(get_setting(session, "scale_zero_price_allowed"))
    parsed = route_item(code, layouts, allow_zero_price=allow_zero).barcode
    return ScannedItem(lookup_scan(session, parsed).info, parsed)


def add_scanned_item(
    session: Session, cart: Cart, code: str, layouts: Sequence[ScaleLayout]
) -> CartLine:
    """Raises InvalidBarcode (malformed; WrongScanContext for a payment code, never looked up)
    or UnknownBarcode (not in the catalog); the cart is only changed when the item was found."""
    return scan_item(session, code, layouts).add_to(cart)
