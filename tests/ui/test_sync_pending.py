"""The status bar's 待传N follows every outbox write at once, refunds included (issue 13): the
shop is offline, a sale and a refund are made by keys, and 待传2 shows right away, without a sync
round and without the GUI reading the disk every second."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.store.db import Database
from pos_app.store.models import OutboxEvent
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import Qt
from pos_app.ui.refund_dialog import RefundDialog
from pos_app.ui.sync_bridge import SyncBridge
from sync.credentials import pair
from sync.engine import engine_for
from sync.worker import SyncWorker
from tests.conftest import CASHIER_ID, barcode_of
from tests.services.test_checkout import cart_with
from tests.sync.conftest import Mall, open_mall
from tests.ui.conftest import FakeClock, finish_background_work, open_synced_window, wait_idle
from tests.ui.keys import ENTER, focused, open_by_key, press, scan_code, type_text

WAIT_MS = 15_000


@pytest.fixture
def offline_till(db: Database, tmp_path: Path) -> Iterator[SyncBridge]:
    """A till paired with the mall, its earlier sale synced, then the mall goes away."""
    mall_gen = open_mall(f"sqlite:///{tmp_path / 'mall.db'}")
    mall: Mall = next(mall_gen)
    pair(mall.base_url, mall.pair_code("S001"), db.path.parent, till_id="T01")
    cart = cart_with(db, barcode_of("1001"), barcode_of("1003"))
    checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 800)], cashier_id=CASHIER_ID)
    assert engine_for(db).push() == 1  # pushed and acknowledged; the test catalog stays
    mall_gen.close()  # the shop's internet is down from here on
    bridge = SyncBridge(db, SyncWorker(lambda: engine_for(db)))
    yield bridge
    bridge.stop()


@pytest.fixture
def window(
    qtbot: QtBot, db: Database, clock: FakeClock, offline_till: SyncBridge
) -> Iterator[MainWindow]:
    """The offline till's window, logged in, once its status bar says 离线."""
    main = open_synced_window(qtbot, db, clock, offline_till)
    sync_label = main.status_labels["sync"]
    qtbot.waitUntil(lambda: "离线" in sync_label.text(), timeout=WAIT_MS)
    yield main
    finish_background_work(main)


def unsent(db: Database) -> int:
    with db.read() as session:
        query = select(func.count()).select_from(OutboxEvent).where(OutboxEvent.acked_at.is_(None))
        return session.scalar(query) or 0


def test_a_refund_and_a_sale_made_offline_show_two_waiting_at_once(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    offline_till: SyncBridge,
    manager_approves: list[str],
) -> None:
    """Offline with nothing waiting (待传0). A refund of the synced sale (F7, its number, F4,
    Enter) shows 待传1 at once, a cash sale by keys then 待传2; the sync worker's own
    schedule (every 30 s) never ran in between."""
    sync_label = window.status_labels["sync"]
    assert "待传0" in sync_label.text() and unsent(db) == 0
    window._clock.stop()  # the status bar's 1 s refresh must not be what shows the count

    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F7, RefundDialog)
    type_text(clock, "T01-000001")
    press(clock, ENTER)
    press(clock, Qt.Key.Key_F4)
    assert focused() is dialog.refund_button
    press(clock, ENTER)
    wait_idle(qtbot, window)
    assert unsent(db) == 1
    qtbot.waitUntil(lambda: "待传1" in sync_label.text(), timeout=1000)
    press(clock, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])

    qtbot.waitUntil(lambda: focused() is window.sale.table)
    scan_code(clock, barcode_of("1002"))
    payment = open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    type_text(clock, payment.due.text().lstrip("¥"))
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    wait_idle(qtbot, window)
    assert unsent(db) == 2
    qtbot.waitUntil(lambda: "待传2" in sync_label.text(), timeout=1000)
    assert "离线" in sync_label.text()
