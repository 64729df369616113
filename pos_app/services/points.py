"""Points a member earns at the till; the mall's ledger is the truth (DESIGN §7)."""

from __future__ import annotations

POINTS_PER_YUAN = 1


def points_for_sale(member_id: str | None, paid_fen: int) -> int:
    """Whole points for whole yuan paid; nothing without a member."""
    if member_id is None or paid_fen <= 0:
        return 0
    return paid_fen // 100 * POINTS_PER_YUAN


def points_to_reverse(*, earned: int, refunded_fen: int, paid_fen: int) -> int:
    """The share of the points a sale earned that a refund of refunded_fen takes back."""
    if paid_fen <= 0 or earned <= 0:
        return 0
    return min(earned, (earned * refunded_fen + paid_fen - 1) // paid_fen)
