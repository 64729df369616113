"""The same cart costs the same on the till and in the mall: rules published on the mall, sent
to the till as the change feed sends them, products as the till stores them, and both sides
pricing with their own code path (the till's Cart from its catalog, the mall's quote)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mall.catalog import add_store, upsert_products
from mall.db import MallDatabase
from mall.migrate import upgrade as upgrade_mall
from mall.promotion_view import rule_set_data
from mall.promotions import publish_rule_set, quote_cart
from pos_app.domain.cart import Cart
from pos_app.domain.promotion_rules import RuleSet
from pos_app.domain.promotions import PromoContext
from pos_app.services.catalog import product_info
from pos_app.services.promotions import cart_pricing
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade as upgrade_till
from pos_app.store.models import Product, Store, Till
from sync.apply import apply_products, store_promotions
from sync.protocol import ProductData
from tests.domain.test_promotion_properties import contexts, rule_sets

CATALOG = [
    ProductData(sku="A", name="可乐", price_fen=350, member_price_fen=300, category="饮料"),
    ProductData(sku="B", name="薯片", price_fen=790, category="零食"),
    ProductData(sku="C", name="矿泉水", price_fen=200, category="饮料"),
    ProductData(sku="D", name="散装苹果", unit="kg", price_fen=1290, weighed=True),
]
WEIGHED = {product.sku for product in CATALOG if product.weighed}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MallDatabase, Database]]:
    """A mall with stores S01/S02 and the catalog, and a till of S01 that has synced it."""
    tmp: Path = tmp_path_factory.mktemp("parity")
    url = f"sqlite:///{tmp / 'mall.db'}"
    upgrade_mall(url)
    mall = MallDatabase(url)
    with mall.write() as session:
        add_store(session, "S01", "人民路店")
        add_store(session, "S02", "解放路店")
        upsert_products(session, CATALOG)
    upgrade_till(tmp / "till.db")
    till = Database(tmp / "till.db")
    with till.write() as session:
        session.add(Store(id="S01", name="人民路店"))
        session.add(Till(id="T01", store_id="S01", name="一号"))
        session.flush()
        apply_products(session, CATALOG)
    yield mall, till
    mall.dispose()
    till.dispose()


items = st.lists(
    st.sampled_from([p.sku for p in CATALOG]).flatmap(
        lambda sku: st.tuples(
            st.just(sku), st.integers(50, 3000) if sku in WEIGHED else st.integers(1, 5)
        )
    ),
    min_size=1,
    max_size=6,
)


def till_cart(till: Database, lines: list[tuple[str, int]], at: datetime, tier: str | None) -> Cart:
    cart = Cart()
    cart.use_promotions(cart_pricing(till, lambda: at))
    if tier is not None:
        cart.attach_member("M1", tier=tier)
    with till.read() as session:
        for sku, qty in lines:
            product = session.scalars(select(Product).where(Product.sku == sku)).one()
            cart.add(product_info(product), qty=qty)
    return cart


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rules=rule_sets(), lines=items, context=contexts)
def test_the_same_cart_costs_the_same_on_the_till_and_in_the_mall(
    both: tuple[MallDatabase, Database],
    rules: RuleSet,
    lines: list[tuple[str, int]],
    context: PromoContext,
) -> None:
    """Each example publishes its rules as a new version on the mall and sends them down."""
    mall, till = both
    with mall.write() as session:
        published = publish_rule_set(session, rules.to_dict())
        sent = rule_set_data(session)
    assert sent is not None
    with till.write() as session:
        store_promotions(session, sent)
    at, tier = context.at, context.member_tier
    on_till = till_cart(till, lines, at, tier)
    with mall.read() as session:
        online = quote_cart(session, "S01", lines, at=at, member_tier=tier)
    assert on_till.promotion_version == online.promotion_version == published.version
    assert on_till.total_fen == online.total_fen
    assert [(line.net_fen, line.promotions) for line in on_till.lines] == [
        (line.net_fen, line.promotions) for line in online.lines
    ]
    event(f"promotions applied: {bool(on_till.promotion_discount_fen)}")
