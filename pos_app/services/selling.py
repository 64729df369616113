"""Putting a scanned item into a cart: parse, look up, add (the scan-to-line path)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartLine, ProductInfo
from pos_app.domain.parsed_barcode import BarcodeKind, ParsedBarcode
from pos_app.domain.scan import ScanRules, route_item
from pos_app.services.catalog import lookup_scan


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


def scan_item(session: Session, code: str, rules: ScanRules) -> ScannedItem:
    """Raises InvalidBarcode (malformed; WrongScanContext for a payment code, never looked up)
    or UnknownBarcode (not in the catalog)."""
    parsed = route_item(code, rules.layouts, allow_zero_price=rules.allow_zero_price).barcode
    return ScannedItem(lookup_scan(session, parsed).info, parsed)


def add_scanned_item(session: Session, cart: Cart, code: str, rules: ScanRules) -> CartLine:
    """Raises InvalidBarcode (malformed; WrongScanContext for a payment code, never looked up)
    or UnknownBarcode (not in the catalog); the cart is only changed when the item was found."""
    return scan_item(session, code, rules).add_to(cart)
