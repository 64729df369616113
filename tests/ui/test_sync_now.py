"""立即同步 (Ctrl+S) and sync resuming the moment the mall is back, with the real mall on
127.0.0.1 and the till window: the schedule and the backoff are an hour long, so only the key
and the reachability probe can make these rounds happen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from mall.local import LocalMall
from mall.orders import create_order
from pos_app.store.db import Database
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import Qt
from pos_app.ui.sync_bridge import SyncBridge
from sync.backoff import Backoff
from sync.credentials import pair
from sync.engine import engine_for
from sync.worker import SyncWorker
from tests.sync.conftest import Mall, catalog, open_mall
from tests.ui.conftest import FakeClock, finish_background_work, open_synced_window, scan
from tests.ui.keys import ENTER, open_by_key, press

WAIT_MS = 15_000
HOUR_S = 3600.0


@pytest.fixture
def mall(tmp_path: Path) -> Iterator[Mall]:
    yield from open_mall(f"sqlite:///{tmp_path / 'mall.db'}")


@pytest.fixture
def synced(db: Database, mall: Mall) -> Iterator[SyncBridge]:
    """The till paired with the mall, its worker never due on its own within a test."""
    pair(mall.base_url, mall.pair_code("S001"), db.path.parent, till_id="T01")
    worker = SyncWorker(
        lambda: engine_for(db),
        interval_s=HOUR_S,
        backoff=Backoff(base_s=HOUR_S, max_s=HOUR_S),
        probe_s=0.2,
    )
    bridge = SyncBridge(db, worker)
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


def test_ctrl_s_syncs_at_once_and_brings_a_new_pickup_order(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, mall: Mall, synced: SyncBridge
) -> None:
    """An order paid at the mall shows on the 网单 key only after Ctrl+S (立即同步)."""
    qtbot.waitUntil(lambda: "在线" in window.status_labels["sync"].text(), timeout=WAIT_MS)
    with mall.db.write() as session:
        create_order(
            session, "S001", [(catalog()[0].sku, 1)], customer_name="王女士", allow_oversell=True
        )
    key = window.sale.key_buttons["open_pickup"]
    assert "(1)" not in key.text()
    press(clock, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "(1)" in key.text(), timeout=WAIT_MS)
    assert window.findChild(type(key), "sync_now").text() == "立即同步"


def test_queued_sales_go_the_moment_the_mall_is_back(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database, mall: Mall, synced: SyncBridge
) -> None:
    """Mall down: a sale by keys waits (离线 待传1); mall up again on its port: within seconds
    (not the hour-long backoff) the status says 在线 待传0 and the mall has the sale."""
    label = window.status_labels["sync"]
    qtbot.waitUntil(lambda: "在线" in label.text(), timeout=WAIT_MS)
    before = mall.sales("S001")
    port = mall.server.port
    mall.server.stop()
    scan(window, catalog()[0].sku, clock)  # an item of the mall's catalog, by its code
    assert window.sale.model.rowCount() == 1
    open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    press(clock, ENTER)
    qtbot.waitUntil(lambda: "离线" in label.text() and "待传1" in label.text(), timeout=WAIT_MS)
    mall.server = LocalMall(mall.server.settings, port=port).start()
    qtbot.waitUntil(lambda: "在线" in label.text() and "待传0" in label.text(), timeout=WAIT_MS)
    assert mall.sales("S001")[0] == before[0] + 1
