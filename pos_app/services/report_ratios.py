"""Shares and averages of report figures: basis points (1234 = 12.34 %), half up, and the one
definition of the average basket (客单价)."""

from __future__ import annotations

from pos_app.domain.money import mul_div_half_up

BASIS_POINTS = 10_000


def share_bp(part: int, whole: int) -> int:
    """part / whole in basis points, half up; 0 when there is no whole."""
    return mul_div_half_up(part, BASIS_POINTS, whole) if whole else 0


def average_fen(total_fen: int, count: int) -> int:
    return mul_div_half_up(total_fen, 1, count) if count else 0


def basket_fen(sums: tuple[int, ...]) -> int:
    """客单价, the one definition (docs/figures.md): net sales (sales less refunds) ÷ sale
    receipts, from (receipts, sales_fen, refunds_fen, ...)."""
    receipts, sales, refunds = sums[:3]
    return average_fen(sales + refunds, receipts)
