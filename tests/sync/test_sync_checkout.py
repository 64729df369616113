"""The real checkout, refund and shift close of the till reach the mall as they were recorded."""

from __future__ import annotations

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.refund import refund_sale
from pos_app.services.shift import close_shift
from pos_app.store.db import Database
from sync.credentials import pair
from sync.engine import engine_for
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.services.test_checkout import cart_with
from tests.sync.conftest import Mall


def test_checkout_refund_and_z_close_events_are_accepted_and_counted(mall: Mall, db: Database):
    """Two colas sold, one refunded, the shift closed: the mall has 3.50 net and 1 cola out."""
    cart = cart_with(db, barcode_of("1001"), barcode_of("1001"))
    sale_no = checkout(
        db, cart=cart, tenders=[Tender(TenderKind.CASH, 1000)], cashier_id=CASHIER_ID
    ).sale_no
    refund_sale(
        db, sale_no=sale_no, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    close_shift(db, staff_id=CASHIER_ID, counted_cash_fen=50350)
    pair(mall.base_url, mall.pair_code("S001"), db.path.parent, till_id="T01")
    engine = engine_for(db)
    status = engine.run_once()
    assert (status.pending, status.conflicts) == (0, 0)
    assert mall.sales("S001") == (2, 350)
    assert mall.stock("S001", "1001") == -1
