"""Receiving goods (入库) by scanning: supplier, then per item the code, quantity (kg for weighed
goods) and cost price; the lines build up on screen and are posted as one document. A document
the service refuses stays on screen with every broken line named. Runs on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.money import format_fen, parse_yuan
from pos_app.services.receiving import (
    PostedReceiving,
    ReceivingInput,
    ReceivingLineInput,
    post_receiving,
)
from pos_app.services.report_table import grouped_fen
from pos_app.services.stock import stock_value_fen
from pos_app.services.stock_views import Scanned, receiving_scan, suppliers
from pos_app.ui.backoffice.texts import bt
from pos_app.ui.backoffice.widgets import Page, RowsModel, Shared, button, qty_str, table_view
from pos_app.ui.i18n import InputError
from pos_app.ui.qt import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout
from pos_app.ui.widgets import parse_qty


@dataclass(frozen=True)
class DraftLine:
    """A scanned line on screen: qty in units or grams, cost per unit or per kg."""

    code: str
    name: str
    weighed: bool
    qty: int
    cost_fen: int

    @property
    def line_cost_fen(self) -> int:
        return stock_value_fen(weighed=self.weighed, qty=self.qty, cost_fen=self.cost_fen)


class ReceivingPage(Page):
    HEADERS = ("col_code", "col_name", "col_qty", "col_cost", "col_line_cost")

    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.lines: list[DraftLine] = []
        self.scanned: Scanned | None = None
        self.supplier = QComboBox(objectName="supplier", editable=True)
        self.code = QLineEdit(objectName="code", placeholderText=bt("scan_hint"))
        self.name = QLabel(objectName="scanned_name")
        self.qty = QLineEdit(objectName="qty", placeholderText=bt("qty"))
        self.cost = QLineEdit(objectName="cost", placeholderText=bt("cost_yuan"))
        self.code.returnPressed.connect(lambda: self.on_scan(self.code.text()))
        self.qty.returnPressed.connect(self.cost.setFocus)
        self.cost.returnPressed.connect(self.add_line)
        self.model = RowsModel([bt(h) for h in self.HEADERS], [False, False, True, True, True])
        self.view = table_view(self.model, "receiving_lines")
        self.total = QLabel(objectName="total")
        self.post_button = button(bt("post_receiving"), "post", self.post)
        self.post_button.setEnabled(self.viewer.can_write)
        self._layout()
        self._show_lines()

    def _layout(self) -> None:
        entry = QHBoxLayout()
        entry.addWidget(QLabel(bt("supplier")))
        entry.addWidget(self.supplier, 2)
        entry.addWidget(self.code, 3)
        entry.addWidget(self.qty, 1)
        entry.addWidget(self.cost, 1)
        entry.addWidget(button(bt("add_line"), "add_line", self.add_line))
        bottom = QHBoxLayout()
        bottom.addWidget(self.total, 1)
        bottom.addWidget(button(bt("remove_line"), "remove_line", self.remove_line))
        bottom.addWidget(self.post_button)
        layout = QVBoxLayout(self)
        layout.addLayout(entry)
        layout.addWidget(self.name)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        db = self.db
        self.run(lambda: suppliers(db), self._suppliers)

    def _suppliers(self, names: list[str]) -> None:
        typed = self.supplier.currentText()
        self.supplier.clear()
        self.supplier.addItems(names)
        self.supplier.setEditText(typed)

    def on_scan(self, code: str) -> None:
        """A scanned or typed code: look the product up, then ask for qty and cost."""
        db, text = self.db, code.strip()
        self.code.setText(text)
        self.run(lambda: receiving_scan(db, text), self._found)

    def _found(self, scanned: Scanned) -> None:
        self.scanned = scanned
        info = scanned.found.info
        self.name.setText(f"{info.name}  ({info.unit})")
        self.qty.setPlaceholderText(bt("qty_kg") if info.weighed else bt("qty"))
        if scanned.cost_fen is not None and not self.cost.text():
            self.cost.setText(format_fen(scanned.cost_fen, symbol=False))
        self.qty.setFocus()
        self.say("")

    def add_line(self) -> None:
        """Add what the entry row holds (looking the code up first if it was typed)."""
        db, code = self.db, self.code.text().strip()
        if self.scanned is not None and self.scanned.code == code:
            self._append(self.scanned)
        else:
            self.run(lambda: receiving_scan(db, code), self._append)

    def _append(self, scanned: Scanned) -> None:
        self._found(scanned)
        info = scanned.found.info
        try:
            qty = parse_qty(self.qty.text(), weighed=info.weighed, in_kg=True)
            cost = parse_yuan(self.cost.text() or "0")
        except (InputError, ValueError):
            self.fail(InputError(bt("bad_number")))
            return
        self.lines.append(DraftLine(scanned.code, info.name, info.weighed, qty, cost))
        self.scanned = None
        for field in (self.code, self.qty, self.cost):
            field.clear()
        self.name.clear()
        self.code.setFocus()
        self._show_lines()

    def remove_line(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            del self.lines[rows[0].row()]
            self._show_lines()

    def _show_lines(self) -> None:
        rows = [
            [
                line.code,
                line.name,
                qty_str(line.qty, weighed=line.weighed),
                grouped_fen(line.cost_fen),
                grouped_fen(line.line_cost_fen),
            ]
            for line in self.lines
        ]
        self.model.set_rows(rows)
        amount = grouped_fen(sum(line.line_cost_fen for line in self.lines))
        self.total.setText(bt("receiving_total", n=len(self.lines), amount=amount))

    def post(self) -> None:
        doc = ReceivingInput(
            self.supplier.currentText(),
            [ReceivingLineInput(line.code, line.qty, line.cost_fen) for line in self.lines],
        )
        db, actor = self.db, self.viewer.staff_id
        self.run(lambda: post_receiving(db, doc, actor_id=actor), self._posted)

    def _posted(self, posted: PostedReceiving) -> None:
        self.lines = []
        self._show_lines()
        amount = grouped_fen(posted.total_cost_fen)
        self.say(bt("receiving_posted", doc=posted.doc_no, n=posted.lines, amount=amount))
        self.refresh()
