"""Scale layouts in 设置 (F10): a sample label previewed as the sale screen would read it,
dead and overlapping layouts refused with a message, and a saved layout used by the next scan."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from pos_app.domain.scale_layouts import ScaleLayout, make_scale_barcode
from pos_app.services.till_settings import read_settings
from pos_app.store.db import Database
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QApplication, Qt, QTest, QWidget
from pos_app.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import HUMAN_KEY_MS, FakeClock, find_open, scan


def open_settings(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    """F10 on the sale screen (the manager approves); waits until the dialog has the focus."""
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F10)
    dialog = find_open(window, SettingsDialog)
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    return dialog


def type_into(widget: QWidget, text: str, clock: FakeClock) -> None:
    """Give widget the focus (set-up), then type text at human speed into whatever has focus
    ("\n" is the Enter key)."""
    widget.setFocus()
    for char in text:
        clock.advance(HUMAN_KEY_MS)
        key = Qt.Key.Key_Return if char == "\n" else char
        QTest.keyClick(QApplication.focusWidget(), key)


def add_layout(dialog: SettingsDialog, spec: str, clock: FakeClock) -> None:
    """Type one more layout line at the end of the layouts box."""
    dialog.layouts.moveCursor(QTextCursor.MoveOperation.End)
    type_into(dialog.layouts, "\n" + spec, clock)


def press_ok(dialog: SettingsDialog) -> None:
    """Enter in a line edit of the dialog is its default button, OK."""
    dialog.sample.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def test_the_preview_reads_a_sample_label_with_the_layouts_as_typed(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, manager_approves: list[str]
) -> None:
    """With the defaults a 21 label reads as weight; a V layout typed in reads ¥3.45."""
    dialog = open_settings(qtbot, window)
    scan(window, "2100777012348", clock)
    assert dialog.preview.text() == "按 21:FFCCCCCWWWWWK 读：商品编号 (PLU) 00777，重量 1.234 kg"
    assert window.sale.cart.lines == []  # the scan went to the preview, not the cart
    scan(window, "2000123303451", clock)
    assert "金额 ¥303.45" in dialog.preview.text()
    add_layout(dialog, "20:FFCCCCCVPPPPK", clock)
    assert dialog.preview.text() == "按 20:FFCCCCCVPPPPK 读：商品编号 (PLU) 00123，金额 ¥3.45"
    dialog.sample.setFocus()  # the scanner cannot take keys back out of the layouts box
    clock.advance(1000)  # the manager picks up the scanner
    scan(window, "280022293727147983", clock)
    assert dialog.preview.text() == "这是付款码，请在结账时扫"


def test_an_overlapping_layout_is_refused_with_a_message_and_nothing_is_saved(
    qtbot: QtBot, window: MainWindow, db: Database, clock: FakeClock, manager_approves: list[str]
) -> None:
    """20-29 weight next to the default 20-29 price: the preview and OK both say why."""
    before = read_settings(db).scale_layouts
    dialog = open_settings(qtbot, window)
    add_layout(dialog, "20-29:FFCCCCCWWWWWK", clock)
    expected = "秤签格式 20-29:FFCCCCCPPPPPK 和 20-29:FFCCCCCWWWWWK 的标识 20-29 重叠"
    assert dialog.preview.text().startswith(expected)
    press_ok(dialog)
    assert dialog.isVisible()
    assert dialog.error.text().startswith(expected)
    assert read_settings(db).scale_layouts == before


def test_a_dead_layout_is_refused(
    qtbot: QtBot, window: MainWindow, db: Database, clock: FakeClock, manager_approves: list[str]
) -> None:
    """An 18-digit layout on 25-29 could only ever see Alipay codes: refused."""
    dialog = open_settings(qtbot, window)
    add_layout(dialog, "25-29:FFCCCCCPPPPPWWWWWK", clock)
    assert "永远读不到秤签" in dialog.preview.text()
    press_ok(dialog)
    assert "永远读不到秤签" in dialog.error.text()


def test_a_saved_narrower_layout_reads_the_next_scan(
    qtbot: QtBot, window: MainWindow, db: Database, clock: FakeClock, manager_approves: list[str]
) -> None:
    """22 added as a weight layout after the defaults: saved, and a 22 label is then weighed."""
    dialog = open_settings(qtbot, window)
    add_layout(dialog, "22:FFCCCCCWWWWWK", clock)
    press_ok(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "22:FFCCCCCWWWWWK" in read_settings(db).scale_layouts
    label = make_scale_barcode(ScaleLayout.parse_spec("22:FFCCCCCWWWWWK"), "42", weight_g=500)
    scan(window, label, clock)
    [line] = window.sale.cart.lines
    assert (line.product.name, line.qty, line.net_fen) == ("散装苹果", 500, 645)
