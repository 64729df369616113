"""What a printed receipt says, as plain data: built by services, laid out by the hardware layer.

Amounts are integer fen and signed as they were rung (a refund has negative amounts); text is
exactly what the shop entered, untouched (the printer layout sanitises it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "Receipt",
    "ReceiptLine",
    "ReceiptMember",
    "ReceiptPromotion",
    "ReceiptTender",
    "qty_text",
]

GRAMS_PER_KG = 1000


def qty_text(qty: int, *, weighed: bool) -> str:
    """A line's quantity as printed: "2" (units) or "0.532kg" (weighed goods, qty in grams)."""
    if not weighed:
        return str(qty)
    sign = "-" if qty < 0 else ""
    kg, grams = divmod(abs(qty), GRAMS_PER_KG)
    return f"{sign}{kg}.{grams:03d}kg"


@dataclass(frozen=True)
class ReceiptPromotion:
    """A promotion by name and what it took off (signed like the sale)."""

    name: str
    discount_fen: int


@dataclass(frozen=True)
class ReceiptLine:
    """One sold item: name, quantity as printed, unit price, amount before discount, discount
    (all of it); of that discount, the item promotions (第二件半价, 特价…) printed under the
    line and the line's share of order promotions (满减), printed once above the total."""

    name: str
    qty_text: str
    unit_price_fen: int
    amount_fen: int
    discount_fen: int = 0
    promotions: tuple[ReceiptPromotion, ...] = ()
    order_promotion_fen: int = 0


@dataclass(frozen=True)
class ReceiptTender:
    """One payment: the tender kind ("cash", "wechat", ...) and the amount applied to the sale."""

    kind: str
    amount_fen: int


@dataclass(frozen=True)
class ReceiptMember:
    """The member on the sale, already masked for printing, and their points."""

    masked_id: str
    points_earned: int
    points_balance: int | None = None


@dataclass(frozen=True)
class Receipt:
    """A whole receipt. `issued_at` is in the shop's local time zone, as it should be printed."""

    store_name: str
    sale_no: str
    till_id: str
    cashier: str
    issued_at: datetime
    lines: tuple[ReceiptLine, ...]
    subtotal_fen: int
    total_fen: int
    discount_fen: int = 0
    rounding_fen: int = 0
    tenders: tuple[ReceiptTender, ...] = ()
    change_fen: int = 0
    store_address: str = ""
    store_phone: str = ""
    member: ReceiptMember | None = None
    footer: str = ""
    qr_url: str | None = None
    is_refund: bool = False
    is_reprint: bool = False
    original_sale_no: str = ""  # a refund's original sale
    # Order promotions (满减) in all, part of discount_fen, printed above the total.
    order_promotions: tuple[ReceiptPromotion, ...] = ()
