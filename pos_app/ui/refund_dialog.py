"""Refund (F7): find the original sale by scanning the receipt or typing its number, choose lines
and quantities (at most what is left), and refund to the original tenders with a manager's
approval. The refund is committed by the refund service on the background runner."""

from __future__ import annotations

from pos_app.domain.money import format_fen, mul_div_half_up
from pos_app.services.receipt_lookup import sale_no_from_scan
from pos_app.services.refund import RefundResult, refund_sale
from pos_app.services.till_views import RefundableLine, RefundableSale, refundable_sale
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import InputError, error_text, tender_name, tr
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.qt import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import label, parse_qty, qty_text, show_message

COLUMNS = ("col_no", "col_name", "col_sold", "col_refundable", "col_amount", "col_refund")
REFUND_COLUMN = 5


class RefundDialog(QDialog):
    """Emits refunded(RefundResult) after a refund was committed."""

    refunded = Signal(object)

    def __init__(self, parent: QWidget | None, ctx: TillContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sale: RefundableSale | None = None
        self.setWindowTitle(tr("refund_title"))
        self.number = QLineEdit(objectName="sale_no")
        self.number.setPlaceholderText(tr("refund_hint"))
        self.header = label(name="sale_header")
        self.table = QTableWidget(0, len(COLUMNS), objectName="lines")
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REFUND_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(REFUND_COLUMN, 90)
        self.total = label(point_size=16, bold=True, name="refund_total")
        self.message = label(name="message")
        self.message.setWordWrap(True)
        self.refund_button = QPushButton(tr("refund_do"), objectName="refund")
        self._build()
        ctx.router.push(self.on_scan)
        self.finished.connect(lambda _: ctx.router.remove(self.on_scan))

    def _build(self) -> None:
        find = QPushButton(tr("refund_find"), objectName="find")
        find.clicked.connect(self.find)
        self.number.returnPressed.connect(self.find)
        self.refund_button.clicked.connect(self.refund)
        self.refund_button.setEnabled(False)
        close = QPushButton(tr("close"))
        close.clicked.connect(self.reject)
        self.table.itemChanged.connect(lambda _: self._update_total())
        top = QHBoxLayout()
        top.addWidget(self.number, 1)
        top.addWidget(find)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total, 1)
        bottom.addWidget(self.refund_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.message)
        self.resize(900, 560)

    def on_scan(self, code: str) -> None:
        self.number.setText(code)
        self.find()

    def find(self) -> None:
        """Look the sale up (one indexed read) and list what can still be refunded."""
        try:
            with self.ctx.db.read() as session:
                sale = refundable_sale(session, sale_no_from_scan(session, self.number.text()))
        except Exception as error:  # unknown number, refused URL: said on screen
            show_message(self.message, error_text(error), error=True)
            return
        self.show_sale(sale)

    def show_sale(self, sale: RefundableSale) -> None:
        self.sale = sale
        when = sale.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        self.header.setText(
            tr("refund_sale", sale_no=sale.sale_no, time=when, total=format_fen(sale.total_fen))
        )
        self.table.blockSignals(True)
        self.table.setRowCount(len(sale.lines))
        for row, line in enumerate(sale.lines):
            cells = (
                str(line.line_no),
                line.name,
                qty_text(line.qty, weighed=line.weighed),
                qty_text(line.refundable_qty, weighed=line.weighed),
                format_fen(line.net_fen, symbol=False),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            self.table.setItem(row, REFUND_COLUMN, QTableWidgetItem(""))
        self.table.blockSignals(False)
        self.message.clear()
        self._update_total()

    def set_refund_qty(self, line_no: int, text: str) -> None:
        """Type a quantity into the Refund column of a line (what the cashier does by hand)."""
        assert self.sale is not None
        row = [line.line_no for line in self.sale.lines].index(line_no)
        self.table.item(row, REFUND_COLUMN).setText(text)

    def quantities(self) -> dict[int, int]:
        """line_no -> units (or grams) to refund, from the Refund column."""
        assert self.sale is not None
        chosen: dict[int, int] = {}
        for row, line in enumerate(self.sale.lines):
            text = self.table.item(row, REFUND_COLUMN).text().strip()
            if text:
                chosen[line.line_no] = self._qty(line, text)
        return chosen

    @staticmethod
    def _qty(line: RefundableLine, text: str) -> int:
        qty = parse_qty(text, weighed=line.weighed, in_kg=True)
        if qty > line.refundable_qty:
            raise InputError(f"{line.name}: {qty_text(line.refundable_qty, weighed=line.weighed)}")
        return qty

    def _amount_fen(self, quantities: dict[int, int]) -> int:
        assert self.sale is not None
        lines = {line.line_no: line for line in self.sale.lines}
        return sum(
            mul_div_half_up(lines[no].net_fen, qty, lines[no].qty) for no, qty in quantities.items()
        )

    def _update_total(self) -> None:
        try:
            quantities = self.quantities() if self.sale else {}
        except ValueError as error:
            show_message(self.message, error_text(error), error=True)
            self.refund_button.setEnabled(False)
            return
        self.message.clear()
        self.total.setText(tr("refund_total", amount=format_fen(self._amount_fen(quantities))))
        self.refund_button.setEnabled(bool(quantities))

    def refund(self) -> None:
        """Ask a manager, then commit the refund in the background."""
        if self.sale is None:
            return
        quantities = self.quantities()
        if not quantities:
            show_message(self.message, tr("refund_nothing"), error=True)
            return
        amount = format_fen(self._amount_fen(quantities))
        approval = OverrideDialog.ask(self, self.ctx, tr("reason_refund", amount=amount))
        if approval is None:
            return
        db, sale_no, cashier = self.ctx.db, self.sale.sale_no, self.ctx.staff_id
        self.refund_button.setEnabled(False)
        self.ctx.ops.run(
            lambda: refund_sale(
                db,
                sale_no=sale_no,
                quantities=quantities,
                cashier_id=cashier,
                approver_id=approval.approver_id,
            ),
            success=self._done,
            failure=lambda error: show_message(self.message, error_text(error), error=True),
            owner=self,
        )

    def _done(self, result: RefundResult) -> None:
        assert self.sale is not None
        tenders = "、".join(dict.fromkeys(tender_name(kind) for kind, _ in self.sale.tenders))
        with self.ctx.db.read() as session:
            self.show_sale(refundable_sale(session, self.sale.sale_no))
        show_message(
            self.message,
            tr("refund_done", amount=format_fen(result.refunded_fen), tenders=tenders),
            error=False,
        )
        self.refunded.emit(result)
