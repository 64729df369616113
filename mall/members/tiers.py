"""Member tiers (会员等级): the chain's thresholds by lifetime spend (fen, net of refunds) or by
points earned (sales and receipt claims, net of refunds), and the upgrades the mall computes
when a member's sales arrive. A member only moves up by these rules (a refund does not take a
tier away; an admin may set one by hand). The tier reaches the till in the member code and the
member look-up, and the till's cart prices tier rules with it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mall.errors import Invalid
from mall.members.keys import chain_value, set_chain_value
from mall.members.models import MemberRow, PointsEntryRow
from mall.models import SaleRow

TIER_RULES_KEY = "tier_rules"
TIER_NAME = re.compile(r"^[a-z0-9_]{1,16}$")
BASES = ("spend", "points")
EARNED = ("sale", "refund", "claim")  # points entries that count towards a tier


@dataclass(frozen=True)
class TierRules:
    """basis: "spend" (fen) or "points"; tiers: (name, threshold) from the lowest up."""

    basis: str = "spend"
    tiers: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise Invalid("bad_tiers", f"等级依据只能是 {' / '.join(BASES)}")
        names = [name for name, _ in self.tiers]
        thresholds = [threshold for _, threshold in self.tiers]
        if not all(TIER_NAME.match(name) for name in names) or len(set(names)) != len(names):
            raise Invalid("bad_tiers", "等级名用 1～16 个小写字母、数字或下划线，且不重复")
        if thresholds != sorted(set(thresholds)) or any(t <= 0 for t in thresholds):
            raise Invalid("bad_tiers", "门槛须大于 0，且从低到高递增")

    def tier_for(self, measure: int) -> str:
        """The highest tier whose threshold the measure reaches ("" for none)."""
        reached = [name for name, threshold in self.tiers if measure >= threshold]
        return reached[-1] if reached else ""

    def rank(self, tier: str) -> int:
        """0 for no tier (or one these rules do not name), then 1, 2, … from the lowest."""
        names = [name for name, _ in self.tiers]
        return names.index(tier) + 1 if tier in names else 0

    def to_dict(self) -> dict[str, Any]:
        return {"basis": self.basis, "tiers": [list(tier) for tier in self.tiers]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TierRules:
        return cls(str(data["basis"]), tuple((str(n), int(t)) for n, t in data["tiers"]))


def tier_rules(session: Session) -> TierRules:
    stored = chain_value(session, TIER_RULES_KEY)
    return TierRules() if stored is None else TierRules.from_dict(stored)


def set_tier_rules(session: Session, rules: TierRules) -> None:
    set_chain_value(session, TIER_RULES_KEY, rules.to_dict())


def measure(session: Session, member_id: str, basis: str) -> int:
    """What the member reached: net spend in fen, or points earned net of refunds."""
    if basis == "spend":
        query = select(func.coalesce(func.sum(SaleRow.total_fen), 0)).where(
            SaleRow.member_id == member_id
        )
    else:
        query = select(func.coalesce(func.sum(PointsEntryRow.delta), 0)).where(
            PointsEntryRow.member_id == member_id, PointsEntryRow.source.in_(EARNED)
        )
    return int(session.scalar(query) or 0)


def upgrade_tiers(session: Session, member_ids: Iterable[str]) -> dict[str, str]:
    """Move members up to the tier they reached (never down); returns {member: new tier}."""
    rules = tier_rules(session)
    if not rules.tiers:
        return {}
    upgraded = {}
    for member_id in sorted(set(member_ids)):
        member = session.get(MemberRow, member_id)
        if member is None:
            continue
        reached = rules.tier_for(measure(session, member_id, rules.basis))
        if rules.rank(reached) > rules.rank(member.tier):
            member.tier = upgraded[member_id] = reached
    return upgraded
