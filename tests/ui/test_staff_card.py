"""A staff card scanned at log-in (or the number typed at scanner speed) is the staff number:
the cursor goes to the PIN, the PIN + Enter logs in; never "请先登录再扫码"."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos_app.store.db import Database
from pos_app.ui.qt import QApplication
from tests.conftest import CASHIER_PIN
from tests.ui.conftest import FakeClock, open_window
from tests.ui.keys import ENTER, focused, press, scan_code, type_text

PAUSE_MS = 1000


def test_a_staff_card_scanned_at_log_in_then_the_pin_logs_in(
    qtbot: QtBot, db: Database, clock: FakeClock
) -> None:
    """Card 1001 scanned into the staff field: the field holds 1001, the PIN field has the
    keyboard; the PIN typed + Enter opens the sale screen as that cashier."""
    window = open_window(qtbot, db, clock)
    window.login.code.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.login.code)
    scan_code(clock, "1001")
    assert window.login.code.text() == "1001"
    assert focused() is window.login.pin
    assert window.login.message.text() == "已读取工号，请输入密码"
    type_text(clock, CASHIER_PIN)
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sale)
    assert window.ctx.staff is not None and window.ctx.staff.name


def test_a_card_scanned_after_the_pin_logs_in_at_once(
    qtbot: QtBot, db: Database, clock: FakeClock
) -> None:
    """PIN typed first, then the card: it logs in without another key."""
    window = open_window(qtbot, db, clock)
    window.login.pin.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.login.pin)
    type_text(clock, CASHIER_PIN)
    clock.advance(PAUSE_MS)  # the cashier reaches for the card
    scan_code(clock, "1001")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sale)
