"""A line of the cart and what it is made of: the product as the cart knows it, where its unit
price came from, the plausible quantities (units, or grams for weighed goods), and the errors
the cart raises."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pos_app.domain.coded import CodedError
from pos_app.domain.money import mul_div_half_up
from pos_app.domain.promotions import Applied

MAX_UNITS = 9_999
MAX_GRAMS = 99_999
MAX_UNIT_PRICE_FEN = 99_999_999  # ¥999,999.99
GRAMS_PER_KG = 1_000


class CartError(CodedError, ValueError):
    """Something the cashier asked of the cart that cannot be done; the message says why."""


class CouponBelowMinimum(CartError):
    """The goods do not reach the coupon's minimum spend."""

    default_code = "coupon_min_spend"


class PriceSource(StrEnum):
    """Where a line's unit price came from."""

    LIST = "list"
    MEMBER = "member"
    MANUAL = "manual"  # overridden at the till (needs a manager, recorded by the service)
    SCALE = "scale"  # the amount printed on a scale label


def whole_number(value: object, what: str) -> int:
    """value, when it is an int (not a bool); else CartError naming what it should be."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise CartError(f"{what} must be a whole number, got {value!r}")
    return value


@dataclass(frozen=True)
class ProductInfo:
    """What the cart needs to know about a product. For weighed goods prices are per kg."""

    sku: str
    name: str
    unit: str
    price_fen: int
    member_price_fen: int | None = None
    weighed: bool = False
    tax_rate_bp: int = 0
    category: str = ""

    def __post_init__(self) -> None:
        if whole_number(self.price_fen, "Price") < 0:
            raise CartError(f"{self.name}: price cannot be negative")
        if self.member_price_fen is not None and whole_number(self.member_price_fen, "Price") < 0:
            raise CartError(f"{self.name}: member price cannot be negative")


@dataclass
class CartLine:
    """One line of the cart. qty is units, or grams when the product is weighed.

    A line with fixed_amount_fen (a scale label with the price printed on it) costs exactly
    that amount. line_discount_bp, when set, is a percentage discount kept in step with the
    line amount when the quantity or price changes. promo_discount_fen and promotions are what
    the promotions engine gave the line (its share of a 满减 included); the cart sets them.
    """

    line_no: int
    product: ProductInfo
    qty: int
    unit_price_fen: int
    price_source: PriceSource
    barcode: str = ""
    line_discount_fen: int = 0
    fixed_amount_fen: int | None = None
    line_discount_bp: int | None = None
    promo_discount_fen: int = 0
    promotions: tuple[Applied, ...] = ()

    @property
    def gross_fen(self) -> int:
        """The line amount before its discount."""
        if self.fixed_amount_fen is not None:
            return self.fixed_amount_fen
        if self.product.weighed:
            return mul_div_half_up(self.unit_price_fen, self.qty, GRAMS_PER_KG)
        return self.qty * self.unit_price_fen

    @property
    def net_fen(self) -> int:
        """The line amount after its own discount and promotions (before the order discount)."""
        return self.gross_fen - self.line_discount_fen - self.promo_discount_fen

    @property
    def is_plain(self) -> bool:
        """Priced by the shelf (list or member price) with no manual change: promotions that
        change prices may apply; a manager's price or discount is final."""
        return (
            self.price_source in (PriceSource.LIST, PriceSource.MEMBER)
            and self.line_discount_fen == 0
            and self.line_discount_bp is None
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form of the line, with its promotions as they were worked out."""
        data = dataclasses.asdict(self)
        data["price_source"] = str(self.price_source)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CartLine:
        """Rebuild a line from to_dict() output."""
        known = {f.name for f in dataclasses.fields(ProductInfo)}
        product = ProductInfo(**{k: v for k, v in data["product"].items() if k in known})
        return cls(
            line_no=whole_number(data["line_no"], "Line number"),
            product=product,
            qty=whole_number(data["qty"], "Quantity"),
            unit_price_fen=whole_number(data["unit_price_fen"], "Price"),
            price_source=PriceSource(data["price_source"]),
            barcode=str(data.get("barcode", "")),
            line_discount_fen=whole_number(data.get("line_discount_fen", 0), "Discount"),
            fixed_amount_fen=data.get("fixed_amount_fen"),
            line_discount_bp=data.get("line_discount_bp"),
            promo_discount_fen=whole_number(data.get("promo_discount_fen", 0), "Discount"),
            promotions=tuple(
                Applied(
                    rule_id=str(a["rule_id"]),
                    name=str(a["name"]),
                    kind=str(a["kind"]),
                    discount_fen=whole_number(a["discount_fen"], "Discount"),
                )
                for a in data.get("promotions", ())
            ),
        )


def can_merge(last: CartLine, product: ProductInfo) -> bool:
    """Another scan of product adds to line `last` (a counted item at its shelf price)."""
    return (
        last.product == product
        and not product.weighed
        and last.fixed_amount_fen is None
        and last.price_source in (PriceSource.LIST, PriceSource.MEMBER)
        and last.line_discount_fen == 0
        and last.line_discount_bp is None
    )


def estimate_grams(product: ProductInfo, amount_fen: int) -> int:
    """The grams a price-labelled amount stands for at the per-kg price (for stock)."""
    if product.price_fen <= 0:
        return 1
    grams = mul_div_half_up(amount_fen, GRAMS_PER_KG, product.price_fen)
    return min(max(grams, 1), MAX_GRAMS)


def check_qty(product: ProductInfo, qty: int) -> None:
    """CartError unless qty is a plausible count, or a plausible weight for weighed goods."""
    whole_number(qty, "Quantity")
    if product.weighed and not 1 <= qty <= MAX_GRAMS:
        raise CartError(
            f"Weight {qty} g is not plausible (1 to {MAX_GRAMS} g)",
            code="cart_weight",
            qty=qty,
            most=MAX_GRAMS,
        )
    if not product.weighed and not 1 <= qty <= MAX_UNITS:
        raise CartError(
            f"Quantity {qty} is not plausible (1 to {MAX_UNITS})",
            code="cart_qty",
            qty=qty,
            most=MAX_UNITS,
        )
