"""An online pickup order from the customer's phone to the till's counter, with the real mall on
127.0.0.1, the till's own database and its sync worker: the customer finds the nearest store,
buys two products, pays in the sandbox; the mall reserves them; the till shows the order after
one sync round; the cashier scans the pickup code; the reservation becomes a sale, the member
earns the points and the phone shows 已取货. Then a second order is cancelled and refunded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mall.db import MallDatabase
from mall.local import LocalMall
from mall.members.models import PointsEntryRow
from mall.migrate import upgrade
from mall.models import OrderRow, ReservationRow, SalePaymentRow, SaleRow, StockMoveRow
from mall.payment_models import PaymentRow
from mall.payments.sandbox import sandbox_books_fen
from pos_app.store.db import Database
from pos_app.store.models import StockMove
from pos_app.ui.main_window import MainWindow
from pos_app.ui.pickup_dialog import PickupDialog
from pos_app.ui.sync_bridge import SyncBridge
from sync.credentials import pair
from sync.engine import engine_for
from sync.worker import SyncWorker
from tests.mall.customer_support import Shopper, seed_shop, stock_of
from tests.sync.conftest import Mall
from tests.ui.conftest import (
    FakeClock,
    find_open,
    finish_background_work,
    open_synced_window,
    scan,
)

WAIT_MS = 15_000
HERE = {"lat": 31.2300, "lng": 121.4730}


@pytest.fixture
def mall(tmp_path: Path) -> Iterator[Mall]:
    """人民路店 (S001, the till's store) with 5 colas and 3 noodles."""
    url = f"sqlite:///{tmp_path / 'mall.db'}"
    upgrade(url)
    db = MallDatabase(url)
    seed_shop(db, {("S001", "1001"): 5, ("S001", "1003"): 3})
    server = LocalMall.for_database(url).start()
    yield Mall(server, db)
    server.stop()
    db.dispose()


@pytest.fixture
def synced(db: Database, mall: Mall) -> Iterator[SyncBridge]:
    pair(mall.base_url, mall.pair_code("S001"), db.path.parent, till_id="T01")
    bridge = SyncBridge(db, SyncWorker(lambda: engine_for(db)))
    yield bridge
    bridge.stop()


@pytest.fixture
def window(
    qtbot: QtBot, db: Database, clock: FakeClock, synced: SyncBridge
) -> Iterator[MainWindow]:
    """The paired till's window, logged in, its sync worker running."""
    main = open_synced_window(qtbot, db, clock, synced)
    yield main
    finish_background_work(main)


def paid_order(phone: Shopper) -> dict:
    """The nearest store, a cola and a noodle, the first slot, paid in the sandbox."""
    nearest = phone.ok("GET", "/stores/nearest", params=HERE)
    assert nearest["id"] == "S001"
    order = phone.buy("S001", {"1001": 1, "1003": 1})
    paid = phone.pay_in_sandbox(order["id"])
    assert (paid["status_text"], paid["paid_fen"]) == ("待取货", 800)
    return paid


def one_round(qtbot: QtBot, window: MainWindow, synced: SyncBridge, count: int) -> None:
    """One sync round by the till's worker, then the pickup key shows count waiting orders."""
    key = window.sale.key_buttons["open_pickup"]
    synced.worker.sync_now()
    shown = f"({count})" if count else ""
    qtbot.waitUntil(
        lambda: shown in key.text() and ("(" in key.text()) == bool(count), timeout=WAIT_MS
    )


def test_a_paid_pickup_order_is_handed_over_at_the_till_and_a_cancelled_one_refunded(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    clock: FakeClock,
    mall: Mall,
    synced: SyncBridge,
) -> None:
    """Mall ledger and till rows after a hand-over by scan, then after a cancel with refund."""
    qtbot.waitUntil(lambda: "在线" in window.status_labels["sync"].text(), timeout=WAIT_MS)
    phone = Shopper(mall.base_url, "wang")
    member = phone.ok("POST", "/member/bind", json={"wx_phone_code": "phone-13800138000"})
    order = paid_order(phone)
    assert stock_of(mall.db, "S001", "1001") == (5, 1, 4)
    assert stock_of(mall.db, "S001", "1003") == (3, 1, 2)

    one_round(qtbot, window, synced, 1)
    window.sale.open_pickup()
    dialog = find_open(window, PickupDialog)
    assert dialog.table.item(0, 0).text() == order["order_no"]
    assert "可口可乐 330ml×1，康师傅红烧牛肉面×1" in dialog.table.item(0, 2).text()
    assert "8038000" not in dialog.table.item(0, 1).text()  # only the phone's last four
    scan(window, order["pickup_code"], clock, target=dialog.code)
    qtbot.waitUntil(lambda: "已交付" in dialog.message.text(), timeout=WAIT_MS)
    dialog.reject()

    with mall.db.read() as session:
        stored = session.get(OrderRow, order["id"])
        assert stored is not None and stored.status == "completed"
        sale = session.get(SaleRow, stored.sale_id)
        assert sale is not None
        assert (sale.source, sale.total_fen, sale.member_id, sale.points_earned) == (
            "online",
            800,
            member["member_id"],
            8,
        )
        payment_id = session.scalar(
            select(PaymentRow.id).where(PaymentRow.sale_draft_id == order["id"])
        )
        assert session.scalars(
            select(SalePaymentRow.reference).where(SalePaymentRow.sale_id == sale.id)
        ).all() == [payment_id]
        assert sorted(
            session.execute(
                select(ReservationRow.sku, ReservationRow.status).where(
                    ReservationRow.order_id == order["id"]
                )
            )
        ) == [("1001", "consumed"), ("1003", "consumed")]
        assert sorted(
            session.execute(
                select(StockMoveRow.sku, StockMoveRow.delta).where(
                    StockMoveRow.ref == order["order_no"]
                )
            )
        ) == [("1001", -1), ("1003", -1)]
        assert session.execute(
            select(PointsEntryRow.delta, PointsEntryRow.source, PointsEntryRow.ref).where(
                PointsEntryRow.member_id == member["member_id"]
            )
        ).all() == [(8, "sale", sale.id)]
        assert sandbox_books_fen(session, "S001") == 800
    assert stock_of(mall.db, "S001", "1001") == (4, 0, 4)
    with db.read() as session:
        till_moves = session.execute(
            select(StockMove.delta, StockMove.ref).where(
                StockMove.ref == f"online:{order['order_no']}"
            )
        ).all()
        assert [tuple(move) for move in till_moves] == [(-1, f"online:{order['order_no']}")] * 2
    shown = phone.ok("GET", f"/orders/{order['id']}")
    assert (shown["status_text"], shown["points_earned"], shown["pickup_code"]) == (
        "已取货",
        8,
        None,
    )
    assert phone.ok("GET", "/member")["points"] == 8

    # The same again, but the customer cancels after paying: refunded, nothing left at the till.
    second = paid_order(phone)
    one_round(qtbot, window, synced, 1)
    cancelled = phone.ok("POST", f"/orders/{second['id']}/cancel")
    assert (cancelled["status_text"], cancelled["refunded_fen"]) == ("已取消", 800)
    one_round(qtbot, window, synced, 0)
    assert stock_of(mall.db, "S001", "1003") == (2, 0, 2)
    with mall.db.read() as session:
        assert sandbox_books_fen(session, "S001") == 800
    window.sale.open_pickup()
    dialog = find_open(window, PickupDialog)
    assert dialog.table.rowCount() == 0
    scan(window, second["pickup_code"], clock, target=dialog.code)
    assert "没有对应的待自提订单" in dialog.message.text()
    dialog.reject()
