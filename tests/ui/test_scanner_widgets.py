"""The scanner filter in every kind of editable widget the till uses: typed keys arrive once, in
order, at human and at fast-typist speed; a scanner burst becomes one code and leaves the widget
as it was. Keys go to QApplication.focusWidget(), as a keyboard sends them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot

from pos_app.ui.qt import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStandardItem,
    QStandardItemModel,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTest,
    QTextCursor,
    QVBoxLayout,
    QWidget,
)
from pos_app.ui.scanner import ScannerFilter
from tests.ui import keys
from tests.ui.conftest import FakeClock

CODE = "6901234567892"
FAST_TYPIST_MS = 12  # keys as quick as a scanner's, but no Enter follows


@dataclass(frozen=True)
class Field:
    """An editable widget: how to make it (holding `start`) and the text it shows now."""

    make: Callable[[str], QWidget]
    shown: Callable[[QWidget], str]
    typed: str  # what a cashier types into it
    start: str = ""


def _line_edit(start: str) -> QWidget:
    return QLineEdit(start)


def _spin(start: str) -> QWidget:
    spin = QSpinBox(maximum=99_999)
    spin.setValue(int(start or 0))
    return spin


def _double_spin(start: str) -> QWidget:
    spin = QDoubleSpinBox(maximum=99_999.0, decimals=2)
    spin.setValue(float(start or 0))
    return spin


def _combo(start: str) -> QWidget:
    combo = QComboBox(editable=True)
    combo.addItems(["饮料", "零食"])
    combo.setEditText(start)
    return combo


def _plain(start: str) -> QWidget:
    return QPlainTextEdit(start)


def _table_view(start: str) -> QWidget:
    model = QStandardItemModel(1, 2)
    model.setItem(0, 1, QStandardItem(start))
    view = QTableView()
    view.setModel(model)
    model.setParent(view)
    view.setCurrentIndex(model.index(0, 1))
    return view


def _table_widget(start: str) -> QWidget:
    table = QTableWidget(1, 2)
    table.setItem(0, 1, QTableWidgetItem(start))
    table.setCurrentCell(0, 1)
    return table


def _text(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    assert isinstance(widget, QLineEdit | QSpinBox | QDoubleSpinBox)
    return widget.text()


def _cell(view: QWidget) -> str:
    """The cell as the cashier sees it: the open editor's text, else the model's."""
    assert isinstance(view, QTableView)
    editor = QApplication.focusWidget()
    if isinstance(editor, QLineEdit) and view.isAncestorOf(editor):
        return editor.text()
    return str(view.model().index(0, 1).data() or "")


FIELDS = {
    "line_edit": Field(_line_edit, _text, "1203", start="可乐"),
    "spin_box": Field(_spin, _text, "12"),
    "double_spin_box": Field(_double_spin, _text, "3.5"),
    "editable_combo_box": Field(_combo, _text, "snacks"),
    "plain_text_edit": Field(_plain, _text, "1203 6901", start="x"),
    "table_view_cell": Field(_table_view, _cell, "1"),
    "table_widget_cell": Field(_table_widget, _cell, "12", start="0"),
}


@pytest.fixture
def hosts() -> Iterator[list[QWidget]]:
    """Keeps the test's windows alive (qtbot only holds them weakly)."""
    windows: list[QWidget] = []
    yield windows
    for window in windows:
        window.close()


@pytest.fixture
def scanner(clock: FakeClock) -> Iterator[tuple[ScannerFilter, list[str]]]:
    """The application-wide filter on the test's clock, and the codes it emitted."""
    scanner = ScannerFilter(clock=clock)
    codes: list[str] = []
    scanner.scanned.connect(codes.append)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    scanner.install(app)
    yield scanner, codes
    app.removeEventFilter(scanner)


