"""Refund (F7): find the original sale by scanning the receipt or typing its number, choose lines
and quantities (at most what is left), and refund to the original tenders with a manager's
approval. The refund is committed by the refund service on the background runner; the screen
then shows, in large type, the cash to hand back.

Keys: the dialog opens in the sale number field (Enter finds the sale, or scan the receipt);
the cursor then sits in the 本次退 column: type a quantity, Tab or Enter goes to the next line,
and after the last line to 退款; F4 fills in every line (全部退货); Enter on a button presses
it and never presses a button the cursor is not on; Esc closes."""

from __future__ import annotations

from pos_app.domain.money import format_fen
from pos_app.domain.receipt import qty_text as typed_qty
from pos_app.domain.tenders import TenderKind
from pos_app.services.permissions import Action, Need
from pos_app.services.refund import RefundPlan, RefundResult, SoldLine, plan_refund, refund_sale
from pos_app.services.till_views import RefundableLine, RefundableSale, refundable_sale
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import InputError, error_text, tender_name, tr
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.qt import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLineEdit,
    QModelIndex,
    QObject,
    QPushButton,
    QShortcut,
    QStyledItemDelegate,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import KeyboardDialog, label, parse_qty, qty_text, show_message

COLUMNS = ("col_no", "col_name", "col_sold", "col_refundable", "col_amount", "col_refund")
REFUND_COLUMN = 5
REFUND_ALL_KEY = "F4"
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_NEXT_HINTS = (QAbstractItemDelegate.EndEditHint.EditNextItem,)
Cursor = QAbstractItemView.CursorAction


class _EnterMovesOn(QStyledItemDelegate):
    """Enter in a cell editor keeps what was typed and moves on at once, as Tab does (Qt would
    do it later from the event loop, so a quick second Enter landed in the same cell)."""

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if (
            isinstance(editor, QWidget)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in _ENTER_KEYS
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.EditNextItem)
            return True
        return super().eventFilter(editor, event)


