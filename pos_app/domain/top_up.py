"""Stored-value top-up bonus tiers (充200送20): pay at least pay_fen, get bonus_fen on top.

The mall credits the bonus its own tiers give; the till shows the same tiers as quick buttons
and prints the bonus it expects, so both sides use this one function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["TopUpTier", "bonus_for", "parse_tier", "tier_label"]


@dataclass(frozen=True, order=True)
class TopUpTier:
    pay_fen: int
    bonus_fen: int


def bonus_for(tiers: Iterable[TopUpTier], paid_fen: int) -> int:
    """The bonus of the highest tier the paid amount reaches (0 if none): tiers do not add up."""
    reached = [tier.bonus_fen for tier in tiers if 0 < tier.pay_fen <= paid_fen]
    return max(reached, default=0)


def _yuan(fen: int) -> str:
    return f"{fen // 100}" if fen % 100 == 0 else f"{fen / 100:.2f}"


def tier_label(tier: TopUpTier) -> str:
    """充200送20 (yuan, whole when it is)."""
    label = f"充{_yuan(tier.pay_fen)}"
    return f"{label}送{_yuan(tier.bonus_fen)}" if tier.bonus_fen else label


def parse_tier(text: str) -> TopUpTier:
    """ "PAY=BONUS" in fen, e.g. 20000=2000; ValueError if not two whole numbers, pay above 0."""
    pay, sep, bonus = text.partition("=")
    if not sep or not pay.isdigit() or not bonus.isdigit() or int(pay) <= 0:
        raise ValueError(f"expected PAY_FEN=BONUS_FEN, got {text!r}")
    return TopUpTier(int(pay), int(bonus))
