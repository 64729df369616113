"""Points a member earns at the till, with the chain's rules as the mall last sent them
(setting "points_rules"); the mall's ledger is the truth (DESIGN §7)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from pos_app.domain.cart import Cart
from pos_app.domain.points import EarnLine, PointsRules, points_earned, points_to_reverse
from pos_app.store.member_models import KnownMember
from pos_app.store.settings import get_setting, set_setting

if TYPE_CHECKING:  # the contract's models (pydantic) load at first use, after the first screen
    from sync.protocol import PointsRulesData

__all__ = [
    "cart_points",
    "mall_rules",
    "points_for_sale",
    "points_rules",
    "points_to_reverse",
    "save_rules",
]

RULES_SETTING = "points_rules"


def mall_rules(session: Session) -> dict[str, Any]:
    """The points rules and offline caps as the mall last sent them (sync.protocol's
    PointsRulesData as a dict; empty until the mall answered)."""
    return dict(get_setting(session, RULES_SETTING) or {})


def points_rules(session: Session) -> PointsRules:
    """The chain's rules as last received from the mall (1 point per yuan until then)."""
    return PointsRules.from_dict(mall_rules(session))


def save_rules(session: Session, rules: PointsRulesData) -> None:
    set_setting(session, RULES_SETTING, rules.model_dump())


def points_for_sale(
    member_id: str | None,
    paid_fen: int,
    *,
    rules: PointsRules | None = None,
    lines: Sequence[EarnLine] | None = None,
    redeemed_fen: int = 0,
    tier: str = "",
) -> int:
    """Whole points for a sale with a member; nothing without one. Without lines, everything
    paid counts; without rules, one point per whole yuan."""
    if member_id is None or paid_fen <= 0:
        return 0
    return points_earned(
        rules or PointsRules(),
        lines=lines if lines is not None else [EarnLine(None, paid_fen)],
        total_fen=paid_fen,
        redeemed_fen=redeemed_fen,
        tier=tier,
    )


def cart_points(session: Session, cart: Cart, *, payable_fen: int, redeemed_fen: int = 0) -> int:
    """The points this cart earns its member when paid (shown before payment, stored on the
    sale): line categories, the member's tier as last known, points-paid amounts excluded."""
    if cart.member_id is None:
        return 0
    known = session.get(KnownMember, cart.member_id)
    paid = cart.paid_by_line()
    return points_for_sale(
        cart.member_id,
        payable_fen,
        rules=points_rules(session),
        lines=[EarnLine(line.product.category or None, paid[line.line_no]) for line in cart.lines],
        redeemed_fen=redeemed_fen,
        tier=known.tier if known is not None else "",
    )
