"""The cart being rung up: lines with quantities (units or grams), list/member/manual/scale
prices, line and order discounts, promotions, 抹零 rounding, and a JSON-safe form for hold/recall.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_app.domain.cart_line import (
    MAX_UNIT_PRICE_FEN,
    CartError,
    CartLine,
    CouponBelowMinimum,
    PriceSource,
    ProductInfo,
    can_merge,
    check_qty,
    estimate_grams,
    whole_number,
)
from pos_app.domain.cart_promotions import PromotionPricing, apply_coupon, promote
from pos_app.domain.coupons import COUPON_KIND, CouponUse
from pos_app.domain.money import (
    BASIS_POINTS,
    RoundingMode,
    allocate_proportionally,
    format_fen,
    percent_of,
    round_total,
)
from pos_app.domain.promotions import PromotionResult

CART_FORMAT_VERSION = 1


class Cart:
    """The sale being rung up. Amounts are fen; line numbers stay stable when lines are voided.

    Invariants: every line discount is between 0 and the line amount, and the order discount
    is between 0 and the sum of line net amounts, so total_fen is never negative.
    """

    def __init__(self) -> None:
        self.lines: list[CartLine] = []
        self.order_discount_fen: int = 0
        self.member_id: str | None = None
        self.member_tier: str | None = None
        self.pricing: PromotionPricing | None = None
        self.promotion_result: PromotionResult | None = None
        # The version of the rules the lines were priced with (None: no rules at this till).
        self.promotion_version: int | None = None
        self.coupon: CouponUse | None = None  # spread over the lines after the promotions
        self._next_line_no = 1

    # -- reading -------------------------------------------------------------------------

    def line(self, line_no: int) -> CartLine:
        """The line with this number; CartError if there is none."""
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise CartError(f"There is no line {line_no}", code="cart_no_line", no=line_no)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def subtotal_fen(self) -> int:
        """Sum of line amounts before any discount."""
        return sum(line.gross_fen for line in self.lines)

    @property
    def line_discounts_fen(self) -> int:
        return sum(line.line_discount_fen for line in self.lines)

    @property
    def promotion_discount_fen(self) -> int:
        return sum(line.promo_discount_fen for line in self.lines)

    @property
    def discount_fen(self) -> int:
        """Line discounts, promotions and the order discount."""
        return self.line_discounts_fen + self.promotion_discount_fen + self.order_discount_fen

    @property
    def _net_sum_fen(self) -> int:
        return sum(line.net_fen for line in self.lines)

    @property
    def total_fen(self) -> int:
        """What the goods cost after all discounts, before 抹零 rounding."""
        return self._net_sum_fen - self.order_discount_fen

    @property
    def item_count(self) -> int:
        """Number of pieces: units of counted goods, one per weighed line."""
        return sum(1 if line.product.weighed else line.qty for line in self.lines)

    def payable_fen(self, mode: RoundingMode) -> int:
        """The total the customer pays after 抹零 rounding."""
        return round_total(self.total_fen, mode)

    def rounding_fen(self, mode: RoundingMode) -> int:
        """payable - total: 0 or negative for the *_down modes."""
        return self.payable_fen(mode) - self.total_fen

    def allocate_order_discount(self) -> dict[int, int]:
        """The order discount per line number, proportional to line net, summing exactly."""
        weights = {line.line_no: line.net_fen for line in self.lines}
        return allocate_proportionally(self.order_discount_fen, weights)

    def paid_by_line(self) -> dict[int, int]:
        """What each line costs after its share of the order discount (for refunds)."""
        shares = self.allocate_order_discount()
        return {line.line_no: line.net_fen - shares[line.line_no] for line in self.lines}

    # -- changing ------------------------------------------------------------------------

    def add(
        self,
        product: ProductInfo,
        *,
        qty: int = 1,
        barcode: str = "",
        weight_g: int | None = None,
        fixed_amount_fen: int | None = None,
    ) -> CartLine:
        """Add a product and return its line.

        qty is units, or grams for weighed goods (weight_g, when given, wins). A scale label
        with a printed price gives fixed_amount_fen; without a weight the grams are estimated
        from the per-kg price for stock. Scanning a counted product already in the cart adds to
        its line (as Pospal and Youzan do); weighed and price-labelled items always get a new line.
        """
        qty = self._qty_for(product, qty, weight_g, fixed_amount_fen)
        if fixed_amount_fen is not None:
            unit_price, source = product.price_fen, PriceSource.SCALE
        else:
            unit_price, source = self._price_for(product)
        same = next((line for line in reversed(self.lines) if can_merge(line, product)), None)
        if fixed_amount_fen is None and same is not None:
            check_qty(product, same.qty + qty)
            same.qty += qty
            self._settle()
            return same
        line = CartLine(
            line_no=self._next_line_no,
            product=product,
            qty=qty,
            unit_price_fen=unit_price,
            price_source=source,
            barcode=barcode,
            fixed_amount_fen=fixed_amount_fen,
        )
        self.lines.append(line)
        self._next_line_no += 1
        self._settle()
        return line

    def set_qty(self, line_no: int, qty: int) -> None:
        """Change a line's quantity (grams for weighed goods)."""
        line = self.line(line_no)
        if line.fixed_amount_fen is not None:
            raise CartError(
                "A price-labelled scale item cannot change quantity; void it instead",
                code="cart_label_qty",
            )
        check_qty(line.product, qty)
        line.qty = qty
        self._refresh(line)

    def set_line_discount(self, line_no: int, discount_fen: int) -> None:
        """Give a line an amount off, between ¥0.00 and the line amount."""
        line = self.line(line_no)
        whole_number(discount_fen, "Discount")
        if not 0 <= discount_fen <= line.gross_fen:
            raise CartError(
                f"Discount {format_fen(discount_fen)} must be between ¥0.00 and "
                f"the line amount {format_fen(line.gross_fen)}",
                code="cart_discount_range",
                amount=format_fen(discount_fen),
                limit=format_fen(line.gross_fen),
            )
        line.line_discount_fen = discount_fen
        line.line_discount_bp = None
        self._settle()

    def set_line_discount_percent(self, line_no: int, percent_bp: int) -> None:
        """Give a line a percentage off in basis points (1000 = 10 %), kept on qty changes."""
        line = self.line(line_no)
        if not 0 <= whole_number(percent_bp, "Discount") <= BASIS_POINTS:
            raise CartError("Discount must be between 0 % and 100 %", code="cart_discount_percent")
        line.line_discount_bp = percent_bp
        self._refresh(line)

    def set_manual_price(self, line_no: int, unit_price_fen: int) -> None:
        """Override a line's unit price (per kg for weighed goods)."""
        line = self.line(line_no)
        if line.fixed_amount_fen is not None:
            raise CartError(
                "A price-labelled scale item keeps its label price; void it instead",
                code="cart_label_price",
            )
        if not 0 <= whole_number(unit_price_fen, "Price") <= MAX_UNIT_PRICE_FEN:
            raise CartError(
                f"Price {format_fen(unit_price_fen)} is not plausible",
                code="cart_price",
                price=format_fen(unit_price_fen),
            )
        line.unit_price_fen = unit_price_fen
        line.price_source = PriceSource.MANUAL
        self._refresh(line)

    def void_line(self, line_no: int) -> None:
        """Remove a line; the other lines keep their numbers."""
        self.lines.remove(self.line(line_no))
        self._settle()

    def set_order_discount(self, discount_fen: int) -> None:
        """Take an amount off the whole order, at most what the lines cost after discounts."""
        limit = self._net_sum_fen
        if not 0 <= whole_number(discount_fen, "Discount") <= limit:
            raise CartError(
                f"Order discount {format_fen(discount_fen)} must be between ¥0.00 and "
                f"{format_fen(limit)}",
                code="cart_discount_range",
                amount=format_fen(discount_fen),
                limit=format_fen(limit),
            )
        self.order_discount_fen = discount_fen

    def attach_member(self, member_id: str, *, tier: str = "") -> None:
        """Attach a member; list-priced lines switch to member prices, and member and tier
        promotions apply."""
        if not member_id or not member_id.strip():
            raise CartError("Member id is empty")
        self.member_id = member_id.strip()
        self.member_tier = tier
        self._reprice()

    def detach_member(self) -> None:
        """Remove the member; member-priced lines go back to list prices."""
        self.member_id = None
        self.member_tier = None
        self._reprice()

    def use_promotions(self, pricing: PromotionPricing | None) -> None:
        """Price the cart with these promotions from now on (None: without promotions)."""
        self.pricing = pricing
        self._settle()

    def use_coupon(self, use: CouponUse) -> None:
        """Take a coupon off the goods (one per sale, from its minimum spend)."""
        if self.coupon is not None:
            raise CartError("One coupon per sale", code="coupon_one_per_sale")
        goods = sum(line.net_fen for line in self.lines)
        if not use.saving_fen(goods):
            raise CouponBelowMinimum(
                f"This coupon needs {format_fen(use.min_spend_fen)} of goods; "
                f"the cart has {format_fen(goods)}",
                need=format_fen(use.min_spend_fen),
                goods=format_fen(goods),
            )
        self.coupon = use
        self._settle()

    def drop_coupon(self) -> CouponUse | None:
        """Take the coupon off the cart; returns it (its hold is the caller's to release)."""
        use, self.coupon = self.coupon, None
        self._settle()
        return use

    @property
    def coupon_fen(self) -> int:
        """What the coupon takes off now (0 when the cart fell below its minimum spend)."""
        return sum(
            a.discount_fen for line in self.lines for a in line.promotions if a.kind == COUPON_KIND
        )

    # -- saving --------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for hold/recall; Cart.from_dict() gives the same cart back."""
        return {
            "version": CART_FORMAT_VERSION,
            "member_id": self.member_id,
            "member_tier": self.member_tier,
            "promotion_version": self.promotion_version,
            "coupon": None if self.coupon is None else self.coupon.to_dict(),
            "order_discount_fen": self.order_discount_fen,
            "next_line_no": self._next_line_no,
            "lines": [line.to_dict() for line in self.lines],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cart:
        """Rebuild a held cart; CartError if the saved data is damaged."""
        try:
            if data.get("version") != CART_FORMAT_VERSION:
                raise CartError(f"Held cart has unknown format {data.get('version')!r}")
            cart = cls()
            cart.lines = [CartLine.from_dict(line) for line in data["lines"]]
            cart.member_id = data["member_id"]
            cart.member_tier = data.get("member_tier", "" if cart.member_id else None)
            cart.promotion_version = data.get("promotion_version")
            coupon = data.get("coupon")
            cart.coupon = None if coupon is None else CouponUse.from_dict(coupon)
            cart.order_discount_fen = whole_number(data["order_discount_fen"], "Discount")
            last_no = max((line.line_no for line in cart.lines), default=0)
            cart._next_line_no = max(whole_number(data["next_line_no"], "Line number"), last_no + 1)
            cart._check_loaded()
        except CartError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CartError(f"Held cart could not be read ({exc})") from exc
        return cart

    # -- helpers -------------------------------------------------------------------------

    def _price_for(self, product: ProductInfo) -> tuple[int, PriceSource]:
        member_price = product.member_price_fen
        if (
            self.member_id is not None
            and member_price is not None
            and member_price <= product.price_fen
        ):
            return member_price, PriceSource.MEMBER
        return product.price_fen, PriceSource.LIST

    def _qty_for(
        self,
        product: ProductInfo,
        qty: int,
        weight_g: int | None,
        fixed_amount_fen: int | None,
    ) -> int:
        if fixed_amount_fen is not None and whole_number(fixed_amount_fen, "Amount") < 0:
            raise CartError("A scale label amount cannot be negative")
        if weight_g is not None:
            if not product.weighed:
                raise CartError(
                    f"{product.name} is not sold by weight",
                    code="cart_not_weighed",
                    name=product.name,
                )
            qty = weight_g
        elif product.weighed and fixed_amount_fen is not None:
            qty = estimate_grams(product, fixed_amount_fen)
        check_qty(product, qty)
        return qty

    def _check_loaded(self) -> None:
        """Refuse saved data that breaks the cart's invariants."""
        if self.member_id is not None and not isinstance(self.member_id, str):
            raise CartError("Held cart has a bad member id")
        if self.member_tier is not None and not isinstance(self.member_tier, str):
            raise CartError("Held cart has a bad member tier")
        if self.promotion_version is not None:
            whole_number(self.promotion_version, "Promotion version")
        numbers = [line.line_no for line in self.lines]
        if len(numbers) != len(set(numbers)):
            raise CartError("Held cart has duplicate line numbers")
        for line in self.lines:
            check_qty(line.product, line.qty)
            for value in (line.fixed_amount_fen, line.line_discount_bp):
                if value is not None and whole_number(value, "Amount") < 0:
                    raise CartError("Held cart has a negative amount")
            off = line.line_discount_fen + line.promo_discount_fen
            if not (
                line.line_discount_fen >= 0
                and line.promo_discount_fen >= 0
                and off <= line.gross_fen
            ):
                raise CartError(f"Held cart line {line.line_no} has an impossible discount")
            if line.promo_discount_fen != sum(a.discount_fen for a in line.promotions):
                raise CartError(f"Held cart line {line.line_no} has promotions that do not add up")
        if not 0 <= self.order_discount_fen <= self._net_sum_fen:
            raise CartError("Held cart has an impossible order discount")

    def _refresh(self, line: CartLine) -> None:
        """Keep a line's discount within its (changed) amount, then the order discount."""
        if line.line_discount_bp is not None:
            line.line_discount_fen = percent_of(line.gross_fen, line.line_discount_bp)
        line.line_discount_fen = min(line.line_discount_fen, line.gross_fen)
        self._settle()

    def _settle(self) -> None:
        """After any change: promotions again, then the order discount kept within the total."""
        self._promote()
        self.order_discount_fen = min(self.order_discount_fen, self._net_sum_fen)

    def _promote(self) -> None:
        self.promotion_result = promote(self.lines, self.pricing, self.member_tier)
        self.promotion_version = None if self.pricing is None else self.pricing.rules.version
        apply_coupon(self.lines, self.coupon)

    def _reprice(self) -> None:
        for line in self.lines:
            if line.price_source in (PriceSource.LIST, PriceSource.MEMBER):
                line.unit_price_fen, line.price_source = self._price_for(line.product)
                self._refresh(line)
        self._settle()
