"""Wrong PINs typed at the log-in screen and in the manager override dialog lock PIN entry for
longer and longer; the lock survives a restart and every wrong PIN is in the journal. Driven
by keys sent to the focused widget (the focus itself is put where each try starts)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.services.permissions import Action, Need
from pos_app.services.pin_guard import FIRST_LOCK_S, FREE_TRIES
from pos_app.store.db import Database
from pos_app.store.models import JournalEntry
from pos_app.ui.main_window import MainWindow
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.qt import QApplication
from tests.conftest import CASHIER_PIN, MANAGER_PIN
from tests.ui.conftest import FakeClock, open_window
from tests.ui.keys import ENTER, press, type_text


def try_log_in(qtbot: QtBot, window: MainWindow, clock: FakeClock, pin: str) -> str:
    """Type staff number 1001 and pin by keys; returns what the screen then says."""
    window.activateWindow()
    window.login.code.clear()
    window.login.code.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.login.code)
    type_text(clock, "1001")
    press(clock, ENTER)
    type_text(clock, pin)
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.login.message.text() not in ("", "正在验证…"), timeout=10_000)
    return window.login.message.text()


def journal(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(JournalEntry.payload).order_by(JournalEntry.seq)))


def test_wrong_pins_lock_the_log_in_even_after_a_restart(
    qtbot: QtBot, db: Database, clock: FakeClock
) -> None:
    """Five wrong PINs are told so; the sixth locks log-in for 30 s; a restarted till still
    refuses even the right PIN until then; each wrong PIN is journaled."""
    window = open_window(qtbot, db, clock)
    for _ in range(FREE_TRIES):
        assert try_log_in(qtbot, window, clock, "0000") == "工号或密码错误"
    assert (
        try_log_in(qtbot, window, clock, "0000") == f"密码错误次数过多，请 {FIRST_LOCK_S} 秒后再试"
    )
    assert not window.login.button.isEnabled()
    window.close()
    restarted = open_window(qtbot, db, clock)
    said = try_log_in(qtbot, restarted, clock, CASHIER_PIN)
    assert (
        said.startswith("密码错误次数过多") and restarted.stack.currentWidget() is restarted.login
    )
    entries = [p for p in journal(db) if '"scope":"login"' in p]
    assert len(entries) == FREE_TRIES + 1 and '"locked_s":30' in entries[-1]


def test_wrong_manager_pins_lock_the_override_dialog(
    qtbot: QtBot, db: Database, clock: FakeClock, window: MainWindow
) -> None:
    """Six wrong PINs for approver 2001 lock the dialog; then even the manager's PIN is
    refused. A right PIN of someone who may not approve is refused, but is no wrong PIN."""
    dialog = OverrideDialog(window, window.ctx, "作废商品", Need(Action.VOID_LINE))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    def attempt(code: str, pin: str) -> str:
        dialog.activateWindow()
        dialog.code.clear()
        dialog.code.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.code)
        type_text(clock, code)
        press(clock, ENTER)
        type_text(clock, pin)
        press(clock, ENTER)
        qtbot.waitUntil(lambda: dialog.error.text() not in ("", "正在验证…"), timeout=10_000)
        said = dialog.error.text()
        dialog.error.clear()
        return said

    assert attempt("1001", CASHIER_PIN) == "张三（收银员）不能批准删除商品，请主管或经理批准"
    for _ in range(FREE_TRIES):
        assert attempt("2001", CASHIER_PIN) == "工号或密码错误"
    assert attempt("2001", CASHIER_PIN).startswith("密码错误次数过多")
    assert attempt("2001", MANAGER_PIN).startswith("密码错误次数过多")
    assert dialog.approval is None
    assert sum('"scope":"override"' in p for p in journal(db)) == FREE_TRIES + 1
