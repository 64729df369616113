"""The till's promotion rules: the versions the mall sent (kept for audit), the newest one that
prices new carts, and what applied to the lines of a stored sale or refund."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from pos_app.domain.cart import Cart
from pos_app.domain.cart_promotions import PromotionPricing
from pos_app.domain.coupons import CouponUse
from pos_app.domain.promotion_rules import RuleSet
from pos_app.domain.promotions import Applied, returned_share
from pos_app.services.till import till_identity
from pos_app.store.bulk import insert_rows
from pos_app.store.db import Database
from pos_app.store.models import PromotionSet, SaleCoupon, SalePromotion, SaleRuleVersion

_NEWEST = select(PromotionSet.rules).order_by(PromotionSet.version.desc()).limit(1)


def current_rules(session: Session) -> RuleSet | None:
    """The newest rule set this till has (None before the mall sent any)."""
    text = session.scalar(_NEWEST)
    return None if text is None else RuleSet.from_dict(json.loads(text))


def rules_of_version(session: Session, version: int) -> RuleSet | None:
    """The rules a sale was priced with, for auditing it."""
    row = session.get(PromotionSet, version)
    return None if row is None else RuleSet.from_dict(json.loads(row.rules))


def cart_pricing(db: Database, clock: Callable[[], datetime]) -> PromotionPricing | None:
    """What a new cart is priced with: the newest rules at this till's store (one short read)."""
    with db.read() as session:
        rules = current_rules(session)
        if rules is None:
            return None
        return PromotionPricing(rules, till_identity(session).store_id, clock)


@dataclass(frozen=True)
class SalePromotions:
    """The rule version a sale was priced with (None: no rules), what applied per line
    number (signed like the line: negative shares on a refund) and the coupon a sale used
    with what it took off (its shares are among the lines' promotions)."""

    version: int | None = None
    lines: Mapping[int, tuple[Applied, ...]] = field(default_factory=dict)
    coupon: CouponUse | None = None
    coupon_fen: int = 0

    @classmethod
    def of_cart(cls, cart: Cart) -> SalePromotions:
        coupon_fen = cart.coupon_fen
        return cls(
            cart.promotion_version,
            {line.line_no: line.promotions for line in cart.lines if line.promotions},
            cart.coupon if coupon_fen else None,
            coupon_fen,
        )


NO_PROMOTIONS = SalePromotions()


@dataclass(frozen=True)
class Returned:
    """A sold line being returned: its number, qty, gross and net, units back before and now."""

    line_no: int
    qty: int
    gross_fen: int
    net_fen: int
    before: int
    now: int


def record_promotions(session: Session, sale_id: int, promotions: SalePromotions) -> None:
    """Store the version, the per-line promotions and the coupon beside the sale (same
    transaction)."""
    if promotions.version is not None:
        version = {"sale_id": sale_id, "version": promotions.version}
        insert_rows(session, SaleRuleVersion, [version])
    if promotions.coupon is not None:
        use = promotions.coupon
        coupon = {
            "sale_id": sale_id,
            "coupon_id": use.coupon_id,
            "reference": use.reference,
            "discount_fen": promotions.coupon_fen,
        }
        insert_rows(session, SaleCoupon, [coupon])
    rows = [
        {
            "sale_id": sale_id,
            "line_no": line_no,
            "rule_id": a.rule_id,
            "name": a.name,
            "kind": a.kind,
            "discount_fen": a.discount_fen,
        }
        for line_no, applied in sorted(promotions.lines.items())
        for a in applied
    ]
    insert_rows(session, SalePromotion, rows)


_SALE_VERSION = select(SaleRuleVersion.version).where(SaleRuleVersion.sale_id == bindparam("id"))
_SALE_PROMOTIONS = (
    select(SalePromotion)
    .where(SalePromotion.sale_id == bindparam("id"))
    .order_by(SalePromotion.line_no, SalePromotion.id)
)


def promotions_of(session: Session, sale_id: int) -> SalePromotions:
    """What a stored sale or refund recorded."""
    version = session.scalar(_SALE_VERSION, {"id": sale_id})
    lines: dict[int, tuple[Applied, ...]] = {}
    for row in session.scalars(_SALE_PROMOTIONS, {"id": sale_id}):
        applied = Applied(row.rule_id, row.name, row.kind, row.discount_fen)
        lines[row.line_no] = (*lines.get(row.line_no, ()), applied)
    return SalePromotions(version, lines)


def refund_promotions(original: SalePromotions, returned: Mapping[int, Returned]) -> SalePromotions:
    """The promotions a refund gives back, per refund line number (negative shares)."""
    lines: dict[int, tuple[Applied, ...]] = {}
    for refund_no, r in returned.items():
        shares = returned_share(
            original.lines.get(r.line_no, ()),
            qty=r.qty,
            gross_fen=r.gross_fen,
            net_fen=r.net_fen,
            before=r.before,
            returned=r.now,
        )
        if shares:
            lines[refund_no] = tuple(replace(a, discount_fen=-a.discount_fen) for a in shares)
    return SalePromotions(original.version, lines)
