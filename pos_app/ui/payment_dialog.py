"""Payment (F12): cash with quick amounts and change, bank card, payment code (付款码) through the
PaymentGateway, split across several tenders, 抹零 per the store's rounding setting.

When the tenders cover the amount due, the sale is committed by the checkout service on the
background runner; `paid` fires with the result. Until the mall's gateway is wired the payment
code step shows plainly that online payment is unavailable; it never fakes success.
"""

from __future__ import annotations

import uuid

from pos_app.domain.cart import Cart
from pos_app.domain.money import format_fen, parse_yuan
from pos_app.domain.scan import PaymentCodeScan, PaymentProvider, ScanContext, route_scan
from pos_app.domain.tenders import Settlement, Tender, TenderError, TenderKind, settle
from pos_app.services.checkout import CheckoutResult, checkout
from pos_app.services.payments import AttemptState, PaymentAttempt
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import error_text, tender_name, tr
from pos_app.ui.qt import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import label, show_message

POLL_INTERVAL_MS = 2000
NOTES_FEN = (1000, 2000, 5000, 10000)  # ¥10, ¥20, ¥50, ¥100 notes for quick cash amounts
QUICK_AMOUNTS = 4
_PROVIDER_TENDER = {
    PaymentProvider.WECHAT: TenderKind.WECHAT,
    PaymentProvider.ALIPAY: TenderKind.ALIPAY,
}


