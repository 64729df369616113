"""Member tiers end to end: thresholds set with `pos-mall tiers`, a member's synced sales
move them up at the mall (a refund never takes the tier away), and the new tier reaches the
till's cart through the member code, where a tier price applies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from mall.cli import main as mall_cli
from mall.errors import MallError
from mall.members.models import MemberRow
from mall.members.tiers import TierRules
from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import ProductInfo
from pos_app.domain.cart_promotions import PromotionPricing
from pos_app.services.members import find_member
from pos_app.services.promotions import current_rules
from pos_app.store.models import utc_now
from sync.apply import store_promotions
from sync.protocol import PromotionSetData
from tests.sync import test_members_e2e
from tests.sync.test_members_e2e import COLA, NOODLES, Shop

shop = test_members_e2e.shop  # the mall, its members and this till paired with it
SILVER_WATER = PromotionSetData(
    version=1,
    time_zone="Asia/Shanghai",
    rules=[{"id": "SW", "name": "银卡价", "kind": "special_price", "skus": ["1003"],
            "price_fen": 150, "tiers": ["silver"]}],
)  # fmt: skip


def tier_of(at: Shop, member_id: str) -> str:
    with at.mall.db.read() as session:
        return session.scalars(select(MemberRow.tier).where(MemberRow.id == member_id)).one()


def test_synced_sales_move_a_member_up_and_the_till_prices_the_new_tier(
    shop: Shop, mall_url: str
) -> None:
    """silver from ¥10.00 spent, gold from ¥1000: a ¥10.00 member sale makes the member silver
    after sync (not before), a refund keeps silver, and the next member code puts the silver
    price of noodles (¥1.50 instead of the member price ¥4.00) on the till's cart."""
    args = ["tiers", "--basis", "spend", "--level", "silver=1000"]
    assert mall_cli([*args, "--level", "gold=100000", "--db", mall_url]) == 0
    member_id = shop.members.add("13800000077")
    view = find_member(shop.db, shop.directory, shop.members.code(member_id), now=utc_now())
    assert view.tier == ""
    sale = shop.sell(COLA, COLA, NOODLES, member_id=member_id)
    assert sale.total_fen == 1000 and tier_of(shop, member_id) == ""
    shop.sync()
    assert tier_of(shop, member_id) == "silver"
    shop.refund(sale.sale_no, 1)
    shop.sync()
    assert tier_of(shop, member_id) == "silver"
    view = find_member(shop.db, shop.directory, shop.members.code(member_id), now=utc_now())
    assert view.tier == "silver"
    with shop.db.write() as session:
        store_promotions(session, SILVER_WATER)
        rules = current_rules(session)
    assert rules is not None
    cart = Cart()
    cart.add(ProductInfo("1003", "康师傅红烧牛肉面", "个", 450, member_price_fen=400))
    cart.use_promotions(PromotionPricing(rules, "S001", lambda: datetime.now(UTC)))
    cart.attach_member(view.member_id)
    assert cart.total_fen == 400  # a member without a tier: the member price
    cart.attach_member(view.member_id, tier=view.tier)
    assert cart.total_fen == 150 and cart.lines[0].promotions[0].name == "银卡价"


def test_tier_rules_are_checked() -> None:
    """Names the till can carry, thresholds rising from above zero, a known basis."""
    rules = TierRules("points", (("silver", 500), ("gold", 2000)))
    assert (rules.tier_for(499), rules.tier_for(500), rules.tier_for(10**6)) == (
        "",
        "silver",
        "gold",
    )
    with pytest.raises(MallError, match="递增"):
        TierRules("spend", (("gold", 2000), ("silver", 500)))
    with pytest.raises(MallError, match="等级名"):
        TierRules("spend", (("Gold!", 2000),))
    with pytest.raises(MallError, match="依据"):
        TierRules("visits", ())
