"""Keys as a cashier and a scanner send them: every key goes to QApplication.focusWidget(), the
widget that has focus right now, so default buttons, focus and the scanner filter are part of
what a test exercises. People type ~150 ms a key, a scanner ~10 ms a key and ends with Enter;
the scanner filter reads those gaps from the test's FakeClock."""

from __future__ import annotations

import time
from typing import TypeVar

from pytestqt.qtbot import QtBot

from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import QApplication, QDialog, Qt, QTest, QWidget
from tests.conftest import WAIT_LIMIT_MS
from tests.hardware.fake_printer import FakePrinter
from tests.ui.conftest import SCANNER_KEY_MS, FakeClock, find_open

D = TypeVar("D", bound=QDialog)

PERSON_KEY_MS = 150
ENTER = Qt.Key.Key_Return


def focused() -> QWidget:
    """The widget that has keyboard focus. Between a dialog closing and its window being active
    again nothing has focus for a moment (the offscreen platform activates windows late under
    load), as a person sees before typing on; a test that finds none within the wait limit
    fails here."""
    deadline = time.monotonic() + WAIT_LIMIT_MS / 1000
    while (widget := QApplication.focusWidget()) is None and time.monotonic() < deadline:
        QTest.qWait(20)
    assert widget is not None, "no widget has keyboard focus"
    return widget


def press(clock: FakeClock, key: Qt.Key, modifier: Qt.KeyboardModifier | None = None) -> None:
    """One key press (Enter, Esc, Tab, an F-key) by a person, on the focused widget."""
    clock.advance(PERSON_KEY_MS)
    if modifier is None:
        QTest.keyClick(focused(), key)
    else:
        QTest.keyClick(focused(), key, modifier)


def type_text(clock: FakeClock, text: str) -> None:
    """Characters typed by a person, each to whatever widget has focus at that moment."""
    for char in text:
        clock.advance(PERSON_KEY_MS)
        QTest.keyClick(focused(), char)


def scan_code(clock: FakeClock, code: str) -> None:
    """A keyboard-wedge scanner burst ending with Enter, into the focused widget."""
    for char in code:
        clock.advance(SCANNER_KEY_MS)
        QTest.keyClick(focused(), char)
    clock.advance(SCANNER_KEY_MS)
    QTest.keyClick(focused(), ENTER)


def open_by_key(
    qtbot: QtBot,
    clock: FakeClock,
    window: MainWindow,
    key: Qt.Key,
    kind: type[D],
    modifier: Qt.KeyboardModifier | None = None,
) -> D:
    """Press key on the sale screen and wait until the dialog it opens has the keyboard."""
    press(clock, key, modifier)
    dialog = find_open(window, kind)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    return dialog


def sell_and_print(
    qtbot: QtBot, clock: FakeClock, window: MainWindow, code: str, printer: FakePrinter, jobs: int
) -> list[bytes]:
    """Back on the sale screen: scan code, F12, ¥10 cash, Enter; wait until the printer has
    `jobs` jobs (the receipt is queued on the GUI thread: keep it running) and return them."""
    window.activateWindow()  # a window manager does this; the offscreen platform has none
    qtbot.waitUntil(lambda: window.isAncestorOf(QApplication.focusWidget()))
    scan_code(clock, code)
    qtbot.waitUntil(lambda: window.sale.model.rowCount() == 1)
    open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    type_text(clock, "10")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: len(printer.jobs) >= jobs, timeout=15_000)
    return list(printer.jobs)