def has_keyboard(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


def focus_on(qtbot: QtBot, hosts: list[QWidget], field: Field, start: str) -> QWidget:
    """The field in a shown window, with the keyboard on it."""
    host = QWidget()
    hosts.append(host)
    widget = field.make(start)
    QVBoxLayout(host).addWidget(widget)
    host.show()
    host.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: has_keyboard(widget))  # not a window a previous test left open
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        widget.selectAll()  # as Tab leaves it
    elif isinstance(widget, QPlainTextEdit):
        widget.moveCursor(QTextCursor.MoveOperation.End)
    elif isinstance(widget, QLineEdit | QComboBox):
        widget.lineEdit().end(False) if isinstance(widget, QComboBox) else widget.end(False)
    return widget


def fast_keys(clock: FakeClock, text: str, interval_ms: float) -> None:
    for char in text:
        clock.advance(interval_ms)
        QTest.keyClick(keys.focused(), char)


def typed_into(field: Field, text: str) -> str:
    """What the widget shows once `text` was typed into it (spin boxes show numbers)."""
    if field.make in (_line_edit, _combo, _plain) and field.start:
        return field.start + text
    return text


@pytest.mark.parametrize("name", FIELDS)
def test_keys_typed_at_human_speed_arrive_once_and_in_order(
    qtbot: QtBot,
    clock: FakeClock,
    scanner: tuple[ScannerFilter, list[str]],
    hosts: list[QWidget],
    name: str,
) -> None:
    """150 ms a key: every key lands exactly once, in order (the table cell no longer gets 11)."""
    field = FIELDS[name]
    widget = focus_on(qtbot, hosts, field, field.start)
    keys.type_text(clock, field.typed)
    assert field.shown(widget) == typed_into(field, field.typed)
    assert scanner[1] == []


@pytest.mark.parametrize("name", FIELDS)
def test_a_fast_typist_without_enter_loses_no_key(
    qtbot: QtBot,
    clock: FakeClock,
    scanner: tuple[ScannerFilter, list[str]],
    hosts: list[QWidget],
    name: str,
) -> None:
    """Keys at scanner speed with no Enter after them are given back, in order, after a pause."""
    field = FIELDS[name]
    widget = focus_on(qtbot, hosts, field, "")
    text = "7" * 2 + "89" if field.make not in (_combo, _plain, _line_edit) else "ab1c"
    fast_keys(clock, text, FAST_TYPIST_MS)
    keys.type_text(clock, "5")  # a pause, then one more key
    assert field.shown(widget) == typed_into(Field(field.make, field.shown, ""), text + "5")
    assert scanner[1] == []


@pytest.mark.parametrize("name", FIELDS)
def test_a_scan_becomes_one_code_and_leaves_the_widget_as_it_was(
    qtbot: QtBot,
    clock: FakeClock,
    scanner: tuple[ScannerFilter, list[str]],
    hosts: list[QWidget],
    name: str,
) -> None:
    """A burst at 10 ms a key ending with Enter is emitted once; the two keys that leaked into
    the widget (or into the cell editor they opened) are taken back out."""
    field = FIELDS[name]
    start = {_spin: "12", _double_spin: "3.5"}.get(field.make, field.start or "9")
    widget = focus_on(qtbot, hosts, field, start)
    before = field.shown(widget)
    keys.scan_code(clock, CODE)
    assert scanner[1] == [CODE]
    assert field.shown(widget) == before
    keys.type_text(clock, "4")  # typing after the scan goes on as usual
    assert field.shown(widget).count("4") == before.count("4") + 1
    assert scanner[1] == [CODE]


def test_typing_around_a_scan_keeps_every_typed_key_in_order(
    qtbot: QtBot, clock: FakeClock, scanner: tuple[ScannerFilter, list[str]], hosts: list[QWidget]
) -> None:
    """Typed 1, 2; a scan; typed 3: the cell editor holds 123 and the scan is one code."""
    widget = focus_on(qtbot, hosts, FIELDS["table_widget_cell"], "")
    keys.type_text(clock, "12")
    clock.advance(keys.PERSON_KEY_MS)  # the cashier picks up the scanner
    keys.scan_code(clock, CODE)
    keys.type_text(clock, "3")
    assert _cell(widget) == "123"
    assert scanner[1] == [CODE]
    keys.press(clock, keys.ENTER)
    qtbot.waitUntil(lambda: widget.model().index(0, 1).data() == "123")
