"""The F2 search dialog driven by keys: it shows the first page, then how many products match
in all, fetches more when the cashier moves past the last row, and Enter puts the selected one
in the cart."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos_app.store.db import Database
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QApplication, Qt, QTest
from pos_app.ui.search_dialog import SearchDialog
from tests.services.catalog_helpers import add_product
from tests.ui.conftest import HUMAN_KEY_MS, FakeClock, find_open

TEAS = 61


def test_f2_shows_the_total_fetches_more_on_demand_and_enter_adds_the_item(
    qtbot: QtBot, window: MainWindow, db: Database, clock: FakeClock
) -> None:
    """61 green teas match: 50 shown and the status says 61; End then Down loads the rest;
    Enter on the last one adds it to the cart."""
    for n in range(TEAS):
        add_product(db, f"T{n:03d}", f"绿茶 {n:03d}号", price_fen=300 + n)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F2)
    dialog = find_open(window, SearchDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.query)
    for char in "lvcha":
        clock.advance(HUMAN_KEY_MS)
        QTest.keyClick(QApplication.focusWidget(), char)
    qtbot.waitUntil(lambda: dialog.results.rowCount() == 50, timeout=20_000)
    counted = "找到 61 个商品，显示前 50 个 (↓ 看更多)，回车加入"
    assert dialog.status.text() in ("显示前 50 个 (↓ 看更多)，正在统计总数…，回车加入", counted)
    qtbot.waitUntil(lambda: dialog.status.text() == counted)  # the count follows the page
    for _ in range(6):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: dialog.results.rowCount() == TEAS)
    assert dialog.status.text() == "找到 61 个商品，回车加入"
    for _ in range(20):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.sale.cart.lines) == 1)
    assert window.sale.cart.lines[0].product.name == "绿茶 060号"
    dialog.reject()
