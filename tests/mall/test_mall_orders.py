"""Online orders: placing reserves stock, hand-over turns the reservation into a sale, cancelling
releases it; availability is on hand − reserved − safety stock."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mall.catalog import set_safety_stock
from mall.db import MallDatabase
from mall.errors import Forbidden, Refused
from mall.models import SaleRow
from mall.orders import cancel_order, create_order, hand_over
from mall.stock import add_move, stock_level


def level(db: MallDatabase, sku: str = "1001") -> tuple[int, int, int]:
    with db.read() as session:
        found = stock_level(session, "S001", sku)
    return found.on_hand, found.reserved, found.available


def test_an_order_reserves_and_hand_over_sells_exactly_once(mall_db: MallDatabase):
    """10 received, 3 reserved then handed over (twice): 7 on hand, one sale of ¥10.50."""
    with mall_db.write() as session:
        add_move(session, "S001", "1001", 10, "receive", "")
        set_safety_stock(session, "S001", "1001", 2)
        order, code = create_order(session, "S001", [("1001", 3)], customer_name="王女士")
    assert (order.status, order.total_fen) == ("paid", 1050)
    assert level(mall_db) == (10, 3, 5)
    with mall_db.write() as session, pytest.raises(Forbidden):
        hand_over(
            session,
            "S001",
            str(order.id),
            "99999999" if code != "99999999" else "1",
            till_id="T01",
            device_id=None,
        )
    for _ in range(2):
        with mall_db.write() as session:
            done = hand_over(session, "S001", str(order.id), code, till_id="T01", device_id=None)
        assert done.status == "completed"
    assert level(mall_db) == (7, 0, 5)
    with mall_db.read() as session:
        sales = session.execute(select(SaleRow.source, SaleRow.sale_no, SaleRow.total_fen)).all()
    assert [tuple(sale) for sale in sales] == [("online", order.order_no, 1050)]


def test_an_order_beyond_availability_is_refused_and_cancel_releases_the_reservation(
    mall_db: MallDatabase,
):
    """With 4 available an order of 5 is refused; an order of 4 cancelled frees them again."""
    with mall_db.write() as session:
        add_move(session, "S001", "1001", 4, "receive", "")
    with mall_db.write() as session, pytest.raises(Refused, match="本店可售 4"):
        create_order(session, "S001", [("1001", 5)])
    with mall_db.write() as session:
        order, _code = create_order(session, "S001", [("1001", 4)])
    assert level(mall_db) == (4, 4, 0)
    with mall_db.write() as session:
        assert cancel_order(session, "S001", str(order.id)).status == "cancelled"
    assert level(mall_db) == (4, 0, 4)
    with mall_db.write() as session, pytest.raises(Refused):
        hand_over(session, "S001", str(order.id), _code, till_id="T01", device_id=None)
