"""The receipt printer in 设置 (F10), by keys alone: the cashier presses F10, the manager types
their PIN, Alt+P goes to the printer rows (the setup wizard's), a network printer on 127.0.0.1
is typed in, its test page arrives there, Enter saves it; the next sale's receipt goes to it."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from pos_app.hardware import printer_discovery
from pos_app.hardware.printer_discovery import FoundPrinter, network_printers, serial_ports
from pos_app.services.till_settings import read_settings
from pos_app.store.db import Database
from pos_app.ui.main_window import MainWindow
from pos_app.ui.printing import PrinterBridge
from pos_app.ui.qt import QApplication, Qt
from pos_app.ui.settings_dialog import SettingsDialog
from tests.conftest import barcode_of
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter
from tests.ui.conftest import FakeClock, find_open, wait_idle
from tests.ui.keys import ENTER, focused, press, sell_and_print, type_text
from tests.ui.test_dialog_focus import answer_override, approve_as_manager

TAB = Qt.Key.Key_Tab
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def new_printer() -> Iterator[FakePrinter]:
    endpoint = FakePrinter()
    yield endpoint
    endpoint.close()


def test_the_manager_moves_the_till_to_a_new_printer_by_keys(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    printing: PrinterBridge,
    printer: FakePrinter,
    new_printer: FakePrinter,
) -> None:
    answer_override(qtbot, approve_as_manager(clock))
    press(clock, Qt.Key.Key_F10)
    dialog = find_open(window, SettingsDialog)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()), timeout=10_000)
    box = dialog.printer
    assert box.address.text() == printer.uri.removeprefix("tcp://")  # what is set up now

    press(clock, Qt.Key.Key_P, ALT)
    assert focused() is box.kind
    press(clock, Qt.Key.Key_Home)  # 网络打印机 (IP 地址:端口)
    press(clock, TAB)
    assert focused() is box.address
    focused().selectAll()  # type: ignore[attr-defined]
    type_text(clock, f"127.0.0.1:{new_printer.port}")
    press(clock, TAB)
    press(clock, Qt.Key.Key_Down)  # 80 毫米
    press(clock, TAB)
    assert focused() is box.test_button
    press(clock, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "测试页已打印" in box.test_result.text(), timeout=10_000)
    assert "测试" in decode_escpos(new_printer.wait_for_jobs(1)[0]).text

    press(clock, TAB, SHIFT)
    press(clock, TAB, SHIFT)
    assert focused() is box.address
    press(clock, ENTER)  # 确定
    qtbot.waitUntil(lambda: not dialog.isVisible())
    stored = read_settings(db)
    assert (stored.printer_uri, stored.receipt_width_mm) == (
        f"tcp://127.0.0.1:{new_printer.port}",
        80,
    )

    # the test page, the drawer kick, the receipt
    jobs = sell_and_print(qtbot, clock, window, barcode_of("1001"), new_printer, 3)
    assert "可口可乐" in decode_escpos(jobs[-1]).text
    assert printer.jobs == []  # nothing went to the old printer
    wait_idle(qtbot, window)


def test_the_manager_finds_the_network_printer_instead_of_typing_it(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    new_printer: FakePrinter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Alt+F looks for printers in the background (the network sweep narrowed to 127.0.0.0/30
    on the test printer's port, the serial ports as they are); the list takes the keyboard with
    the network printer chosen, its test page prints, Enter stores it."""

    def find_here() -> list[FoundPrinter]:
        here = ipaddress.ip_network("127.0.0.0/30")
        return [*network_printers([here], port=new_printer.port), *serial_ports()]

    monkeypatch.setattr(printer_discovery, "find_printers", find_here)
    answer_override(qtbot, approve_as_manager(clock))
    press(clock, Qt.Key.Key_F10)
    dialog = find_open(window, SettingsDialog)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()), timeout=10_000)
    box = dialog.printer
    press(clock, Qt.Key.Key_F, ALT)
    qtbot.waitUntil(lambda: focused() is box.found, timeout=10_000)
    assert box.found.currentText() == f"网络 127.0.0.1:{new_printer.port}"
    assert box.test_result.text().startswith("找到 ")
    assert (box.kind.currentIndex(), box.address.text()) == (0, f"127.0.0.1:{new_printer.port}")
    press(clock, Qt.Key.Key_T, ALT)
    qtbot.waitUntil(lambda: "测试页已打印" in box.test_result.text(), timeout=10_000)
    assert "测试" in decode_escpos(new_printer.wait_for_jobs(1)[0]).text
    box.address.setFocus()
    press(clock, ENTER)  # 确定
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert read_settings(db).printer_uri == f"tcp://127.0.0.1:{new_printer.port}"
