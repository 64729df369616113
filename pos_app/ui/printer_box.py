"""The receipt printer rows shared by the setup wizard and 设置 (F10): how the printer is
connected, its address, the paper width and a test page sent straight to it.

The test page (services.printing.print_test_page_now, given by the owner of the rows) and the
search for printers (hardware.printer_discovery: USB, serial, system queues, the local network)
run on the background runner given, never on the GUI thread.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from urllib.parse import urlsplit

from pos_app.hardware import printer_discovery
from pos_app.hardware.printer_discovery import FoundPrinter
from pos_app.services.till_settings import RECEIPT_WIDTHS_MM
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.ops import OpRunner
from pos_app.ui.qt import QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget
from pos_app.ui.widgets import combo, label

SYSTEM_QUEUE = "win32" if sys.platform == "win32" else "cups"
RAW_URI = "uri"  # the owner types a whole URI (file://, or anything the kinds do not cover)
PRINTER_KINDS = (  # text key, URI scheme, placeholder
    ("printer_kind_tcp", "tcp", "192.168.1.50:9100"),
    ("printer_kind_usb", "usb", "0416:5011"),
    ("printer_kind_serial", "serial", "COM3 或 /dev/ttyUSB0"),
    ("printer_kind_queue", SYSTEM_QUEUE, "打印机名称"),
    ("printer_kind_uri", RAW_URI, "file:///dev/usb/lp0"),
    ("printer_kind_none", "", ""),
)
NO_PRINTER = len(PRINTER_KINDS) - 1


def printer_uri(kind: int, address: str) -> str:
    """The printer URI for what the owner chose and typed."""
    scheme = PRINTER_KINDS[kind][1]
    address = address.strip()
    if not scheme or not address:
        return ""
    if scheme == RAW_URI:
        return address
    if scheme == "tcp" and ":" not in address:
        address += ":9100"
    return f"{scheme}://{address}"


def kind_and_address(uri: str) -> tuple[int, str]:
    """What the rows show for a stored URI (the inverse of printer_uri)."""
    if not uri:
        return NO_PRINTER, ""
    scheme = urlsplit(uri).scheme
    for index, (_, kind_scheme, _) in enumerate(PRINTER_KINDS):
        if kind_scheme == scheme and kind_scheme not in ("", RAW_URI):
            return index, uri.removeprefix(f"{scheme}://")
    return [k[1] for k in PRINTER_KINDS].index(RAW_URI), uri


class PrinterBox(QWidget):
    """The widgets of the printer rows; add_rows() puts them into a form."""

    def __init__(
        self,
        parent: QWidget,
        test_page: Callable[[str], object],
        ops: OpRunner,
        *,
        uri: str = "",
        paper_mm: int = RECEIPT_WIDTHS_MM[0],
    ) -> None:
        super().__init__(parent)
        self.hide()  # only its rows show, in the form they are added to
        self.test_page, self.ops = test_page, ops  # test_page(uri) runs in the background
        kinds: list[tuple[str, object]] = [
            (tr(key), n) for n, (key, _, _) in enumerate(PRINTER_KINDS)
        ]
        kind, address = kind_and_address(uri)
        self.kind = combo("printer_kind", kinds, kind)
        self.address = QLineEdit(address, objectName="printer_address")
        widths: list[tuple[str, object]] = [(tr("paper_mm", mm=mm), mm) for mm in RECEIPT_WIDTHS_MM]
        self.paper = combo("paper_width", widths, paper_mm)
        self.test_button = QPushButton(tr("printer_test_page"), objectName="test_page")
        self.test_button.clicked.connect(self.print_test_page)
        self.test_result = label(name="test_result")
        self.test_result.setWordWrap(True)
        self.find_button = QPushButton(tr("printer_find"), objectName="find_printers")
        self.find_button.clicked.connect(self.find_printers)
        self.found = combo("printers_found", [], None)
        self.found.setEnabled(False)
        self.found.activated.connect(self._use_found)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed(self.kind.currentIndex())

    def add_rows(self, form: QFormLayout, *, heading: bool = False) -> None:
        """Connection, address, paper with the test button beside it, 查找打印机 with what it
        found, the answers of both (Tab goes through them in that order)."""
        if heading:
            form.addRow(label(tr("settings_printer"), bold=True))
        form.addRow(tr("printer_connection"), self.kind)
        form.addRow(tr("printer_address"), self.address)
        paper = QWidget()
        row = QHBoxLayout(paper)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.paper, 1)
        row.addWidget(self.test_button)
        form.addRow(tr("printer_paper"), paper)
        found = QWidget()
        row = QHBoxLayout(found)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.find_button)
        row.addWidget(self.found, 1)
        form.addRow(tr("printer_found"), found)
        form.addRow("", self.test_result)

    def _kind_changed(self, index: int) -> None:
        self.address.setPlaceholderText(PRINTER_KINDS[index][2])
        self.address.setEnabled(bool(PRINTER_KINDS[index][1]))

    @property
    def uri(self) -> str:
        return printer_uri(self.kind.currentIndex(), self.address.text())

    @property
    def paper_mm(self) -> int:
        return int(self.paper.currentData())

    def find_printers(self) -> None:
        """Look for printers in the background; the ones found fill the list, which then has the
        keyboard (Enter or a click on one fills in the connection and address)."""
        self.find_button.setEnabled(False)
        self.test_result.setText(tr("printer_finding"))
        find = printer_discovery.find_printers  # looked up now: tests narrow the network sweep
        self.ops.run(find, success=self._show_found, failure=self._find_failed, owner=self)

    def _show_found(self, printers: list[FoundPrinter]) -> None:
        self.find_button.setEnabled(True)
        self.found.clear()
        for printer in printers:
            self.found.addItem(printer.label, printer.uri)
        self.found.setEnabled(bool(printers))
        if not printers:
            self.test_result.setText(tr("printer_found_none"))
            return
        self.test_result.setText(tr("printer_found_n", n=len(printers)))
        self._use_found(0)
        self.found.setFocus()

    def _find_failed(self, error: Exception) -> None:
        self.find_button.setEnabled(True)
        self.test_result.setText(error_text(error))

    def _use_found(self, index: int) -> None:
        kind, address = kind_and_address(str(self.found.itemData(index)))
        self.kind.setCurrentIndex(kind)
        self.address.setText(address)

    def print_test_page(self) -> None:
        uri = self.uri
        if not uri:
            self.test_result.setText(tr("printer_no_address"))
            return
        self.test_result.setText(tr("printer_testing"))
        say: Callable[[str], None] = self.test_result.setText
        test_page = self.test_page
        self.ops.run(
            lambda: test_page(uri),
            success=lambda _status: say(tr("printer_test_ok")),
            failure=lambda error: say(tr("printer_test_failed", detail=error_text(error))),
            owner=self,
        )
