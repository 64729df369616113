"""Small dialogs of the sale screen: quantity or weight of a line, discount and price
override (with manager approval above the limit), and the list of held sales to recall.
All run on the GUI thread; each changes the cart only when OK succeeds."""

from __future__ import annotations

from collections.abc import Callable

from pos_app.domain.cart import Cart, CartLine
from pos_app.domain.money import format_fen, parse_yuan, percent_of
from pos_app.services.hold import HeldSummary
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import InputError, tr
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.qt import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    Qt,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import FormDialog, label, parse_qty, qty_text


class QtyDialog(FormDialog):
    """Quantity of a line: whole units, or for weighed goods a weight in grams or kilograms."""

    def __init__(self, parent: QWidget | None, line: CartLine) -> None:
        weighed = line.product.weighed
        super().__init__(parent, tr("qty_title"))
        self.weighed = weighed
        self.qty = line.qty
        self.value = QLineEdit(objectName="qty")
        self.kg = QRadioButton(tr("unit_kg"))
        self.grams = QRadioButton(tr("unit_g"))
        name = line.product.name
        self.form.addRow(label(tr("weight_for" if weighed else "qty_for", name=name), bold=True))
        self.form.addRow(tr("col_qty"), self.value)
        if weighed:
            self.kg.setChecked(True)
            units = QHBoxLayout()
            units.addWidget(self.kg)
            units.addWidget(self.grams)
            self.form.addRow(units)
            self.value.setText(qty_text(line.qty, weighed=True).split()[0])
        else:
            self.value.setText(str(line.qty))
        self.value.selectAll()

    def apply(self) -> None:
        self.qty = parse_qty(self.value.text(), weighed=self.weighed, in_kg=self.kg.isChecked())


class DiscountDialog(FormDialog):
    """Line discount (amount or %), order discount, or a new unit price for the line.

    A price change always needs a manager; a discount needs one above the store's limit.
    """

    MODES = ("discount_line_amount", "discount_line_percent", "discount_order", "price_override")

    def __init__(
        self, parent: QWidget | None, ctx: TillContext, cart: Cart, line: CartLine
    ) -> None:
        super().__init__(parent, tr("discount_title"))
        self.ctx, self.cart, self.line = ctx, cart, line
        self.mode = QButtonGroup(self)
        modes = QHBoxLayout()
        for index, key in enumerate(self.MODES):
            button = QRadioButton(tr(key))
            button.setObjectName(key)
            self.mode.addButton(button, index)
            modes.addWidget(button)
        self.mode.button(0).setChecked(True)
        self.value = QLineEdit(objectName="value")
        self.form.addRow(label(f"{line.line_no}. {line.product.name}", bold=True))
        self.form.addRow(tr("discount_kind"), modes)
        self.form.addRow(tr("amount"), self.value)
        self.setMinimumWidth(640)

    def apply(self) -> None:
        mode = self.MODES[self.mode.checkedId()]
        text = self.value.text()
        if mode == "price_override":
            self._override_price(parse_yuan(text))
        elif mode == "discount_order":
            self._discount(
                parse_yuan(text),
                self.cart.total_fen + self.cart.order_discount_fen,
                lambda fen: self.cart.set_order_discount(fen),
            )
        elif mode == "discount_line_amount":
            self._discount(
                parse_yuan(text),
                self.line.gross_fen,
                lambda fen: self.cart.set_line_discount(self.line.line_no, fen),
            )
        else:
            percent_bp = parse_yuan(text)  # read like yuan: "15" % -> 1500 bp, "7.5" -> 750 bp
            self._discount(
                percent_of(self.line.gross_fen, percent_bp),
                self.line.gross_fen,
                lambda _: self.cart.set_line_discount_percent(self.line.line_no, percent_bp),
            )

    def _approve(self, reason: str) -> int:
        approval = OverrideDialog.ask(self, self.ctx, reason)
        if approval is None:
            raise InputError(tr("not_approved"))  # cancelled: no PIN was wrong
        return approval.approver_id

    def _discount(self, discount_fen: int, base_fen: int, give: Callable[[int], None]) -> None:
        approver = None
        if discount_fen > percent_of(base_fen, self.ctx.discount_limit_bp):
            approver = self._approve(tr("reason_discount", amount=format_fen(discount_fen)))
        give(discount_fen)
        if approver is not None:
            self.ctx.journal(
                "discount",
                approver,
                on_error=self._journal_failed,
                line=self.line.line_no,
                discount_fen=discount_fen,
            )

    def _override_price(self, price_fen: int) -> None:
        reason = tr("reason_price", name=self.line.product.name, price=format_fen(price_fen))
        approver = self._approve(reason)
        old = self.line.unit_price_fen
        self.cart.set_manual_price(self.line.line_no, price_fen)
        self.ctx.journal(
            "price_override",
            approver,
            on_error=self._journal_failed,
            line=self.line.line_no,
            sku=self.line.product.sku,
            old_price_fen=old,
            new_price_fen=price_fen,
        )

    def _journal_failed(self, error: Exception) -> None:
        self.error.setText(str(error))


class RecallDialog(FormDialog):
    """The held sales (挂单) of this till; OK recalls the selected one."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None, held: list[HeldSummary]) -> None:
        super().__init__(parent, tr("recall_title"))
        self.list = QListWidget(objectName="held_list")
        for summary in held:
            text = tr(
                "held_row",
                id=summary.held_id,
                time=summary.created_at.astimezone().strftime("%H:%M"),
                n=summary.item_count,
                total=format_fen(summary.total_fen),
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, summary.held_id)
            self.list.addItem(item)
        if held:
            self.list.setCurrentRow(0)
        else:
            self.form.addRow(label(tr("recall_none")))
        self.list.itemActivated.connect(lambda _: self._on_ok())
        self.form.addRow(self.list)

    def apply(self) -> None:
        item = self.list.currentItem()
        if item is None:
            raise InputError(tr("recall_none"))
        self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
