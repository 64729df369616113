"""The 促销效果 report: per promotion, the sales it applied to, what it took off, what refunds
gave back of it and the net, from the shares recorded beside each sale and refund."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.promotions import cart_pricing
from pos_app.services.refund import refund_sale
from pos_app.services.report_period import Period, shop_today
from pos_app.services.reports import run_report
from pos_app.store.db import Database
from sync.apply import store_promotions
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.hardware.test_promotion_receipt import RULES
from tests.services.test_checkout import cart_with

NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)


def sell(db: Database, *skus: str) -> str:
    cart = cart_with(db, *(barcode_of(sku) for sku in skus))
    cart.use_promotions(cart_pricing(db, lambda: NOW))
    tender = Tender(TenderKind.CASH, cart.total_fen)
    return checkout(db, cart=cart, tenders=[tender], cashier_id=CASHIER_ID).sale_no


def test_each_promotion_shows_what_it_cost_net_of_refunds(db: Database) -> None:
    """Two sales with 第二件半价 (¥1.75 each), one of them over 满10 (¥1.00); one cola of the
    first returned gives back ¥0.88 of its 第二件半价 and ¥0.18 of its 满减."""
    with db.write() as session:
        store_promotions(session, RULES)
    first = sell(db, "1001", "1001", "1003", "1003")
    sell(db, "1001", "1001")
    refund_sale(db, sale_no=first, quantities={1: 1}, cashier_id=CASHIER_ID,
                approver_id=MANAGER_ID)  # fmt: skip
    today = shop_today()
    with db.read() as session:
        table = run_report(session, "promotions", Period(today, today), compare=False)
    assert [row[:5] for row in table.rows] == [
        ("可乐第二件半价 (HALF)", 2, 350, -88, 262),
        ("满10减1 (MJ)", 1, 100, -18, 82),
    ]
