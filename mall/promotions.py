"""Promotion rules on the mall: each edit is a new version (checked by the same domain code the
tills run), fed to every till as the chain-wide change "promotions/current"; the online shop
prices a cart with the same engine, so a cart costs the same at the counter and on the phone."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mall.catalog_view import products_by_sku
from mall.errors import Invalid, NotFound
from mall.feed import record_changes
from mall.models import PromotionSetRow, utc_now
from mall.promotion_view import rule_set
from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartError, ProductInfo
from pos_app.domain.cart_promotions import PromotionPricing
from pos_app.domain.promotion_rules import PromotionRuleError, RuleSet

ENTITY = "promotions"
KEY = "current"
QUOTE_MEMBER = "quote"  # the member id a priced cart carries when a tier is given


def publish_rule_set(session: Session, data: Mapping[str, Any], *, note: str = "") -> RuleSet:
    """Check and keep the rules as the next version, and feed them to the tills."""
    last = session.scalar(select(func.max(PromotionSetRow.version))) or 0
    try:
        rules = RuleSet.from_dict({**data, "version": last + 1})
    except PromotionRuleError as error:
        raise Invalid("invalid_promotion", str(error)) from None
    session.add(
        PromotionSetRow(
            version=rules.version,
            rules=json.dumps(rules.to_dict(), ensure_ascii=False, sort_keys=True),
            created_at=utc_now(),
            note=note[:200],
        )
    )
    record_changes(session, ENTITY, [KEY])
    return rules


def versions(session: Session) -> list[tuple[int, datetime, str]]:
    """Every version kept, oldest first: (version, when, note)."""
    query = select(PromotionSetRow.version, PromotionSetRow.created_at, PromotionSetRow.note)
    return [
        (v, at, note) for v, at, note in session.execute(query.order_by(PromotionSetRow.version))
    ]


def quote_cart(
    session: Session,
    store_id: str,
    items: Sequence[tuple[str, int]],
    *,
    at: datetime,
    member_tier: str | None = None,
) -> Cart:
    """A cart of (sku, units or grams) at this store's prices, priced with the newest rules as
    a till would price it at `at` (member prices and tier rules when a tier is given)."""
    products = products_by_sku(session, store_id, sorted({sku for sku, _ in items}))
    cart = Cart()
    rules = rule_set(session)
    if rules is not None:
        cart.use_promotions(PromotionPricing(rules, store_id, lambda: at))
    if member_tier is not None:
        cart.attach_member(QUOTE_MEMBER, tier=member_tier)
    try:
        for sku, qty in items:
            product = products.get(sku)
            if product is None or product.status != "active":
                raise NotFound(f"商品 {sku} 在门店 {store_id} 没有在售")
            cart.add(
                ProductInfo(
                    sku=product.sku,
                    name=product.name,
                    unit=product.unit,
                    price_fen=product.price_fen,
                    member_price_fen=product.member_price_fen,
                    weighed=product.weighed,
                    tax_rate_bp=product.tax_rate_bp,
                    category=product.category or "",
                ),
                qty=qty,
            )
    except CartError as error:
        raise Invalid("invalid_cart", str(error)) from None
    return cart
