"""The till window with the real mall on 127.0.0.1: the status bar says online, the pickup key
shows a badge for a new online order, and scanning its pickup code hands it over."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mall.models import OrderRow
from mall.orders import create_order
from pos_app.store.db import Database
from pos_app.ui.main_window import MainWindow
from pos_app.ui.pickup_dialog import PickupDialog
from pos_app.ui.sync_bridge import SyncBridge
from sync.credentials import pair
from sync.engine import engine_for
from sync.worker import SyncWorker
from tests.sync.conftest import Mall, catalog, open_mall
from tests.ui.conftest import (
    FakeClock,
    find_open,
    finish_background_work,
    open_synced_window,
    scan,
)

WAIT_MS = 15_000


@pytest.fixture
def mall(tmp_path: Path) -> Iterator[Mall]:
    yield from open_mall(f"sqlite:///{tmp_path / 'mall.db'}")


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


def test_status_bar_shows_online_and_a_pickup_order_is_handed_over(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, mall: Mall, synced: SyncBridge
) -> None:
    """Online in the status bar; badge (1) after an order; its code completes it at the mall."""
    sync_label = window.status_labels["sync"]
    qtbot.waitUntil(lambda: "在线" in sync_label.text(), timeout=WAIT_MS)
    with mall.db.write() as session:
        order, code = create_order(
            session, "S001", [(catalog()[0].sku, 2)], customer_name="王女士", allow_oversell=True
        )
    synced.worker.sync_now()
    key = window.sale.key_buttons["open_pickup"]
    qtbot.waitUntil(lambda: "(1)" in key.text(), timeout=WAIT_MS)
    window.sale.open_pickup()
    dialog = find_open(window, PickupDialog)
    assert dialog.table.rowCount() == 1 and "王女士" in dialog.table.item(0, 1).text()
    scan(window, code, clock, target=dialog.code)
    qtbot.waitUntil(lambda: "已交付" in dialog.message.text(), timeout=WAIT_MS)

    assert dialog.code.text() == ""
    with mall.db.read() as session:
        status = session.scalar(select(OrderRow.status).where(OrderRow.id == str(order.id)))
    assert status == "completed"
    dialog.reject()


def test_a_wrong_pickup_code_is_refused_on_screen(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, synced: SyncBridge
) -> None:
    """A code that belongs to no open order says so; nothing is sent to the mall."""
    window.sale.open_pickup()
    dialog = find_open(window, PickupDialog)
    scan(window, "99999999", clock, target=dialog.code)
    assert "没有对应的待自提订单" in dialog.message.text()
    dialog.reject()
