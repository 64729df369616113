"""Coupons (优惠券) on the cart: what a coupon takes off, spread over the lines after the
promotions. The signed code the mini-program shows and the till checks offline is
sync.coupon_code; whether a coupon was used already only the mall knows (the till holds it there
when it can: pos_app.services.coupons, mall.coupons).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pos_app.domain.money import allocate_proportionally, format_fen
from pos_app.domain.promotions import COUPON_KIND

__all__ = [
    "COUPON_KIND",
    "COUPON_PREFIX",
    "CouponUse",
    "coupon_shares",
    "looks_like_coupon_code",
]

COUPON_PREFIX = "CP1"  # how a coupon code starts (sync.coupon_code)


def looks_like_coupon_code(text: str) -> bool:
    """True if the text has the shape of a coupon code (not whether it verifies)."""
    return text.strip().startswith(COUPON_PREFIX)


@dataclass(frozen=True)
class CouponUse:
    """A coupon on a cart: what it is worth, from what spend, and the mall's hold on it (or
    "OFF…" when it was taken offline)."""

    coupon_id: str
    name: str
    value_fen: int
    min_spend_fen: int
    reference: str

    @property
    def label(self) -> str:
        """How the coupon is named on the cart line and the receipt."""
        return self.name or f"优惠券{format_fen(self.value_fen)}"

    def saving_fen(self, goods_fen: int) -> int:
        """What the coupon takes off goods worth goods_fen (after promotions): its value, at
        most the goods, nothing below the minimum spend."""
        if goods_fen <= 0 or goods_fen < self.min_spend_fen:
            return 0
        return min(self.value_fen, goods_fen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "coupon_id": self.coupon_id,
            "name": self.name,
            "value_fen": self.value_fen,
            "min_spend_fen": self.min_spend_fen,
            "reference": self.reference,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CouponUse:
        value, min_spend = data["value_fen"], data["min_spend_fen"]
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in (value, min_spend)):
            raise ValueError("a held coupon has a bad amount")
        return cls(
            str(data["coupon_id"]), str(data["name"]), value, min_spend, str(data["reference"])
        )


def coupon_shares(use: CouponUse, nets: dict[int, int]) -> dict[int, int]:
    """The coupon's saving spread over the lines (line_no -> net after promotions) in
    proportion to what they cost, summing exactly; empty when it does not apply."""
    weights = {line_no: max(net, 0) for line_no, net in nets.items()}
    saving = use.saving_fen(sum(weights.values()))
    if not saving:
        return {}
    return {k: v for k, v in allocate_proportionally(saving, weights).items() if v}
