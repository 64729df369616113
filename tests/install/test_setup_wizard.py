"""The first-run setup wizard, driven only by keys sent to the focused widget, from an empty
data dir to a first sale whose receipt arrives at a TCP printer: store and till number, the
manager log-in, the printer with a test page, the mall skipped, the product list imported from
an XLSX with the headers Chinese POS exports use (a bad file first: reported row by row in
Chinese, nothing imported)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtGui import QInputMethodEvent
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pos_app.domain.gtin import make_ean13
from pos_app.services.till_setup import needs_setup
from pos_app.services.writer import Writer
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Product, Sale, Staff
from pos_app.ui.qt import QApplication, Qt, QWizard
from pos_app.ui.setup_wizard import SetupWizard
from pos_app.ui.shift_dialog import ShiftDialog
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter
from tests.ui.conftest import FakeClock, find_open, open_window
from tests.ui.keys import ENTER, focused, press, sell_and_print, type_text

TAB = Qt.Key.Key_Tab
COLA = make_ean13("690123456789")
NOODLES = make_ean13("692000000001")


def product_list(path: Path, rows: list[tuple[str, ...]]) -> Path:
    """A product list as another Chinese POS exports it: 商品条码, 商品名称, 零售价, 进货价."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["商品条码", "商品名称", "零售价", "进货价"])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture
def empty_till(tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "data" / "till.db"
    upgrade(path)
    db = Database(path)
    yield db
    db.dispose()


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    printer = FakePrinter()
    yield printer
    printer.close()


def type_chinese(text: str) -> None:
    """Chinese as an input method delivers it: one committed string to the focused widget."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(focused(), event)


def next_page(qtbot: QtBot, clock: FakeClock, wizard: SetupWizard, page: object) -> None:
    """Enter on the focused field; wait until the wizard shows page with focus inside it."""
    press(clock, ENTER)
    qtbot.waitUntil(
        lambda: wizard.currentPage() is page and page.isAncestorOf(focused()),
        timeout=10000,
    )


def test_from_an_empty_data_dir_to_a_first_printed_sale_by_keys(
    qtbot: QtBot, empty_till: Database, printer: FakePrinter, tmp_path: Path
) -> None:
    clock = FakeClock()
    db = empty_till
    assert needs_setup(db)
    bad = product_list(
        tmp_path / "bad.xlsx",
        [(COLA, "可口可乐 330ml", "3.50", "2.10"), (NOODLES, "", "4.50", "3")],
    )
    good = product_list(
        tmp_path / "good.xlsx",
        [(COLA, "可口可乐 330ml", "3.50", "2.10"), (NOODLES, "康师傅红烧牛肉面", "4.50", "3.00")],
    )
    wizard = SetupWizard(db, Writer())
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.store.isAncestorOf(QApplication.focusWidget()))

    type_chinese("人民路店")  # store name
    press(clock, TAB)
    type_chinese("人民路 88 号")
    press(clock, TAB)
    press(clock, Qt.Key.Key_Up)  # till number 1 → 2: a second till of this store
    next_page(qtbot, clock, wizard, wizard.manager)

    assert focused() is wizard.manager.code  # the staff number suggested: 2001
    press(clock, TAB)
    type_chinese("王老板")
    press(clock, TAB)
    type_text(clock, "2468")
    press(clock, TAB)
    type_text(clock, "2469")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: "两次输入的密码不一样" in wizard.manager.message.text())
    assert wizard.currentPage() is wizard.manager and focused() is wizard.manager.pin
    type_text(clock, "2468")
    press(clock, TAB)
    type_text(clock, "2468")
    next_page(qtbot, clock, wizard, wizard.printer)

    assert focused() is wizard.printer.box.kind  # 网络打印机 is the first choice
    press(clock, TAB)
    type_text(clock, f"127.0.0.1:{printer.port}")
    press(clock, TAB)  # paper: 58 mm
    press(clock, TAB)
    assert focused() is wizard.printer.box.test_button
    press(clock, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "测试页已打印" in wizard.printer.box.test_result.text(), timeout=10000)
    assert "测试" in decode_escpos(printer.wait_for_jobs(1)[0]).text
    wizard.printer.box.address.setFocus()  # back to the field (Shift+Tab twice does the same)
    next_page(qtbot, clock, wizard, wizard.mall)

    next_page(qtbot, clock, wizard, wizard.products)  # no mall: skipped
    type_text(clock, str(bad))
    press(clock, ENTER)
    qtbot.waitUntil(lambda: "第 3 行" in wizard.products.report.toPlainText(), timeout=10000)
    assert "商品都没有导入" in wizard.products.message.text()
    assert wizard.currentPage() is wizard.products
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 0
    QApplication.focusWidget().selectAll()
    type_text(clock, str(good))
    press(clock, ENTER)
    qtbot.waitUntil(
        lambda: wizard.currentPage() is wizard.page(wizard.pageIds()[-1]), timeout=10000
    )
    assert "已导入 2 个商品" in wizard.products.report.toPlainText()
    press(clock, ENTER)  # 完成
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert not needs_setup(db)

    window = open_window(qtbot, db, clock, printer=True)
    bridge = window.till.printer
    assert bridge is not None
    bridge.start()
    try:
        qtbot.waitUntil(lambda: window.login.code is focused())
        type_text(clock, "2001")
        press(clock, TAB)
        type_text(clock, "2468")
        press(clock, ENTER)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sale)
        press(clock, Qt.Key.Key_F9)
        shift = find_open(window, ShiftDialog)
        qtbot.waitUntil(lambda: shift.isAncestorOf(focused()))
        press(clock, ENTER)  # the float as offered: the shift opens and the dialog closes
        qtbot.waitUntil(lambda: window.sale.open_dialogs() == [], timeout=10000)
        # the test page, the drawer kick, the receipt
        jobs = sell_and_print(qtbot, clock, window, COLA, printer, 3)
    finally:
        bridge.stop()
    receipt = decode_escpos(jobs[-1]).text
    assert "T02-000001" in receipt and "人民路店" in receipt and "可口可乐" in receipt
    with db.read() as session:
        assert [s.sale_no for s in session.scalars(select(Sale))] == ["T02-000001"]
        assert session.scalar(select(Staff.name).where(Staff.code == "2001")) == "王老板"
