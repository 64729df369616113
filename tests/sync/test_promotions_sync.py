"""Promotion rules published on the mall reach the till (first start and change feed), price its
cart, and the sale carries the rule version and what applied on each line to the mall."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from mall.cli import main as mall_main
from mall.models import SaleLineRow, SaleRow
from mall.promotions import quote_cart
from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.catalog import product_info
from pos_app.services.checkout import checkout
from pos_app.services.promotions import (
    SalePromotions,
    cart_pricing,
    current_rules,
    promotions_of,
    rules_of_version,
)
from pos_app.services.refund import refund_sale
from pos_app.store.db import Database
from pos_app.store.models import Product, Sale
from sync.credentials import pair
from sync.engine import engine_for
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.services.test_checkout import cart_with
from tests.sync.conftest import Mall

NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
RULES = {
    "time_zone": "Asia/Shanghai",
    "rules": [
        {"id": "HALF", "name": "可乐第二件半价", "kind": "multi_buy", "skus": ["1001"],
         "group_qty": 2, "discounted_qty": 1, "percent_bp": 5000},
        {"id": "MJ", "name": "满10减1", "kind": "spend_off", "steps": [[1000, 100]]},
    ],
}  # fmt: skip


def publish(mall: Mall, tmp_path: Path, rules: dict[str, object], note: str) -> None:
    path = tmp_path / f"{note}.json"
    path.write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")
    assert mall_main(["promo", "set", str(path), "--note", note, "--db", mall.db.url]) == 0


def priced_cart(db: Database) -> Cart:
    """Two colas and noodles as the till has them after sync, priced with its newest rules."""
    cart = Cart()
    cart.use_promotions(cart_pricing(db, lambda: NOW))
    with db.read() as session:
        for sku in ("1001", "1001", "1003"):
            cart.add(product_info(session.scalars(select(Product).where(Product.sku == sku)).one()))
    return cart


def test_rules_reach_the_till_price_the_sale_and_the_mall_records_the_version(
    mall: Mall, db: Database, tmp_path: Path
) -> None:
    """Two colas and noodles: ¥11.50 - ¥1.75 (second cola half) = ¥9.75, under 满10 so no ¥1;
    the mall prices the same cart the same; the sale and its refund carry version 1."""
    publish(mall, tmp_path, RULES, "双十二")
    pair(mall.base_url, mall.pair_code("S001"), db.path.parent, till_id="T01")
    engine = engine_for(db)
    engine.run_once()  # first start: snapshot, then the rules
    cart = priced_cart(db)
    assert (cart.total_fen, cart.promotion_version) == (975, 1)
    with mall.db.read() as session:
        online = quote_cart(session, "S001", [("1001", 2), ("1003", 1)], at=NOW)
    assert online.total_fen == cart.total_fen

    sale = checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 1000)], cashier_id=CASHIER_ID)
    refund_sale(db, sale_no=sale.sale_no, quantities={1: 1}, cashier_id=CASHIER_ID,
                approver_id=MANAGER_ID)  # fmt: skip
    with db.read() as session:
        sale_id, refund_id = session.scalars(select(Sale.id).order_by(Sale.id)).all()
        sold, back = promotions_of(session, sale_id), promotions_of(session, refund_id)
        cola, refunded = session.get(Sale, sale_id).lines[0], session.get(Sale, refund_id).lines[0]  # type: ignore[union-attr]
        assert (cola.discount_fen, cola.net_fen) == (175, 525)
        assert refunded.net_fen == -263  # one of two colas paid ¥5.25: half, rounded up
    assert (sold.version, back.version) == (1, 1)
    assert [(a.name, a.discount_fen) for a in sold.lines[1]] == [("可乐第二件半价", 175)]
    assert [a.discount_fen for a in back.lines[1]] == [-87]  # the refund line: ¥3.50 - ¥2.63
    engine.run_once()
    with mall.db.read() as session:
        rows = session.execute(select(SaleRow.kind, SaleRow.promo_version)).all()
        assert sorted(rows) == [("refund", 1), ("sale", 1)]
        line_promos = session.scalars(select(SaleLineRow.promotions)).all()
        assert sum(bool(p) for p in line_promos) == 2  # the cola line of the sale and the refund

    publish(mall, tmp_path, {**RULES, "rules": RULES["rules"][1:]}, "only-mj")  # type: ignore[index]
    engine.run_once()  # by the change feed
    with db.read() as session:
        assert current_rules(session).version == 2  # type: ignore[union-attr]
        assert rules_of_version(session, 1) is not None  # kept for auditing sale 1
    assert priced_cart(db).total_fen == 700 + 450 - 100


def test_a_till_without_rules_prices_at_list_and_records_no_version(db: Database) -> None:
    """Before the mall sent any rules, nothing changes: no pricing, no version on the sale."""
    assert cart_pricing(db, lambda: NOW) is None
    cart = cart_with(db, barcode_of("1001"), barcode_of("1001"))
    sale = checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 700)], cashier_id=CASHIER_ID)
    with db.read() as session:
        assert promotions_of(session, sale.sale_id) == SalePromotions()