class RefundTable(QTableWidget):
    """The sale's lines; only the 本次退 column takes input. Tab and Enter go down that column,
    committing what was typed, and after the last line emit `passed_last` (on to 退款)."""

    passed_last = Signal()

    def __init__(self, columns: int) -> None:
        super().__init__(0, columns)
        self.setObjectName("lines")
        self.setItemDelegate(_EnterMovesOn(self))

    def moveCursor(self, action: Cursor, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Tab/Backtab step through the 本次退 cells only; past either end: leave the table."""
        if action not in (Cursor.MoveNext, Cursor.MovePrevious):
            return super().moveCursor(action, modifiers)
        row = self.currentRow() + (1 if action is Cursor.MoveNext else -1)
        if not 0 <= row < self.rowCount():
            return QModelIndex()
        return self.model().index(row, REFUND_COLUMN)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Tab or Enter in a cell: keep what was typed and go to the next line's cell."""
        if hint not in _NEXT_HINTS:
            super().closeEditor(editor, hint)
            return
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.next_line()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER_KEYS and self.state() != QAbstractItemView.State.EditingState:
            self.next_line()
            return
        super().keyPressEvent(event)

    def next_line(self) -> None:
        row = self.currentRow() + 1
        if row < self.rowCount():
            self.setCurrentCell(row, REFUND_COLUMN)
        else:
            self.passed_last.emit()


class RefundDialog(KeyboardDialog):
    """Emits refunded(RefundResult) after a refund was committed."""

    refunded = Signal(object)

    def __init__(self, parent: QWidget | None, ctx: TillContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sale: RefundableSale | None = None
        self.by_receipt = False  # the sale was found by scanning its receipt
        self.setWindowTitle(tr("refund_title"))
        self.number = QLineEdit(objectName="sale_no")
        self.number.setPlaceholderText(tr("refund_hint"))
        self.header = label(name="sale_header")
        self.table = RefundTable(len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REFUND_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(REFUND_COLUMN, 90)
        self.total = label(point_size=16, bold=True, name="refund_total")
        self.split = label(name="refund_split")
        self.cash_back = label(point_size=28, bold=True, name="cash_back")
        self.message = label(name="message")
        self.message.setWordWrap(True)
        self.refund_button = QPushButton(tr("refund_do"), objectName="refund")
        self.all_button = QPushButton(tr("refund_all", shortcut=REFUND_ALL_KEY))
        self.all_button.setObjectName("all")
        self._build()
        ctx.router.push(self.on_scan)
        self.finished.connect(lambda _: ctx.router.remove(self.on_scan))

    def _build(self) -> None:
        find = QPushButton(tr("refund_find"), objectName="find")
        find.clicked.connect(self.look_up)
        self.number.returnPressed.connect(self.look_up)
        self.refund_button.clicked.connect(self.refund)
        self.refund_button.setEnabled(False)
        self.all_button.clicked.connect(self.refund_all)
        self.all_button.setEnabled(False)
        QShortcut(QKeySequence(REFUND_ALL_KEY), self).activated.connect(self.all_button.click)
        close = QPushButton(tr("close"))
        close.clicked.connect(self.reject)
        self.table.itemChanged.connect(lambda _: self._update_total())
        self.table.passed_last.connect(self._to_refund_button)
        top = QHBoxLayout()
        top.addWidget(self.number, 1)
        top.addWidget(find)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total, 1)
        bottom.addWidget(self.all_button)
        bottom.addWidget(self.refund_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.split)
        layout.addWidget(self.cash_back)
        layout.addWidget(self.message)
        QWidget.setTabOrder(self.number, self.table)
        QWidget.setTabOrder(self.table, self.refund_button)
        self.resize(900, 600)

    def open(self) -> None:
        """Open window-modally with the cursor in the sale number field."""
        super().open()
        self.activateWindow()
        self.number.setFocus()

    def _to_refund_button(self) -> None:
        if self.refund_button.isEnabled():
            self.refund_button.setFocus()
        else:
            show_message(self.message, tr("refund_nothing"), error=True)

    def on_scan(self, code: str) -> None:
        """The receipt scanned: a refund with the receipt (the permission table tells apart)."""
        self.number.setText(code)
        self.look_up(by_receipt=True)

    def look_up(self, by_receipt: bool = False) -> None:
        """Look the sale up (one indexed read) and list what can still be refunded."""
        try:
            sale = refundable_sale(self.ctx.db, self.number.text())
        except Exception as error:  # unknown number, refused URL: said on screen
            show_message(self.message, error_text(error), error=True)
            return
        self.by_receipt = by_receipt
        self.show_sale(sale)

    def show_sale(self, sale: RefundableSale) -> None:
        self.sale = sale
        when = sale.created_at.astimezone(self.ctx.zone).strftime("%Y-%m-%d %H:%M")
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
        self.cash_back.clear()
        self.all_button.setEnabled(any(line.refundable_qty for line in sale.lines))
        self._update_total()
        if sale.lines:
            self.table.setFocus()
            self.table.setCurrentCell(0, REFUND_COLUMN)

    def refund_all(self) -> None:
        """全部退货: every line's 本次退 set to all that is left, then on to 退款."""
        if self.sale is None:
            return
        for row, line in enumerate(self.sale.lines):
            text = (
                typed_qty(line.refundable_qty, weighed=line.weighed) if line.refundable_qty else ""
            )
            self._cell(row).setText(text.removesuffix("kg"))
        self._to_refund_button()

    def _cell(self, row: int) -> QTableWidgetItem:
        """The 本次退 cell of a row."""
        item = self.table.item(row, REFUND_COLUMN)
        assert item is not None
        return item

    def set_refund_qty(self, line_no: int, text: str) -> None:
        """Type a quantity into the Refund column of a line (what the cashier does by hand)."""
        assert self.sale is not None
        row = [line.line_no for line in self.sale.lines].index(line_no)
        self._cell(row).setText(text)

    def quantities(self) -> dict[int, int]:
        """line_no -> units (or grams) to refund, from the Refund column."""
        assert self.sale is not None
        chosen: dict[int, int] = {}
        for row, line in enumerate(self.sale.lines):
            text = self._cell(row).text().strip()
            if text:
                chosen[line.line_no] = self._qty(line, text)
        return chosen

    @staticmethod
    def _qty(line: RefundableLine, text: str) -> int:
        qty = parse_qty(text, weighed=line.weighed, in_kg=True)
        if qty > line.refundable_qty:
            left = qty_text(line.refundable_qty, weighed=line.weighed)
            raise InputError(tr("refund_too_many", name=line.name, left=left))
        return qty

    def plan(self, quantities: dict[int, int]) -> RefundPlan:
        """What this refund gives back, per tender, exactly as the refund service will."""
        assert self.sale is not None
        lines = [
            SoldLine(line.line_no, line.qty, line.net_fen, line.qty - line.refundable_qty)
            for line in self.sale.lines
        ]
        return plan_refund(lines, self.sale.tendered, quantities)

    def _update_total(self) -> None:
        try:
            quantities = self.quantities() if self.sale else {}
        except ValueError as error:
            show_message(self.message, error_text(error), error=True)
            self.refund_button.setEnabled(False)
            return
        self.message.clear()
        plan = self.plan(quantities) if self.sale else None
        amount = plan.amount_fen if plan else 0
        self.total.setText(tr("refund_total", amount=format_fen(amount)))
        self.split.setText(
            "　".join(
                tr("tender_row", kind=tender_name(tender.kind), amount=format_fen(share))
                for tender, share in (plan.tender_fen if plan else ())
                if share
            )
        )
        self.refund_button.setEnabled(bool(quantities))

    def refund(self) -> None:
        """Ask for approval (the permission table), then commit the refund in the background."""
        if self.sale is None:
            return
        quantities = self.quantities()
        if not quantities:
            show_message(self.message, tr("refund_nothing"), error=True)
            return
        plan = self.plan(quantities)
        amount = format_fen(plan.amount_fen)
        kind = Action.REFUND_RECEIPT if self.by_receipt else Action.REFUND_NO_RECEIPT
        need = Need(kind, plan.amount_fen)
        approval = OverrideDialog.ask(self, self.ctx, tr("reason_refund", amount=amount), need)
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
                approver_id=approval.journal_id,
            ),
            success=lambda result: self._done(result, plan.back_in(TenderKind.CASH)),
            failure=lambda error: show_message(self.message, error_text(error), error=True),
            owner=self,
        )

    def _done(self, result: RefundResult, cash_fen: int) -> None:
        """Committed: show what is left, and in large type the cash to hand back (the printed
        slip and the drawer follow through `refunded`)."""
        assert self.sale is not None
        tenders = "、".join(dict.fromkeys(tender_name(kind) for kind, _ in self.sale.tenders))
        self.show_sale(refundable_sale(self.ctx.db, self.sale.sale_no))
        show_message(
            self.message,
            tr("refund_done", amount=format_fen(result.refunded_fen), tenders=tenders),
            error=False,
        )
        if cash_fen:
            self.cash_back.setText(tr("refund_cash_back", amount=format_fen(cash_fen)))
        self.number.clear()
        self.number.setFocus()
        self.refunded.emit(result)
