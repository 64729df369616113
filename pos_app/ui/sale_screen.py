"""The sale screen: the cart table, the big total, the last scanned item, the member panel, a
message line, and the function-key bar (every action has an F-key and an on-screen button).
The screen keeps the cart and the keyboard contract; the keys (sale_keys), its widgets
(sale_widgets) and the longer steps (weigh_step, hold_step, top_up_step, coupon_step,
approved_keys) live beside it.

Scans arrive from the ScanRouter. A barcode lookup is one indexed row and runs synchronously on
the GUI thread for scan latency; checkout, refunds, reports and anything slow go through the
background runner (ops.OpRunner). Everything in this module runs on the GUI thread.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartError, CartLine
from pos_app.domain.coupons import looks_like_coupon_code
from pos_app.domain.money import format_fen
from pos_app.domain.parsed_barcode import InvalidBarcode
from pos_app.domain.scan import WrongScanContext, detect_payment_provider
from pos_app.services.checkout import CheckoutResult
from pos_app.services.errors import ServiceError
from pos_app.services.promotions import cart_pricing
from pos_app.services.till_views import product_by_id, scanned_item
from pos_app.ui.approved_keys import ApprovedKeys
from pos_app.ui.cart_model import AMOUNT_COLUMN, CartModel
from pos_app.ui.context import TillContext
from pos_app.ui.coupon_step import CouponStep
from pos_app.ui.hold_step import HoldStep
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.line_dialogs import DiscountDialog, QtyDialog
from pos_app.ui.member_dialog import MemberDialog
from pos_app.ui.member_panel import member_text
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.pickup_dialog import PickupDialog
from pos_app.ui.qt import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.refund_dialog import RefundDialog
from pos_app.ui.sale_keys import key_bar
from pos_app.ui.sale_widgets import (
    CHANGE_COLOR,
    CHANGE_POINT_SIZE,
    cart_table,
    last_sale_text,
    panel,
)
from pos_app.ui.search_dialog import SearchDialog
from pos_app.ui.shift_dialog import ShiftDialog
from pos_app.ui.top_up_step import TopUpStep
from pos_app.ui.weigh_step import WeighStep
from pos_app.ui.widgets import ERROR_STYLE, label, qty_text, show_message


class SaleScreen(QWidget):
    """The cashier's main screen. `cart_changed` fires after every change of the cart."""

    cart_changed = Signal()
    shift_changed = Signal()
    lock_requested = Signal()
    sale_committed = Signal(object)  # CheckoutResult, for the receipt printer
    refund_committed = Signal(object)  # RefundResult: the 退货单, the drawer, the sync
    top_up_committed = Signal(object)  # TopUpResult: the 充值小票, the drawer, the sync
    item_added = Signal(object)  # CartLine, after cart_changed (the pole display shows it)
    payment_opened = Signal()
    devices_changed = Signal()  # the device settings were saved: reopen the devices

    def __init__(self, ctx: TillContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.cart = self._priced(Cart())
        self.code_member: str | None = None  # the cart's member, if they showed their code
        self.model = CartModel(self.cart)
        self.table = cart_table(self.model)
        self.total = label("¥0.00", point_size=40, bold=True, name="total")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.summary = label(name="summary")
        self.last_item = label(tr("no_last_item"), point_size=14, name="last_item")
        self.last_item.setFixedHeight(64)  # two lines, always: a scan never moves the layout
        self.member = label(tr("no_member"), name="member")
        self.message = label(name="message")
        self.message.setWordWrap(True)
        self.change_due = label(point_size=CHANGE_POINT_SIZE, bold=True, name="change_due")
        self.change_due.setStyleSheet(f"color: {CHANGE_COLOR};")
        self.last_sale = label(name="last_sale")
        self.last_sale.setWordWrap(True)
        self.shift_open = True  # the window keeps this in step with the database
        self.shift_banner = label(tr("shift_banner"), point_size=14, bold=True, name="shift_banner")
        self.shift_banner.setWordWrap(True)
        self.shift_banner.setStyleSheet(ERROR_STYLE)
        self.shift_banner.hide()
        self.key_buttons: dict[str, QPushButton] = {}
        self.coupons = CouponStep(self)
        self.weighing = WeighStep(self)
        self.approved = ApprovedKeys(self)
        self.holds = HoldStep(self)
        self.top_ups = TopUpStep(self)
        self._build()
        self.refresh()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        side = QVBoxLayout()
        side.addWidget(self.shift_banner)
        side.addWidget(panel(tr("payable"), self.total, self.summary))
        side.addWidget(panel(tr("last_item"), self.last_item))
        side.addWidget(panel(tr("member"), self.member))
        side.addWidget(self.message)
        side.addStretch(1)
        side.addWidget(self.change_due)
        side.addWidget(self.last_sale)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setFixedWidth(330)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(side_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(body, 1)
        layout.addLayout(key_bar(self))

    # -- showing the cart ------------------------------------------------------------------

    def refresh(self) -> None:
        """Bring totals and panels in line with the cart (after any change)."""
        cart, mode = self.cart, self.ctx.rounding
        self.total.setText(format_fen(cart.payable_fen(mode)))
        parts = [tr("items_count", n=cart.item_count)]
        if cart.discount_fen:
            parts.append(tr("discount_total", amount=format_fen(cart.discount_fen)))
        if cart.rounding_fen(mode):
            parts.append(tr("rounding", amount=format_fen(cart.rounding_fen(mode))))
        self.summary.setText("　".join(parts))
        self.member.setText(member_text(self.ctx, cart))
        self.cart_changed.emit()

    def show_cart(self, *, select_row: int | None = None) -> None:
        self.model.sync()
        if select_row is not None and select_row >= 0:
            self.table.selectRow(select_row)
            self.table.scrollTo(self.model.index(select_row, AMOUNT_COLUMN))
        self.refresh()

    def _priced(self, cart: Cart) -> Cart:
        """The cart priced with the newest promotion rules this till has (a one-row read)."""
        cart.use_promotions(cart_pricing(self.ctx.db, partial(datetime.now, UTC)))
        return cart

    def cart_replaced(self) -> None:
        """The cart's lines were re-priced as a whole (a coupon): show them again."""
        self.show_cart(select_row=len(self.cart.lines) - 1)

    def set_cart(self, cart: Cart) -> None:
        """Make cart the current one (a new, recalled or restored cart: priced again)."""
        self.cart = self._priced(cart)
        self.code_member = None
        self.model.set_cart(cart)
        self.last_item.setText(tr("no_last_item"))
        self.show_cart(select_row=len(cart.lines) - 1)

    def info(self, text: str) -> None:
        show_message(self.message, text, error=False)

    def error(self, error: Exception | str) -> None:
        """A non-modal error line and a beep; nothing waits for the cashier to dismiss it."""
        text = error if isinstance(error, str) else error_text(error)
        show_message(self.message, text, error=True)

    # -- items -----------------------------------------------------------------------------

    def set_shift_open(self, is_open: bool) -> None:
        """Say on screen, in large type, when no shift is open: nothing can be sold then."""
        self.shift_open = is_open
        self.shift_banner.setVisible(not is_open)

    def _selling_blocked(self) -> bool:
        """No shift: refuse the item now, not at payment after the whole cart was scanned."""
        if not self.shift_open:
            self.error(tr("no_shift"))
        return not self.shift_open

    def on_scan(self, code: str) -> None:
        """An item or a coupon was scanned (the default scan context)."""
        if self._selling_blocked():
            return
        if looks_like_coupon_code(code):
            self.coupons.scanned(code)
            return
        try:
            item = scanned_item(self.ctx.db, code, self.ctx.scan_rules)
            if item.needs_weighing and self.ctx.scale is not None:
                self.weighing.start(item.info, item.parsed.code)
                return
            line = item.add_to(self.cart)
        except InvalidBarcode as error:
            payment_code = detect_payment_provider(code) is not None
            self.error(WrongScanContext(str(error)) if payment_code else error)
            return
        except (ServiceError, CartError) as error:
            self.error(error)
            return
        self.show_added(line)

    def add_product(self, product_id: int) -> None:
        """Add a product picked in the search dialog."""
        if self._selling_blocked():
            return
        try:
            found = product_by_id(self.ctx.db, product_id)
            if found.info.weighed and self.ctx.scale is not None:
                self.weighing.start(found.info, "")
                return
            line = self.cart.add(found.info)
        except (ServiceError, CartError) as error:
            self.error(error)
            return
        self.show_added(line)

    def _take_focus_back(self) -> None:
        """The next scan or F-key goes to the sale screen again (not when the window itself is
        closing: activating it then would take the keyboard from whatever comes next)."""
        if not self.isVisible():
            return
        self.activateWindow()
        self.table.setFocus()

    def show_added(self, line: CartLine) -> None:
        self.message.setText("")
        self._show_last(line)
        self.show_cart(select_row=self.cart.lines.index(line))
        self.item_added.emit(line)

    def _show_last(self, line: CartLine) -> None:
        """最近扫描: the line as it stands now (after a scan or a quantity change)."""
        weighed, metrics = line.product.weighed, self.last_item.fontMetrics()
        name = metrics.elidedText(
            line.product.name, Qt.TextElideMode.ElideRight, self.last_item.width()
        )
        self.last_item.setText(
            f"{name}\n{qty_text(line.qty, weighed=weighed)} × "
            f"{format_fen(line.unit_price_fen)} = {format_fen(line.net_fen)}"
        )
        self.change_due.setText("")

    def selected_line(self) -> CartLine | None:
        """The selected line, else the last one, else None."""
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.model.line_at(rows[0].row())
        return self.cart.lines[-1] if self.cart.lines else None

    def line_to_change(self) -> CartLine | None:
        """The line an F-key acts on; None (and a message saying why) when the cart is empty."""
        line = self.selected_line()
        if line is None:
            self.error(tr("cart_empty"))
        return line

    def _set_qty(self, line: CartLine, qty: int) -> None:
        try:
            self.cart.set_qty(line.line_no, qty)
        except CartError as error:
            self.error(error)
            return
        self._show_last(line)
        self.show_cart(select_row=self.cart.lines.index(line))

    # -- function keys ---------------------------------------------------------------------

    def show_help(self) -> None:
        QMessageBox.information(self, tr("key_help"), tr("help_text"))

    def back(self) -> None:
        self.message.clear()
        self.table.clearSelection()

    def open_search(self) -> None:
        dialog = SearchDialog(self, self.ctx)
        dialog.picked.connect(self.add_product)
        self.show_dialog(dialog)

    def change_qty(self) -> None:
        line = self.line_to_change()
        if line is None:
            return
        dialog = QtyDialog(self, line)
        dialog.accepted.connect(lambda: self._set_qty(line, dialog.qty))
        self.show_dialog(dialog)

    def open_member(self) -> None:
        dialog = MemberDialog(self, self.ctx, self.cart)
        dialog.accepted.connect(lambda: self._member_chosen(dialog))
        self.show_dialog(dialog)

    def _member_chosen(self, dialog: MemberDialog) -> None:
        found = dialog.found if dialog.by_code else None
        self.code_member = None if found is None else found.member_id
        self.show_cart()

    def open_discount(self) -> None:
        line = self.line_to_change()
        if line is None:
            return
        dialog = DiscountDialog(self, self.ctx, self.cart, line)
        dialog.accepted.connect(lambda: self.show_cart(select_row=self.cart.lines.index(line)))
        self.show_dialog(dialog)

    def hold_or_recall(self) -> None:
        self.holds.hold_or_recall()

    def void_line(self) -> None:
        self.approved.void_line()

    def void_sale(self) -> None:
        self.approved.void_sale()

    def open_drawer(self) -> None:
        self.approved.open_drawer()

    def open_settings(self) -> None:
        self.approved.open_settings()

    def open_reprint(self) -> None:
        self.approved.open_reprint()

    def open_refund(self) -> None:
        dialog = RefundDialog(self, self.ctx)
        dialog.refunded.connect(self.refund_committed.emit)
        self.show_dialog(dialog)

    def open_shift(self) -> ShiftDialog:
        dialog = ShiftDialog(self, self.ctx)
        dialog.shift_opened.connect(lambda: self.info(tr("shift_opened")))
        dialog.finished.connect(lambda _: self.shift_changed.emit())
        self.show_dialog(dialog)
        dialog.activateWindow()
        return dialog

    def open_pickup(self) -> None:
        if self.ctx.sync is None:
            self.error(tr("pickup_offline"))
            return
        self.show_dialog(PickupDialog(self, self.ctx, self.ctx.sync))

    def show_pickup_count(self, count: int) -> None:
        """The badge on the pickup key: how many online orders wait to be collected."""
        text = tr("key_pickup_count", count=count) if count else tr("key_pickup")
        self.key_buttons["open_pickup"].setText(f"F11\n{text}")

    def open_payment(self) -> None:
        if self.cart.is_empty:
            self.error(tr("cart_empty"))
            return
        dialog = PaymentDialog(self, self.ctx, self.cart)
        dialog.paid.connect(self.sale_done)
        self.show_dialog(dialog)
        self.payment_opened.emit()

    def sale_done(self, result: CheckoutResult) -> None:
        """The sale is committed: start a new cart and show the change."""
        self.sale_committed.emit(result)
        self.set_cart(Cart())
        self.last_sale.setText(last_sale_text(result))
        self.info(tr("pay_done", sale_no=result.sale_no, change=format_fen(result.change_fen)))
        self.change_due.setText(tr("change_due", change=format_fen(result.change_fen)))

    def show_dialog(self, dialog: QDialog) -> None:
        """Open a dialog window-modally without blocking; it is deleted when it closes, and the
        keyboard comes back to the cart (scans keep working without a mouse click)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: self._take_focus_back())
        dialog.open()
        dialog.activateWindow()  # keys go to the dialog at once, wherever the focus was

    def open_dialogs(self) -> list[QDialog]:
        """Dialogs of this screen that are open now (tests and screenshots look at them)."""
        return [d for d in self.findChildren(QDialog) if d.isVisible()]
