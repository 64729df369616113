"""Small dialogs of the sale screen: quantity or weight of a line, discount and price
override (approved as the permission table says), the held sales to recall and the latest
receipts to reprint.
All run on the GUI thread; each changes the cart only when OK succeeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartLine
from pos_app.domain.money import BASIS_POINTS, format_fen, parse_yuan, percent_of
from pos_app.domain.zhe import InvalidZhe, parse_zhe, zhe_text
from pos_app.services.hold import HeldSummary
from pos_app.services.permissions import Action, Need, off_basis_points
from pos_app.services.till_views import RecentSale
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import InputError, error_text, tr
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.qt import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QKeySequence,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QShortcut,
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


@dataclass(frozen=True)
class DiscountMode:
    key: str  # i18n key of the radio button, also its object name
    shortcut: str  # the key that picks it while the dialog is open
    field_key: str  # i18n key of the field's label


class DiscountDialog(FormDialog):
    """折 or an amount off the line or the whole sale, or a new unit price for the line.

    The field starts in 本行打折: 9 + Enter is 九折, 8.5 (or 85) is 八五折. F1–F5 pick the kind.
    A discount deeper than the cashier's role may give, or a price change a role may not make,
    needs an approver (services.permissions). Every discount given here is journaled (who, who
    approved, the fen and the 折).
    """

    MODES = (
        DiscountMode("discount_line_zhe", "F1", "zhe_field"),
        DiscountMode("discount_line_amount", "F2", "amount"),
        DiscountMode("discount_order_zhe", "F3", "zhe_field"),
        DiscountMode("discount_order", "F4", "amount"),
        DiscountMode("price_override", "F5", "unit_price_field"),
    )

    def __init__(
        self, parent: QWidget | None, ctx: TillContext, cart: Cart, line: CartLine
    ) -> None:
        super().__init__(parent, tr("discount_title"))
        self.ctx, self.cart, self.line = ctx, cart, line
        self.mode = QButtonGroup(self)
        modes = QGridLayout()
        for index, mode in enumerate(self.MODES):
            button = QRadioButton(f"{mode.shortcut} {tr(mode.key)}", objectName=mode.key)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the field
            self.mode.addButton(button, index)
            modes.addWidget(button, index // 3, index % 3)
            QShortcut(QKeySequence(mode.shortcut), self).activated.connect(button.click)
        self.value = QLineEdit(objectName="value")
        self.field_label = label()
        self.preview = label(name="preview")
        self.form.addRow(label(f"{line.line_no}. {line.product.name}", bold=True))
        self.form.addRow(tr("discount_kind"), modes)
        self.form.addRow(self.field_label, self.value)
        self.form.addRow(self.preview)
        self.mode.idToggled.connect(self._mode_toggled)
        self.value.textChanged.connect(self._show_preview)
        self.mode.button(0).setChecked(True)
        self.setMinimumWidth(640)

    def _current(self) -> DiscountMode:
        return self.MODES[self.mode.checkedId()]

    def _mode_toggled(self, _id: int, on: bool) -> None:
        if on:
            self._mode_changed()

    def _mode_changed(self) -> None:
        self.field_label.setText(tr(self._current().field_key))
        self.error.clear()
        self._show_preview()
        self.value.setFocus()
        self.value.selectAll()

    def _show_preview(self) -> None:
        """What the typed 折 means, in words and fen, before OK (90 reads 九折, not 90 % off)."""
        text = ""
        if self._current().field_key == "zhe_field":
            try:
                paid_bp = parse_zhe(self.value.text())
            except InvalidZhe:
                paid_bp = None
            if paid_bp is not None:
                off = self._zhe_off_fen(paid_bp)
                text = tr("zhe_preview", zhe=zhe_text(paid_bp), amount=format_fen(off))
        self.preview.setText(text)

    def _order_base_fen(self) -> int:
        return self.cart.total_fen + self.cart.order_discount_fen

    def _zhe_off_fen(self, paid_bp: int) -> int:
        line_mode = self._current().key == "discount_line_zhe"
        base = self.line.gross_fen if line_mode else self._order_base_fen()
        return percent_of(base, BASIS_POINTS - paid_bp)

    def apply(self) -> None:
        mode, text, line, cart = self._current().key, self.value.text(), self.line, self.cart
        if mode == "price_override":
            self._override_price(parse_yuan(text))
        elif mode == "discount_line_zhe":
            paid_bp = parse_zhe(text)
            off_bp = BASIS_POINTS - paid_bp
            self._discount(
                self._zhe_off_fen(paid_bp),
                line.gross_fen,
                lambda _: cart.set_line_discount_percent(line.line_no, off_bp),
                line=line.line_no,
                paid_bp=paid_bp,
            )
        elif mode == "discount_line_amount":
            self._discount(
                parse_yuan(text),
                line.gross_fen,
                lambda fen: cart.set_line_discount(line.line_no, fen),
                line=line.line_no,
            )
        elif mode == "discount_order_zhe":
            paid_bp = parse_zhe(text)
            self._discount(
                self._zhe_off_fen(paid_bp),
                self._order_base_fen(),
                cart.set_order_discount,
                paid_bp=paid_bp,
            )
        else:
            self._discount(parse_yuan(text), self._order_base_fen(), cart.set_order_discount)

    def _approve(self, reason: str, need: Need) -> int | None:
        """Who approved (None: the cashier's own role may); refuses OK when nobody did."""
        approval = OverrideDialog.ask(self, self.ctx, reason, need)
        if approval is None:
            raise InputError(tr("not_approved"))  # cancelled: no PIN was wrong
        return approval.journal_id

    def _discount(
        self, discount_fen: int, base_fen: int, give: Callable[[int], None], **details: int
    ) -> None:
        """Give discount_fen off base_fen (approved when deeper than the role may) and journal
        it."""
        paid_bp = details.get("paid_bp")  # a 折 is judged as typed, not from rounded fen
        if paid_bp is None:
            paid_bp = BASIS_POINTS - off_basis_points(discount_fen, base_fen)
        need = Need(Action.DISCOUNT, BASIS_POINTS - paid_bp)
        approver = self._approve(tr("reason_discount", amount=format_fen(discount_fen)), need)
        give(discount_fen)
        self.ctx.journal(
            "discount",
            approver,
            on_error=self._journal_failed,
            discount_fen=discount_fen,
            base_fen=base_fen,
            **details,
        )

    def _override_price(self, price_fen: int) -> None:
        reason = tr("reason_price", name=self.line.product.name, price=format_fen(price_fen))
        approver = self._approve(reason, Need(Action.PRICE_OVERRIDE))
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
        self.error.setText(error_text(error))


class PickDialog(FormDialog):
    """A list to pick one row from: arrows move, Enter or OK emits the row's value."""

    chosen = Signal(object)

    def __init__(
        self, parent: QWidget | None, title: str, rows: list[tuple[str, object]], empty: str
    ) -> None:
        super().__init__(parent, title)
        self.empty = empty
        self.list = QListWidget(objectName="pick_list")
        for text, value in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, value)
            self.list.addItem(item)
        if rows:
            self.list.setCurrentRow(0)
        else:
            self.form.addRow(label(empty))
        self.list.itemActivated.connect(lambda _: self._on_ok())
        self.form.addRow(self.list)

    def apply(self) -> None:
        item = self.list.currentItem()
        if item is None:
            raise InputError(self.empty)
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))


