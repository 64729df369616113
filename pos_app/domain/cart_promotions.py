"""The promotions a cart is priced with, and pricing its lines by them: the promotions engine
first, then the coupon spread over what the lines cost after it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.cart_line import CartLine
from pos_app.domain.coupons import COUPON_KIND, CouponUse, coupon_shares
from pos_app.domain.promotion_rules import RuleSet
from pos_app.domain.promotions import (
    Applied,
    PromoContext,
    PromoItem,
    PromotionResult,
    apply_promotions,
)


@dataclass(frozen=True)
class PromotionPricing:
    """The promotions a cart is priced with: a rule set, the store, and the clock that says
    when (the store's wall clock decides which rules are on)."""

    rules: RuleSet
    store_id: str
    clock: Callable[[], datetime]


def promote(
    lines: Sequence[CartLine], pricing: PromotionPricing | None, member_tier: str | None
) -> PromotionResult | None:
    """Give each line what the promotions take off it (None and nothing without pricing)."""
    if pricing is None:
        result = None
    else:
        items = [
            PromoItem(
                line_no=line.line_no,
                sku=line.product.sku,
                category=line.product.category,
                qty=line.qty,
                weighed=line.product.weighed,
                base_fen=line.gross_fen - line.line_discount_fen,
                plain=line.is_plain and line.fixed_amount_fen is None,
            )
            for line in lines
        ]
        context = PromoContext(pricing.store_id, pricing.clock(), member_tier)
        result = apply_promotions(items, pricing.rules, context)
    priced = {} if result is None else {line.line_no: line for line in result.lines}
    for line in lines:
        promo = priced.get(line.line_no)
        line.promotions = () if promo is None else promo.applied
        line.promo_discount_fen = 0 if promo is None else promo.discount_fen
    return result


def apply_coupon(lines: Sequence[CartLine], use: CouponUse | None) -> None:
    """The coupon's share on each line, after the promotions (kind "coupon")."""
    if use is None:
        return
    shares = coupon_shares(use, {line.line_no: line.net_fen for line in lines})
    for line in lines:
        share = shares.get(line.line_no, 0)
        if share:
            applied = Applied(use.coupon_id, use.label, COUPON_KIND, share)
            line.promotions = (*line.promotions, applied)
            line.promo_discount_fen += share
