"""Points rules of a chain and the arithmetic both the till and the mall do with them.

The till awards points with these rules when a member is on the sale (offline too: they arrive
with the sale); the mall uses the same function for a receipt claimed later in the mini-program,
so a purchase earns the same points either way. Points are whole numbers; money is fen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BASE_MULTIPLIER_BP",
    "EarnLine",
    "PointsRules",
    "points_earned",
    "points_for_fen",
    "points_to_reverse",
]

BASE_MULTIPLIER_BP = 10_000  # 1× in basis points
FEN_PER_YUAN = 100


@dataclass(frozen=True)
class EarnLine:
    """A sold line as far as points care: its category and what the customer paid for it."""

    category: str | None
    net_fen: int


@dataclass(frozen=True)
class PointsRules:
    """How a chain awards and redeems points.

    points_per_yuan: points per whole yuan paid; excluded_categories earn nothing (tobacco,
    milk powder…); tier_multipliers_bp: per member tier, 10000 = 1×; expiry_days: points expire
    this long after they were earned, oldest first (0: never); redeem_points_per_yuan: how many
    points pay one yuan as a tender.
    """

    points_per_yuan: int = 1
    excluded_categories: frozenset[str] = frozenset()
    tier_multipliers_bp: Mapping[str, int] = field(default_factory=dict)
    expiry_days: int = 365
    redeem_points_per_yuan: int = 100

    def multiplier_bp(self, tier: str) -> int:
        return self.tier_multipliers_bp.get(tier, BASE_MULTIPLIER_BP)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (settings, the wire)."""
        return {
            "points_per_yuan": self.points_per_yuan,
            "excluded_categories": sorted(self.excluded_categories),
            "tier_multipliers_bp": dict(sorted(self.tier_multipliers_bp.items())),
            "expiry_days": self.expiry_days,
            "redeem_points_per_yuan": self.redeem_points_per_yuan,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PointsRules:
        return cls(
            points_per_yuan=int(data.get("points_per_yuan", 1)),
            excluded_categories=frozenset(data.get("excluded_categories", ())),
            tier_multipliers_bp={
                str(k): int(v) for k, v in data.get("tier_multipliers_bp", {}).items()
            },
            expiry_days=int(data.get("expiry_days", 365)),
            redeem_points_per_yuan=int(data.get("redeem_points_per_yuan", 100)),
        )


def points_earned(
    rules: PointsRules,
    *,
    lines: Iterable[EarnLine],
    total_fen: int,
    redeemed_fen: int = 0,
    tier: str = "",
) -> int:
    """Whole points for a sale: lines outside excluded categories, never more than what was
    paid in money (points and stored value spent earn nothing), times the tier multiplier."""
    eligible = sum(line.net_fen for line in lines if line.category not in rules.excluded_categories)
    eligible = min(eligible, total_fen - redeemed_fen)
    if eligible <= 0:
        return 0
    scale = FEN_PER_YUAN * BASE_MULTIPLIER_BP
    return eligible * rules.points_per_yuan * rules.multiplier_bp(tier) // scale


def points_for_fen(rules: PointsRules, amount_fen: int) -> int:
    """The points that pay amount_fen as a tender (rounded up: a fen is never given away)."""
    return -(-amount_fen * rules.redeem_points_per_yuan // FEN_PER_YUAN)


def points_to_reverse(*, earned: int, refunded_fen: int, paid_fen: int) -> int:
    """The share of the points a sale earned that a refund of refunded_fen takes back (rounded
    up, so a member never keeps points for goods returned)."""
    if paid_fen <= 0 or earned <= 0:
        return 0
    return min(earned, (earned * refunded_fen + paid_fen - 1) // paid_fen)