def quick_amounts(remaining_fen: int) -> list[int]:
    """The exact amount, then the next round note amounts a customer is likely to hand over."""
    amounts = [remaining_fen]
    for note in NOTES_FEN:
        rounded = -(-remaining_fen // note) * note
        if rounded not in amounts:
            amounts.append(rounded)
    return amounts[:QUICK_AMOUNTS]


class PaymentDialog(QDialog):
    """Takes the tenders for one cart and commits the sale."""

    paid = Signal(object)  # CheckoutResult

    def __init__(self, parent: QWidget | None, ctx: TillContext, cart: Cart) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cart = Cart.from_dict(cart.to_dict())  # the worker gets its own copy
        self.due_fen = cart.payable_fen(ctx.rounding)
        self.tenders: list[Tender] = []
        self.draft_id = uuid.uuid4().hex
        self.setWindowTitle(tr("pay_title"))
        self.due = label(format_fen(self.due_fen), point_size=30, bold=True, name="due")
        self.rounding = label(name="rounding")
        self.received = label(point_size=16, name="received")
        self.remaining = label(point_size=16, bold=True, name="remaining")
        self.change = label(point_size=26, bold=True, name="change")
        self.tender_list = QListWidget(objectName="tenders")
        self.amount = QLineEdit(objectName="amount")
        self.code = QLineEdit(objectName="payment_code")
        self.code.setPlaceholderText(tr("pay_code_hint"))
        self.message = label(name="message")
        self.message.setWordWrap(True)
        self.quick_buttons = [QPushButton() for _ in range(QUICK_AMOUNTS)]
        self._build()
        rounding = cart.rounding_fen(ctx.rounding)
        if rounding:
            self.rounding.setText(tr("pay_rounding", amount=format_fen(rounding)))
        ctx.router.push(self.on_scan)
        self.finished.connect(lambda _: ctx.router.remove(self.on_scan))
        self._update()

    def _build(self) -> None:
        figures = QGridLayout()
        for row, (key, widget) in enumerate(
            (
                ("pay_due", self.due),
                ("pay_paid", self.received),
                ("pay_remaining", self.remaining),
                ("pay_change", self.change),
            )
        ):
            figures.addWidget(label(tr(key), point_size=14), row, 0)
            figures.addWidget(widget, row, 1)
        figures.addWidget(self.rounding, 0, 2)
        quick = QHBoxLayout()
        for button in self.quick_buttons:
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, b=button: self.add_cash(int(b.property("fen"))))
            quick.addWidget(button)
        actions = QHBoxLayout()
        for key, slot, name in (
            ("pay_cash", self._cash_from_field, "cash"),
            ("pay_card", self._card_from_field, "card"),
            ("pay_code", self._code_from_field, "code"),
            ("pay_clear", self.clear_tenders, "clear"),
            ("cancel", self.reject, "cancel"),
        ):
            button = QPushButton(tr(key), objectName=name)
            button.setMinimumHeight(44)
            button.clicked.connect(slot)
            actions.addWidget(button)
        self.amount.returnPressed.connect(self._cash_from_field)
        self.code.returnPressed.connect(self._code_from_field)
        layout = QVBoxLayout(self)
        layout.addLayout(figures)
        layout.addWidget(self.tender_list)
        layout.addWidget(label(tr("pay_amount")))
        layout.addWidget(self.amount)
        layout.addLayout(quick)
        layout.addWidget(label(tr("pay_scan_code")))
        layout.addWidget(self.code)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        self.setMinimumWidth(640)

    # -- figures ---------------------------------------------------------------------------

    def settlement(self) -> Settlement:
        return settle(self.due_fen, self.tenders)

    def _update(self) -> None:
        result = self.settlement()
        self.received.setText(format_fen(result.tendered_fen))
        self.remaining.setText(format_fen(result.remaining_fen))
        self.change.setText(format_fen(result.change_fen))
        self.tender_list.clear()
        for tender in self.tenders:
            amount = format_fen(tender.amount_fen)
            self.tender_list.addItem(tr("tender_row", kind=tender_name(tender.kind), amount=amount))
        self.amount.setText(format_fen(result.remaining_fen, symbol=False))
        self.amount.selectAll()
        self.amount.setFocus()
        for button, fen in zip(
            self.quick_buttons, quick_amounts(result.remaining_fen), strict=False
        ):
            button.setText(tr("pay_exact") if fen == result.remaining_fen else format_fen(fen))
            button.setProperty("fen", fen)

    # -- tenders ---------------------------------------------------------------------------

    def add_tender(self, tender: Tender) -> None:
        """Take a tender; commit the sale once the amount due is covered."""
        try:
            settle(self.due_fen, [*self.tenders, tender])
        except TenderError as error:
            show_message(self.message, error_text(error), error=True)
            return
        self.tenders.append(tender)
        self.message.clear()
        self._update()
        if self.settlement().is_paid:
            self._commit()

    def add_cash(self, amount_fen: int) -> None:
        if amount_fen > 0:
            self.add_tender(Tender(TenderKind.CASH, amount_fen))

    def _field_fen(self) -> int | None:
        try:
            return parse_yuan(self.amount.text())
        except ValueError as error:
            show_message(self.message, error_text(error), error=True)
            return None

    def _cash_from_field(self) -> None:
        if self.tenders and self.settlement().is_paid:
            self._commit()  # a commit that failed (e.g. no shift open) is tried again
            return
        amount = self._field_fen()
        if amount is not None:
            self.add_cash(amount)

    def _card_from_field(self) -> None:
        amount = self._field_fen()
        if amount:
            self.add_tender(Tender(TenderKind.CARD, amount))

    def clear_tenders(self) -> None:
        self.tenders.clear()
        self.message.clear()
        self._update()

    # -- payment code ----------------------------------------------------------------------

    def on_scan(self, code: str) -> None:
        """A code scanned while paying: only WeChat/Alipay payment codes mean anything here."""
        self.code.setText(code)
        self._code_from_field()

    def _code_from_field(self) -> None:
        amount = self._field_fen()
        if not amount:
            return
        try:
            intent = route_scan(self.code.text(), ScanContext.PAYMENT)
        except ValueError as error:
            show_message(self.message, error_text(error), error=True)
            return
        assert isinstance(intent, PaymentCodeScan)
        self.code.clear()
        gateway, draft_id = self.ctx.gateway, self.draft_id
        show_message(self.message, tr("checking"), error=False)
        self.ctx.ops.run(
            lambda: gateway.start(draft_id, amount, intent.code),
            success=lambda attempt: self._attempt(attempt, intent.provider),
            failure=self._payment_failed,
            owner=self,
        )

    def _attempt(self, attempt: PaymentAttempt, provider: PaymentProvider) -> None:
        if attempt.state is AttemptState.SUCCESS:
            tender = Tender(_PROVIDER_TENDER[provider], attempt.amount_fen, attempt.reference)
            self.add_tender(tender)
        elif attempt.state is AttemptState.USERPAYING:
            show_message(self.message, attempt.message or tr("checking"), error=False)
            QTimer.singleShot(POLL_INTERVAL_MS, self, lambda: self._poll(attempt, provider))
        else:
            show_message(self.message, attempt.message or tr("err_payment_unavailable"), error=True)

    def _poll(self, attempt: PaymentAttempt, provider: PaymentProvider) -> None:
        gateway = self.ctx.gateway
        self.ctx.ops.run(
            lambda: gateway.poll(attempt.attempt_id),
            success=lambda polled: self._attempt(polled, provider),
            failure=self._payment_failed,
            owner=self,
        )

    def _payment_failed(self, error: Exception) -> None:
        show_message(self.message, error_text(error), error=True)

    # -- commit ----------------------------------------------------------------------------

    def _commit(self) -> None:
        db, cart, tenders, cashier = self.ctx.db, self.cart, list(self.tenders), self.ctx.staff_id
        show_message(self.message, tr("pay_committing"), error=False)
        self.setEnabled(False)
        self.ctx.ops.run(
            lambda: checkout(db, cart=cart, tenders=tenders, cashier_id=cashier),
            success=self._committed,
            failure=self._commit_failed,
            owner=self,
        )

    def _committed(self, result: CheckoutResult) -> None:
        self.paid.emit(result)
        self.accept()

    def _commit_failed(self, error: Exception) -> None:
        self.setEnabled(True)
        show_message(self.message, error_text(error), error=True)
