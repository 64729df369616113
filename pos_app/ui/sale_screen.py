"""The sale screen: the cart table, the big total, the last scanned item, the member panel, a
message line, and the function-key bar (every action has an F-key and an on-screen button).

Scans arrive from the ScanRouter. A barcode lookup is one indexed row and runs synchronously on
the GUI thread for scan latency; checkout, refunds, reports and anything slow go through the
background runner (ops.OpRunner). Everything in this module runs on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from pos_app.domain.barcodes import InvalidBarcode
from pos_app.domain.cart import Cart, CartError, CartLine, ProductInfo
from pos_app.domain.coupons import looks_like_coupon_code
from pos_app.domain.money import format_fen
from pos_app.domain.scan import WrongScanContext, detect_payment_provider
from pos_app.services.checkout import CheckoutResult
from pos_app.services.errors import ServiceError
from pos_app.services.hold import hold_cart, list_held, recall_cart
from pos_app.services.permissions import Action, Need
from pos_app.services.printing import enqueue_drawer_kick, reprint
from pos_app.services.promotions import cart_pricing
from pos_app.services.till_views import member_view, product_by_id, recent_sales, scanned_item
from pos_app.services.top_ups import TopUpResult, check_member
from pos_app.services.weighed_label import queue_weighed_label
from pos_app.ui.cart_model import AMOUNT_COLUMN, NAME_COLUMN, CartModel
from pos_app.ui.context import TillContext
from pos_app.ui.coupon_step import CouponStep
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.line_dialogs import DiscountDialog, QtyDialog, RecallDialog, ReprintDialog
from pos_app.ui.member_dialog import MemberDialog
from pos_app.ui.member_panel import member_text
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.pickup_dialog import PickupDialog
from pos_app.ui.qt import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QMessageBox,
    QPushButton,
    QShortcut,
    QSizePolicy,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.refund_dialog import RefundDialog
from pos_app.ui.search_dialog import SearchDialog
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.shift_dialog import ShiftDialog
from pos_app.ui.top_up_dialog import TopUpDialog, TopUpPaymentDialog
from pos_app.ui.weigh_dialog import WeighDialog
from pos_app.ui.widgets import ERROR_STYLE, label, qty_text, show_message

CHANGE_POINT_SIZE = 26  # change due, read from a step away
CHANGE_COLOR = "#2e7d32"
COLUMN_WIDTHS = {0: 40, 2: 96, 3: 104, 4: 70, 5: 96}  # all but the name, which stretches


@dataclass(frozen=True)
class FunctionKey:
    key: str  # QKeySequence text, e.g. "F12"
    text_key: str  # i18n key of the button text
    action: str  # name of the SaleScreen method


NO_SALE_KEY = "Ctrl+D"  # no button: the key bar is full at 1024 px; F1 lists it
TOP_UP_KEY = "Shift+F4"  # 会员充值, beside F4 会员; no button either
FUNCTION_KEYS = (
    FunctionKey("F1", "key_help", "show_help"),
    FunctionKey("F2", "key_search", "open_search"),
    FunctionKey("F3", "key_qty", "change_qty"),
    FunctionKey("F4", "key_member", "open_member"),
    FunctionKey("F5", "key_discount", "open_discount"),
    FunctionKey("F6", "key_hold", "hold_or_recall"),
    FunctionKey("F7", "key_refund", "open_refund"),
    FunctionKey("F8", "key_void", "void_line"),
    FunctionKey("Shift+F8", "key_void_sale", "void_sale"),
    FunctionKey("F9", "key_shift", "open_shift"),
    FunctionKey("F10", "key_settings", "open_settings"),
    FunctionKey("F11", "key_pickup", "open_pickup"),
    FunctionKey("Ctrl+P", "key_reprint", "open_reprint"),
    FunctionKey("F12", "key_pay", "open_payment"),
    FunctionKey("Esc", "key_back", "back"),
)


def last_sale_text(result: CheckoutResult) -> str:
    """The last sale as the customer saw it: the cash handed over and the change (收 ¥20.00 找
    ¥11.00), and what other tenders paid; without cash, the total paid."""
    if not result.cash_fen:
        return tr("last_sale", sale_no=result.sale_no, total=format_fen(result.total_fen))
    text = tr(
        "last_sale_cash",
        sale_no=result.sale_no,
        cash=format_fen(result.cash_fen),
        change=format_fen(result.change_fen),
    )
    other = result.total_fen - (result.cash_fen - result.change_fen)
    return text + (tr("last_sale_more", other=format_fen(other)) if other > 0 else "")


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
        self.table = self._make_table()
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
        self._build()
        self.refresh()

    # -- layout --------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = QTableView(objectName="cart_table")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(34)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no re-measuring per scan
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        font = table.font()
        font.setPointSize(13)
        table.setFont(font)
        return table

    def _panel(self, title: str, *widgets: QWidget) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(frame)
        layout.addWidget(label(title, bold=True))
        for widget in widgets:
            layout.addWidget(widget)
        return frame

    def _build(self) -> None:
        side = QVBoxLayout()
        side.addWidget(self.shift_banner)
        side.addWidget(self._panel(tr("payable"), self.total, self.summary))
        side.addWidget(self._panel(tr("last_item"), self.last_item))
        side.addWidget(self._panel(tr("member"), self.member))
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
        layout.addLayout(self._key_bar())

    def _key_bar(self) -> QGridLayout:
        bar = QGridLayout()
        bar.setSpacing(4)
        for column, fkey in enumerate(FUNCTION_KEYS):
            button = QPushButton(f"{fkey.key}\n{tr(fkey.text_key)}")
            button.setObjectName(fkey.action)
            button.setMinimumHeight(56)
            button.setMinimumWidth(0)  # 13 keys share 1024 px: let the grid size them evenly
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            action = getattr(self, fkey.action)
            button.clicked.connect(action)
            shortcut = QShortcut(QKeySequence(fkey.key), self)
            shortcut.activated.connect(action)
            bar.addWidget(button, 0, column)
            self.key_buttons[fkey.action] = button
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(self.lock_requested)
        QShortcut(QKeySequence(NO_SALE_KEY), self).activated.connect(self.open_drawer)
        QShortcut(QKeySequence(TOP_UP_KEY), self).activated.connect(self.open_top_up)
        return bar

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

    def _changed(self, *, select_row: int | None = None) -> None:
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
        self._changed(select_row=len(self.cart.lines) - 1)

    def set_cart(self, cart: Cart) -> None:
        """Make cart the current one (a new, recalled or restored cart: priced again)."""
        self.cart = self._priced(cart)
        self.code_member = None
        self.model.set_cart(cart)
        self.last_item.setText(tr("no_last_item"))
        self._changed(select_row=len(cart.lines) - 1)

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
            item = scanned_item(self.ctx.db, code, self.ctx.layouts)
            if item.needs_weighing and self.ctx.scale is not None:
                self._weigh(item.info, item.parsed.code)
                return
            line = item.add_to(self.cart)
        except InvalidBarcode as error:
            payment_code = detect_payment_provider(code) is not None
            self.error(WrongScanContext(str(error)) if payment_code else error)
            return
        except (ServiceError, CartError) as error:
            self.error(error)
            return
        self._added(line)

    def add_product(self, product_id: int) -> None:
        """Add a product picked in the search dialog."""
        if self._selling_blocked():
            return
        try:
            found = product_by_id(self.ctx.db, product_id)
            if found.info.weighed and self.ctx.scale is not None:
                self._weigh(found.info, "")
                return
            line = self.cart.add(found.info)
        except (ServiceError, CartError) as error:
            self.error(error)
            return
        self._added(line)

    def _weigh(self, product: ProductInfo, barcode: str) -> None:
        """A weighed product while a scale is connected: book the scale's stable weight."""
        assert self.ctx.scale is not None
        dialog = WeighDialog(
            self,
            scale=self.ctx.scale,
            product=product,
            settle_s=self.ctx.scale_settle_s,
            router=self.ctx.router,
        )
        dialog.booked.connect(lambda grams: self._add_weighed(product, barcode, grams))
        dialog.label_requested.connect(lambda grams: self._print_weighed_label(product, grams))
        self._show(dialog)  # the keyboard comes back to the cart when it closes

    def _take_focus_back(self) -> None:
        """The next scan or F-key goes to the sale screen again (not when the window itself is
        closing: activating it then would take the keyboard from whatever comes next)."""
        if not self.isVisible():
            return
        self.activateWindow()
        self.table.setFocus()

    def _print_weighed_label(self, product: ProductInfo, grams: int) -> None:
        """A weighing counter: the weight goes on a label for the bag, not into this cart."""
        db, weight = self.ctx.db, qty_text(grams, weighed=True)
        self.ctx.ops.run(
            lambda: queue_weighed_label(db, sku=product.sku, weight_g=grams),
            success=lambda _: self.info(
                tr("weighed_label_queued", name=product.name, weight=weight)
            ),
            failure=lambda error: self.error(tr("weighed_label_failed", detail=error_text(error))),
        )

    def _add_weighed(self, product: ProductInfo, barcode: str, grams: int) -> None:
        try:
            line = self.cart.add(product, barcode=barcode, weight_g=grams)
        except CartError as error:
            self.error(error)
            return
        self._added(line)

    def _added(self, line: CartLine) -> None:
        self.message.setText("")
        self._show_last(line)
        self._changed(select_row=self.cart.lines.index(line))
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

    def _line_to_change(self) -> CartLine | None:
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
        self._changed(select_row=self.cart.lines.index(line))

    # -- function keys ---------------------------------------------------------------------

    def show_help(self) -> None:
        QMessageBox.information(self, tr("key_help"), tr("help_text"))

    def back(self) -> None:
        self.message.clear()
        self.table.clearSelection()

    def open_search(self) -> None:
        dialog = SearchDialog(self, self.ctx)
        dialog.picked.connect(self.add_product)
        self._show(dialog)

    def change_qty(self) -> None:
        line = self._line_to_change()
        if line is None:
            return
        dialog = QtyDialog(self, line)
        dialog.accepted.connect(lambda: self._set_qty(line, dialog.qty))
        self._show(dialog)

    def open_member(self) -> None:
        dialog = MemberDialog(self, self.ctx, self.cart)
        dialog.accepted.connect(lambda: self._member_chosen(dialog))
        self._show(dialog)

    def _member_chosen(self, dialog: MemberDialog) -> None:
        found = dialog.found if dialog.by_code else None
        self.code_member = None if found is None else found.member_id
        self._changed()

    def open_top_up(self) -> None:
        """Shift+F4: stored value for the sale's member, who showed their code here."""
        try:
            member_id = check_member(self.cart.member_id, self.code_member)
        except ServiceError as error:
            self.error(error)
            return
        known = member_view(self.ctx.db, member_id)
        who = f"****{known.phone_tail}" if known and known.phone_tail else member_id
        dialog = TopUpDialog(self, self.ctx, member_id, who)
        dialog.chosen.connect(lambda fen: self._pay_top_up(member_id, who, fen))
        self._show(dialog)

    def _pay_top_up(self, member_id: str, who: str, amount_fen: int) -> None:
        dialog = TopUpPaymentDialog(self, self.ctx, member_id, who, amount_fen)
        dialog.paid.connect(self.top_up_done)
        self._show(dialog)

    def top_up_done(self, result: TopUpResult) -> None:
        self.top_up_committed.emit(result)
        amount = format_fen(result.amount_fen)
        self.info(tr("top_up_done", amount=amount, no=result.top_up_no))
        if result.cash_fen:
            self.change_due.setText(tr("change_due", change=format_fen(result.change_fen)))

    def open_discount(self) -> None:
        line = self._line_to_change()
        if line is None:
            return
        dialog = DiscountDialog(self, self.ctx, self.cart, line)
        dialog.accepted.connect(lambda: self._changed(select_row=self.cart.lines.index(line)))
        self._show(dialog)

    def hold_or_recall(self) -> None:
        """F6: hold the cart when it has lines, else offer the held carts."""
        if self.cart.is_empty:
            self._open_recall()
            return
        db, cart, cashier = self.ctx.db, self.cart, self.ctx.staff_id
        try:
            self.ctx.write(lambda: hold_cart(db, cart=cart, cashier_id=cashier))
        except ServiceError as error:
            self.error(error)
            return
        self.set_cart(Cart())
        self.info(tr("held_ok"))

    def _open_recall(self) -> None:
        dialog = RecallDialog(self, list_held(self.ctx.db), self.ctx.zone)
        dialog.chosen.connect(self.recall)
        self._show(dialog)

    def recall(self, held_id: int) -> None:
        db = self.ctx.db
        try:
            cart = self.ctx.write(lambda: recall_cart(db, held_id))
        except (ServiceError, CartError) as error:
            self.error(error)
            return
        self.set_cart(cart)
        self.info(tr("recalled_ok"))

    def void_line(self) -> None:
        """F8: remove the selected line, approved as the permission table says, journaled."""
        line = self._line_to_change()
        if line is None:
            return
        reason = tr("reason_void_line", no=line.line_no, name=line.product.name)
        approval = OverrideDialog.ask(self, self.ctx, reason, Need(Action.VOID_LINE))
        if approval is None:
            return
        amount_fen = line.net_fen
        self.cart.void_line(line.line_no)
        self.ctx.journal(
            "void_line",
            approval.journal_id,
            on_error=self.error,
            line=line.line_no,
            sku=line.product.sku,
            amount_fen=amount_fen,
        )
        self.last_item.setText(tr("no_last_item"))
        self._changed(select_row=len(self.cart.lines) - 1)
        self.info(tr("line_voided", no=line.line_no))

    def void_sale(self) -> None:
        """Shift+F8: drop the whole cart, approved as the permission table says, journaled."""
        if self.cart.is_empty:
            self.error(tr("cart_empty"))
            return
        total = format_fen(self.cart.total_fen)
        reason = tr("reason_void_sale", total=total)
        approval = OverrideDialog.ask(self, self.ctx, reason, Need(Action.VOID_SALE))
        if approval is None:
            return
        self.ctx.journal(
            "void_sale", approval.journal_id, on_error=self.error, total_fen=self.cart.total_fen
        )
        self.coupons.release(self.cart.coupon)
        self.set_cart(Cart())
        self.info(tr("sale_voided"))

    def open_drawer(self) -> None:
        """Ctrl+D 开钱箱 without a sale (change for a note, say): approved as the permission
        table says, sent to the printer's drawer port, journaled as drawer_open."""
        need = Need(Action.NO_SALE)
        approval = OverrideDialog.ask(self, self.ctx, tr("reason_no_sale"), need)
        if approval is None:
            return
        db = self.ctx.db
        self.ctx.ops.run(
            lambda: enqueue_drawer_kick(db),
            success=lambda _: self.info(tr("drawer_opened")),
            failure=self.error,
        )
        self.ctx.journal("drawer_open", approval.journal_id, on_error=self.error, no_sale=True)

    def open_refund(self) -> None:
        dialog = RefundDialog(self, self.ctx)
        dialog.refunded.connect(self.refund_committed.emit)
        self._show(dialog)

    def open_shift(self) -> ShiftDialog:
        dialog = ShiftDialog(self, self.ctx)
        dialog.shift_opened.connect(lambda: self.info(tr("shift_opened")))
        dialog.finished.connect(lambda _: self.shift_changed.emit())
        self._show(dialog)
        dialog.activateWindow()
        return dialog

    def open_settings(self) -> None:
        need = Need(Action.SETTINGS)
        approval = OverrideDialog.ask(self, self.ctx, tr("reason_settings"), need)
        if approval is None:
            return
        dialog = SettingsDialog(self, self.ctx, approval.approver_id)
        dialog.accepted.connect(self.refresh)
        dialog.accepted.connect(self.devices_changed)
        self._show(dialog)

    def open_pickup(self) -> None:
        if self.ctx.sync is None:
            self.error(tr("pickup_offline"))
            return
        self._show(PickupDialog(self, self.ctx, self.ctx.sync))

    def show_pickup_count(self, count: int) -> None:
        """The badge on the pickup key: how many online orders wait to be collected."""
        text = tr("key_pickup_count", count=count) if count else tr("key_pickup")
        self.key_buttons["open_pickup"].setText(f"F11\n{text}")

    def open_reprint(self) -> None:
        """Ctrl+P 重打: the latest receipts of this till, the last one first."""
        sales = recent_sales(self.ctx.db)  # one indexed query of 30 rows
        dialog = ReprintDialog(self, sales)
        dialog.chosen.connect(self._reprint)
        self._show(dialog)

    def _reprint(self, sale_no: str) -> None:
        """Queue the copy (marked 重印) off the GUI thread; the print worker sends it."""
        reason = tr("reason_reprint", sale_no=sale_no)
        approval = OverrideDialog.ask(self, self.ctx, reason, Need(Action.REPRINT))
        if approval is None:
            return
        db = self.ctx.db
        self.ctx.ops.run(
            lambda: reprint(db, sale_no),
            success=lambda _: self.info(tr("reprint_queued", sale_no=sale_no)),
            failure=self.error,
        )
        self.ctx.journal("reprint", approval.journal_id, on_error=self.error, sale_no=sale_no)

    def open_payment(self) -> None:
        if self.cart.is_empty:
            self.error(tr("cart_empty"))
            return
        dialog = PaymentDialog(self, self.ctx, self.cart)
        dialog.paid.connect(self.sale_done)
        self._show(dialog)
        self.payment_opened.emit()

    def sale_done(self, result: CheckoutResult) -> None:
        """The sale is committed: start a new cart and show the change."""
        self.sale_committed.emit(result)
        self.set_cart(Cart())
        self.last_sale.setText(last_sale_text(result))
        self.info(tr("pay_done", sale_no=result.sale_no, change=format_fen(result.change_fen)))
        self.change_due.setText(tr("change_due", change=format_fen(result.change_fen)))

    def _show(self, dialog: QDialog) -> None:
        """Open a dialog window-modally without blocking; it is deleted when it closes, and the
        keyboard comes back to the cart (scans keep working without a mouse click)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: self._take_focus_back())
        dialog.open()
        dialog.activateWindow()  # keys go to the dialog at once, wherever the focus was

    def open_dialogs(self) -> list[QDialog]:
        """Dialogs of this screen that are open now (tests and screenshots look at them)."""
        return [d for d in self.findChildren(QDialog) if d.isVisible()]
