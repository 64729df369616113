"""One store time zone (setting timezone, default Asia/Shanghai): the status-bar clock, the
recall list (with the held items' names) and the back office show times in it, never the
machine's clock zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from pos_app.store.db import Database
from pos_app.store.settings import set_setting
from pos_app.ui.line_dialogs import RecallDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import Qt
from tests.conftest import barcode_of
from tests.ui.conftest import FakeClock, log_in, open_window, scan
from tests.ui.keys import ENTER, open_by_key, press

TOKYO = ZoneInfo("Asia/Tokyo")  # +9: neither the machine's UTC nor a fixed +8


def _near(shown: str, zone: ZoneInfo, fmt: str) -> bool:
    now = datetime.now(UTC)
    return shown in {(now + timedelta(minutes=d)).astimezone(zone).strftime(fmt) for d in (-1, 0)}


def test_the_status_clock_shows_the_default_store_zone(window: MainWindow) -> None:
    """Without a setting the clock is Asia/Shanghai time, not the machine's (UTC here)."""
    window.refresh_status()
    shown = window.status_labels["clock"].text()
    assert _near(shown, ZoneInfo("Asia/Shanghai"), "%m-%d %H:%M")


def test_clock_and_recall_list_follow_the_store_zone_setting(
    qtbot: QtBot, db: Database, clock: FakeClock
) -> None:
    """timezone = Asia/Tokyo: the clock and a held sale's time are Tokyo time; F6 on an empty
    cart lists the held sale with its items' names, Enter brings it back."""
    with db.write() as session:
        set_setting(session, "timezone", "Asia/Tokyo")
    window = open_window(qtbot, db, clock)
    log_in(qtbot, window)
    window.refresh_status()
    assert _near(window.status_labels["clock"].text(), TOKYO, "%m-%d %H:%M")
    scan(window, barcode_of("1001"), clock)
    scan(window, barcode_of("1002"), clock)
    scan(window, barcode_of("1003"), clock)
    press(clock, Qt.Key.Key_F6)
    assert window.sale.model.rowCount() == 0
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F6, RecallDialog)
    row = dialog.list.item(0).text()
    assert "可口可乐 330ml、农夫山泉 550ml 等 3 种" in row
    assert any(_near(part, TOKYO, "%H:%M") for part in row.split("　"))
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.model.rowCount() == 3)
