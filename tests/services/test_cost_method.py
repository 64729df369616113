"""The cost price a sale line carries (issue 23): last cost by default, or the moving weighted
average of the goods on hand and each receiving, as the shop chooses (setting cost_method)."""

from __future__ import annotations

import sqlite3

import pytest

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.receiving import ReceivingInput, ReceivingLineInput, post_receiving
from pos_app.store.db import Database
from pos_app.store.settings import set_setting
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.services.test_checkout import cart_with

COLA = barcode_of("1001")


def receive(db: Database, qty: int, cost_fen: int) -> None:
    post_receiving(
        db,
        ReceivingInput("饮料批发", [ReceivingLineInput(COLA, qty, cost_fen)]),
        actor_id=MANAGER_ID,
    )


def sold_unit_cost(db: Database) -> int:
    """Sell one cola and return the unit cost its sale line recorded."""
    cart = cart_with(db, COLA)
    checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 1000)], cashier_id=CASHIER_ID)
    with sqlite3.connect(db.path) as raw:
        (cost,) = raw.execute("SELECT unit_cost_fen FROM sale_lines ORDER BY id DESC").fetchone()
    raw.close()
    return int(cost)


@pytest.mark.parametrize(
    ("method", "costs"),
    [
        ("last", [200, 260, 300]),
        # 10 @ ¥2.00 → 200; one sold, 9 left + 11 @ ¥2.60 → (9 × 200 + 11 × 260) / 20 = 233;
        # one sold, 19 left + 1 @ ¥3.00 → (19 × 233 + 300) / 20 = 236.35 → 236
        ("weighted_average", [200, 233, 236]),
    ],
)
def test_a_sale_carries_the_cost_the_shops_method_gives(
    db: Database, method: str, costs: list[int]
) -> None:
    """Each sale line records the cost price the receivings before it left, by the method."""
    if method != "last":
        with db.write() as session:
            set_setting(session, "cost_method", method)
    sold = []
    for qty, cost in ((10, 200), (11, 260), (1, 300)):
        receive(db, qty, cost)
        sold.append(sold_unit_cost(db))
    assert sold == costs