HELD_NAMES_SHOWN = 2


def held_names(names: tuple[str, ...]) -> str:
    """The first products of a held cart, so the cashier can tell two held sales apart."""
    shown = "、".join(names[:HELD_NAMES_SHOWN])
    if len(names) <= HELD_NAMES_SHOWN:
        return shown
    return tr("held_more", names=shown, lines=len(names))


class RecallDialog(PickDialog):
    """The held sales (挂单) of this till; OK recalls the selected one."""

    def __init__(self, parent: QWidget | None, held: list[HeldSummary], zone: tzinfo) -> None:
        rows: list[tuple[str, object]] = [
            (
                tr(
                    "held_row",
                    id=summary.held_id,
                    time=summary.created_at.astimezone(zone).strftime("%H:%M"),
                    n=summary.item_count,
                    total=format_fen(summary.total_fen),
                    names=held_names(summary.item_names),
                ),
                summary.held_id,
            )
            for summary in held
        ]
        super().__init__(parent, tr("recall_title"), rows, tr("recall_none"))


class ReprintDialog(PickDialog):
    """重打: this till's latest receipts, the last one first (Enter reprints it)."""

    def __init__(self, parent: QWidget | None, sales: list[RecentSale]) -> None:
        rows: list[tuple[str, object]] = [
            (
                tr(
                    "reprint_refund_row" if sale.is_refund else "reprint_row",
                    sale_no=sale.sale_no,
                    time=sale.created_at.strftime("%m-%d %H:%M"),
                    total=format_fen(sale.total_fen),
                    item=sale.first_item,
                    n=sale.line_count,
                ),
                sale.sale_no,
            )
            for sale in sales
        ]
        super().__init__(parent, tr("reprint_title"), rows, tr("reprint_none"))
        self.setMinimumWidth(560)
