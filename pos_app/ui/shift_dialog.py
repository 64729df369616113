"""Shift (F9): open with a float, cash in/out, X report, blind count and the final Z close with
over/short. Every service call runs on the background runner; the dialog shows the report.

Keys: Enter in the float opens the shift (and closes the dialog: the cashier wants to sell);
Enter in the cash-move amount goes to its reason, Enter there records it; Tab goes amount →
reason → counted cash; Enter in the counted cash asks to confirm the Z close, which warns about
held carts and unfinished code payments: Y confirms, Esc or Enter backs out. The Z report is
printed on the receipt printer. No button is a default button, so Enter never does two things.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pos_app.domain.money import format_fen, parse_yuan
from pos_app.services.permissions import Action, Need
from pos_app.services.printing import enqueue_report
from pos_app.services.shift import (
    OpenBusiness,
    ShiftReport,
    close_shift,
    open_business,
    open_shift,
    record_cash_move,
    x_report,
)
from pos_app.services.till_start import status_of
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import error_text, tender_name, tr
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.qt import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import label, show_message


def report_rows(report: ShiftReport) -> list[tuple[str, str]]:
    """The lines of an X or Z report as (caption, amount) pairs."""
    rows = [
        (tr("report_sales", n=report.sales_count), format_fen(report.sales_fen)),
        (tr("report_refunds", n=report.refunds_count), format_fen(report.refunds_fen)),
        (tr("report_net"), format_fen(report.net_fen)),
    ]
    rows += [(tender_name(kind), format_fen(fen)) for kind, fen in sorted(report.by_tender.items())]
    if report.top_ups_count:
        rows.append((tr("report_top_ups", n=report.top_ups_count), format_fen(report.top_ups_fen)))
        rows += [
            (tr("report_top_up_tender", kind=tender_name(kind)), format_fen(fen))
            for kind, fen in sorted(report.top_up_by_tender.items())
        ]
    rows += [
        (tr("report_float"), format_fen(report.float_fen)),
        (tr("report_moves"), format_fen(report.cash_moves_fen)),
    ]
    if report.counted_cash_fen is not None and report.over_short_fen is not None:
        rows += [
            (tr("report_expected"), format_fen(report.expected_cash_fen)),
            (tr("report_counted"), format_fen(report.counted_cash_fen)),
            (tr("report_over_short"), format_fen(report.over_short_fen)),
        ]
    return rows


def z_warning_text(counted_fen: int, business: OpenBusiness) -> str:
    """The Z-close question: final, the counted cash, and what is still open."""
    parts = [tr("z_confirm_text", counted=format_fen(counted_fen))]
    if business.held:
        total = format_fen(sum(held.total_fen for held in business.held))
        parts.append(tr("z_warn_held", n=len(business.held), total=total))
    for attempt in business.unsettled:
        amount = format_fen(attempt.amount_fen)
        parts.append(tr("z_warn_payment", kind=tender_name(attempt.kind), amount=amount))
    return "\n\n".join(parts)


class ShiftDialog(QDialog):
    """Shows the open-shift form when no shift is open, else the shift's actions and report."""

    shift_opened = Signal()

    def __init__(self, parent: QWidget | None, ctx: TillContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.z_approver: int | None = None  # who approved the Z close, when someone had to
        self.setWindowTitle(tr("shift_title"))
        self.float_amount = QLineEdit("500.00", objectName="float")
        self.move_amount = QLineEdit(objectName="move_amount")
        self.move_reason = QLineEdit(objectName="move_reason")
        self.counted = QLineEdit(objectName="counted")
        self.report_title = label(point_size=15, bold=True, name="report_title")
        self.report = QGridLayout()
        self.message = label(name="message")
        self.message.setWordWrap(True)
        self.open_box = QWidget()
        self.actions_box = QWidget()
        self._build()
        self.show_state()

    def _button(self, key: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(tr(key), objectName=name)
        button.setMinimumHeight(40)
        button.setAutoDefault(False)  # Enter in a field does that field's one thing, nothing more
        button.clicked.connect(slot)
        return button

    def _build(self) -> None:
        opening = QFormLayout(self.open_box)
        opening.addRow(label(tr("shift_none")))
        opening.addRow(tr("shift_float"), self.float_amount)
        opening.addRow(self._button("shift_open", "open", self.open_shift))
        actions = QFormLayout(self.actions_box)
        move = QHBoxLayout()
        move.addWidget(self.move_amount)
        move.addWidget(label(tr("shift_reason")))
        move.addWidget(self.move_reason)
        move.addWidget(self._button("shift_record_move", "record_move", self.record_move))
        actions.addRow(tr("shift_cash_move"), move)
        actions.addRow(self._button("shift_x", "x_report", self.show_x_report))
        close = QHBoxLayout()
        close.addWidget(self.counted)
        close.addWidget(self._button("shift_z", "z_close", self.z_close))
        actions.addRow(tr("shift_count"), close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.open_box)
        layout.addWidget(self.actions_box)
        layout.addWidget(self.report_title)
        layout.addLayout(self.report)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self._button("close", "close", self.accept))
        self.setMinimumWidth(640)
        self.float_amount.returnPressed.connect(self.open_shift)
        self.move_amount.returnPressed.connect(self.move_reason.setFocus)
        self.move_reason.returnPressed.connect(self.record_move)
        self.counted.returnPressed.connect(self.z_close)
        QWidget.setTabOrder(self.move_amount, self.move_reason)
        QWidget.setTabOrder(self.move_reason, self.counted)

    def show_state(self) -> None:
        """Open form or shift actions, depending on whether a shift is open now."""
        is_open = status_of(self.ctx.db).shift_id is not None
        self.open_box.setVisible(not is_open)
        self.actions_box.setVisible(is_open)
        field = self.move_amount if is_open else self.float_amount
        field.setFocus()
        field.selectAll()  # typing replaces the suggested float

    def _run(self, op: Callable[[], Any], done: Callable[[Any], None]) -> None:
        show_message(self.message, tr("checking"), error=False)
        self.ctx.ops.run(op, success=done, failure=self._failed, owner=self)

    def _failed(self, error: Exception) -> None:
        show_message(self.message, error_text(error), error=True)

    def _yuan(self, field: QLineEdit) -> int | None:
        try:
            return parse_yuan(field.text())
        except ValueError as error:
            self._failed(error)
            return None

    def open_shift(self) -> None:
        float_fen = self._yuan(self.float_amount)
        if float_fen is None:
            return
        db, staff = self.ctx.db, self.ctx.staff_id
        self._run(lambda: open_shift(db, staff_id=staff, float_fen=float_fen), self._opened)

    def _opened(self, _shift_id: int) -> None:
        """Shift open: back to the sale screen, ready to scan."""
        self.shift_opened.emit()
        self.accept()

    def record_move(self) -> None:
        """Cash in (+) or out (−) of the drawer; taking cash out needs the permission."""
        amount = self._yuan(self.move_amount)
        if amount is None:
            return
        approver = None
        if amount < 0:
            reason = tr("reason_cash_out", amount=format_fen(-amount))
            approval = OverrideDialog.ask(self, self.ctx, reason, Need(Action.CASH_OUT))
            if approval is None:
                return
            approver = approval.journal_id
        db, staff, why = self.ctx.db, self.ctx.staff_id, self.move_reason.text().strip()
        self._run(
            lambda: record_cash_move(
                db, staff_id=staff, amount_fen=amount, reason=why, approver_id=approver
            ),
            lambda _: self._moved(amount),
        )

    def _moved(self, amount_fen: int) -> None:
        self.move_amount.clear()
        self.move_reason.clear()
        show_message(self.message, tr("shift_move_ok", amount=format_fen(amount_fen)), error=False)

    def show_x_report(self) -> None:
        db = self.ctx.db
        self._run(lambda: x_report(db), self.show_report)

    def z_close(self) -> None:
        """Blind count entered: look up what is still open, then ask before the final close."""
        counted = self._yuan(self.counted)
        if counted is None:
            return
        approval = OverrideDialog.ask(self, self.ctx, tr("reason_z_close"), Need(Action.Z_CLOSE))
        if approval is None:
            return
        self.z_approver = approval.journal_id
        db = self.ctx.db
        self._run(lambda: open_business(db), lambda business: self._confirm_z(counted, business))

    def _confirm_z(self, counted_fen: int, business: OpenBusiness) -> None:
        """Z is final: Y confirms; Esc, Enter or 取消 back out (the safe button is the default)."""
        self.message.clear()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("z_confirm_title"),
            z_warning_text(counted_fen, business),
            parent=self,
            objectName="z_confirm",
        )
        confirm = box.addButton(tr("z_confirm_yes"), QMessageBox.ButtonRole.AcceptRole)
        confirm.setShortcut(QKeySequence("Y"))
        cancel = box.addButton(tr("z_confirm_no"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        confirm.clicked.connect(lambda: self._close_shift(counted_fen))
        box.finished.connect(lambda _: self._take_keyboard(self.counted))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        box.activateWindow()
        cancel.setFocus()

    def _take_keyboard(self, field: QWidget) -> None:
        self.activateWindow()
        field.setFocus()

    def _close_shift(self, counted_fen: int) -> None:
        db, staff, approver = self.ctx.db, self.ctx.staff_id, self.z_approver
        self._run(
            lambda: close_shift(
                db, staff_id=staff, counted_cash_fen=counted_fen, approver_id=approver
            ),
            self._closed,
        )

    def _closed(self, report: ShiftReport) -> None:
        self.counted.clear()
        self.show_state()
        self.show_report(report)
        self._print(report)

    def _print(self, report: ShiftReport) -> None:
        """The Z report on the receipt printer, through the print queue (never waits for it)."""
        db, title, rows = self.ctx.db, self.report_title.text(), report_rows(report)
        staff = self.ctx.staff.name if self.ctx.staff else ""
        header = [
            tr(
                "report_slip_header",
                time=datetime.now(self.ctx.zone).strftime("%Y-%m-%d %H:%M"),
                name=staff,
            )
        ]
        self.ctx.ops.run(
            lambda: enqueue_report(db, title, header, rows),
            success=lambda _: show_message(self.message, tr("report_queued"), error=False),
            failure=self._failed,
            owner=self,
        )

    def show_report(self, report: ShiftReport) -> None:
        if report.z_no is None:
            self.report_title.setText(tr("report_title_x", id=report.shift_id))
        else:
            self.report_title.setText(tr("report_title_z", z=report.z_no, id=report.shift_id))
        while self.report.count():
            item = self.report.takeAt(0)
            widget = item.widget() if item else None
            if widget:
                widget.deleteLater()
        for row, (caption, amount) in enumerate(report_rows(report)):
            self.report.addWidget(label(caption, point_size=13), row, 0)
            value = label(amount, point_size=13, bold=True, name=f"report_{row}")
            self.report.addWidget(value, row, 1)
        self.message.clear()

    def report_values(self) -> dict[str, str]:
        """Caption -> amount as shown (tests read the figures the manager sees)."""
        values: dict[str, str] = {}
        for row in range(self.report.rowCount()):
            caption, value = self.report.itemAtPosition(row, 0), self.report.itemAtPosition(row, 1)
            if caption and value:
                values[_text(caption.widget())] = _text(value.widget())
        return values


def _text(widget: QWidget | None) -> str:
    """The text of a report cell (a QLabel; empty for anything else)."""
    return widget.text() if isinstance(widget, QLabel) else ""
