"""Payment (F12): cash with quick amounts and change, bank card, payment code (付款码) through the
PaymentGateway, split across several tenders, 抹零 per the store's rounding setting.

When the tenders cover the amount due, the sale is committed by the checkout service on the
background runner; `paid` fires with the result. A payment code goes to the gateway (the mall);
while the customer confirms on the phone the dialog shows a countdown and the cashier may cancel
(the mall reverses it). Code payments taken but not used by a committed sale (the dialog is
cancelled or the tenders cleared) are cancelled too, so the customer is never charged for
nothing. Without a mall the step shows plainly that online payment is unavailable.

The keyboard contract (docs/keyboard.md): the amount field always has the keyboard; a typed
amount + Enter tenders exactly that amount in the selected tender (F2 cash, F3 card) and leaves
the rest open; the sale completes only when the tenders cover the amount due; a scanned payment
code charges the typed amount. While a code payment is pending nothing but its own outcome or a
confirmed cancel (Esc twice, reversed at the mall first) ends it. Esc backs out one step and
asks again before giving up money already taken.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable
from functools import partial

from pos_app.domain.cart import Cart
from pos_app.domain.money import format_fen, parse_yuan
from pos_app.domain.scan import PaymentCodeScan, PaymentProvider, ScanContext, route_scan
from pos_app.domain.tenders import Settlement, Tender, TenderError, TenderKind, settle
from pos_app.services.checkout import checkout
from pos_app.services.payments import AttemptState, PaymentAttempt, SaleDraft
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import error_text, tender_name, tr
from pos_app.ui.qt import (
    QGridLayout,
    QHBoxLayout,
    QKeySequence,
    QLineEdit,
    QListWidget,
    QPushButton,
    QShortcut,
    QShowEvent,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.redeem_panel import RedeemPanel
from pos_app.ui.widgets import KeyboardDialog, label, show_message

log = logging.getLogger(__name__)
POLL_INTERVAL_MS = 2000
CONFIRM_WINDOW_S = 5.0  # a second Esc within this time confirms giving money up
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


class PaymentDialog(KeyboardDialog):
    """Takes the tenders for one cart and commits the sale."""

    paid = Signal(object)  # CheckoutResult (TopUpResult for a top-up)

    def __init__(
        self, parent: QWidget | None, ctx: TillContext, cart: Cart, due_fen: int | None = None
    ) -> None:
        """due_fen: what to take when it is not the cart's total (a top-up's empty cart)."""
        super().__init__(parent)
        self.ctx = ctx
        self.cart = Cart.from_dict(cart.to_dict())  # the worker gets its own copy
        self.due_fen = cart.payable_fen(ctx.rounding) if due_fen is None else due_fen
        self.tenders: list[Tender] = []
        self.kind = TenderKind.CASH  # the tender a typed amount + Enter goes to
        self._confirm_until = 0.0  # time.monotonic() until which a second Esc confirms
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
        self.selected = label(point_size=14, bold=True, name="selected_tender")
        self.message = label(name="message")
        self.message.setWordWrap(True)
        self.pending = label(point_size=16, bold=True, name="pending")
        self.cancel_code = QPushButton(tr("pay_code_cancel"), objectName="cancel_code")
        self.cancel_code.clicked.connect(self.cancel_code_payment)
        self._pending: PaymentAttempt | None = None  # the code payment the customer confirms
        self._deadline = 0.0  # time.monotonic() when the mall gives up on it
        self._code_busy = False  # a payment code is with the gateway
        self._code_attempts: dict[str, str] = {}  # tender reference → attempt id
        self._dropped: set[str] = set()  # attempts cancelled here: late answers are ignored
        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._tick)
        self.quick_buttons = [QPushButton() for _ in range(QUICK_AMOUNTS)]
        self.redeem = RedeemPanel(self)
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
        for key, kind in (("F2", TenderKind.CASH), ("F3", TenderKind.CARD)):
            QShortcut(QKeySequence(key), self).activated.connect(partial(self.select_kind, kind))
        self.amount.returnPressed.connect(self._tender_from_field)
        self.code.returnPressed.connect(self._code_from_field)
        layout = QVBoxLayout(self)
        layout.addLayout(figures)
        layout.addWidget(self.tender_list)
        amount_row = QHBoxLayout()
        amount_row.addWidget(label(tr("pay_amount")))
        amount_row.addStretch(1)
        amount_row.addWidget(self.selected)
        layout.addLayout(amount_row)
        layout.addWidget(self.amount)
        layout.addLayout(quick)
        layout.addWidget(label(tr("pay_scan_code")))
        layout.addWidget(self.code)
        pending = QHBoxLayout()
        pending.addWidget(self.pending, 1)
        pending.addWidget(self.cancel_code)
        layout.addLayout(pending)
        layout.addLayout(actions)
        layout.addLayout(self.redeem.row())
        layout.addWidget(self.message)
        self.setMinimumWidth(640)
        self._end_pending()

    def showEvent(self, event: QShowEvent) -> None:
        """The amount field has the keyboard whenever the dialog is on screen."""
        super().showEvent(event)
        self.amount.setFocus()

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
        self.selected.setText(tr("pay_selected", kind=tender_name(self.kind)))
        self.amount.setText(format_fen(result.remaining_fen, symbol=False))
        self.amount.selectAll()
        self.amount.setFocus()
        amounts = quick_amounts(result.remaining_fen)
        for index, button in enumerate(self.quick_buttons):
            button.setVisible(index < len(amounts))  # ¥20 due has only 正好, ¥50 and ¥100
            if index < len(amounts):
                fen = amounts[index]
                button.setText(tr("pay_exact") if fen == result.remaining_fen else format_fen(fen))
                button.setProperty("fen", fen)

    # -- tenders ---------------------------------------------------------------------------

    def select_kind(self, kind: TenderKind) -> None:
        """F2/F3: the tender a typed amount + Enter goes to."""
        self.kind = kind
        self._update()

    def _refuse_while_pending(self) -> bool:
        """While a code payment is with the gateway nothing else may take or give back money."""
        if self._code_busy:
            key = "pay_pending_keys" if self._pending is not None else "pay_code_busy"
            show_message(self.message, tr(key), error=True)
        return self._code_busy

    def add_tender(self, tender: Tender) -> None:
        """Take a tender; commit the sale once the amount due is covered."""
        if self._refuse_while_pending():
            return
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

    def _tender_from_field(self) -> None:
        """Enter in the amount field: the typed amount in the selected tender."""
        self._tender_field_as(self.kind)

    def _cash_from_field(self) -> None:
        self._tender_field_as(TenderKind.CASH)

    def _card_from_field(self) -> None:
        self._tender_field_as(TenderKind.CARD)

    def _tender_field_as(self, kind: TenderKind) -> None:
        if self._refuse_while_pending():
            return
        if self.tenders and self.settlement().is_paid:
            self._commit()  # a commit that failed (e.g. no shift open) is tried again
            return
        amount = self._field_fen()
        if amount:
            self.add_tender(Tender(kind, amount))

    def clear_tenders(self) -> None:
        if self._refuse_while_pending():
            return
        self._void_code_payments()
        self.tenders.clear()
        self.redeem.release_unused()
        self.message.clear()
        self._update()

    # -- payment code ----------------------------------------------------------------------

    def on_scan(self, code: str) -> None:
        """A code scanned while paying: only WeChat/Alipay payment codes mean anything here."""
        if self._refuse_while_pending():
            return  # the code is not kept: a second charge is never started behind the first
        self.code.setText(code)
        self._code_from_field()

    def _code_from_field(self) -> None:
        if self._code_busy:
            show_message(self.message, tr("pay_code_busy"), error=True)
            return
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
        gateway = self.ctx.gateway
        draft = SaleDraft(self.draft_id, self.cart, tuple(self.tenders), self.ctx.staff_id)
        self._code_busy = True
        show_message(self.message, tr("checking"), error=False)
        self.ctx.ops.run(
            lambda: gateway.start(draft, amount, intent.code),
            success=lambda attempt: self._attempt(attempt, intent.provider),
            failure=self._payment_failed,
            owner=self,
        )

    def _attempt(self, attempt: PaymentAttempt, provider: PaymentProvider) -> None:
        if attempt.attempt_id in self._dropped:
            return
        if attempt.state is AttemptState.USERPAYING:
            self._show_pending(attempt, provider)
            return
        self._end_pending()
        if attempt.state is AttemptState.SUCCESS:
            self._code_attempts[attempt.reference] = attempt.attempt_id
            tender = Tender(_PROVIDER_TENDER[provider], attempt.amount_fen, attempt.reference)
            self.add_tender(tender)
        else:
            show_message(self.message, attempt.message or tr("err_payment_unavailable"), error=True)

    def _show_pending(self, attempt: PaymentAttempt, provider: PaymentProvider) -> None:
        """The customer is confirming on the phone: count down, poll, let the cashier cancel."""
        self._pending = attempt
        if attempt.seconds_left is not None:
            self._deadline = time.monotonic() + attempt.seconds_left
        self.message.clear()
        self.pending.show()
        self.cancel_code.show()
        self.cancel_code.setEnabled(True)
        self._tick()
        self._countdown.start()
        attempt_id = attempt.attempt_id
        QTimer.singleShot(POLL_INTERVAL_MS, self, lambda: self._poll(attempt_id, provider))

    def _tick(self) -> None:
        left = max(0, math.ceil(self._deadline - time.monotonic()))
        self.pending.setText(tr("pay_waiting_password", s=left))

    def _poll(self, attempt_id: str, provider: PaymentProvider) -> None:
        if self._pending is None or self._pending.attempt_id != attempt_id:
            return
        gateway = self.ctx.gateway
        self.ctx.ops.run(
            lambda: gateway.poll(attempt_id),
            success=lambda polled: self._attempt(polled, provider),
            failure=lambda _error: self._poll_failed(attempt_id, provider),
            owner=self,
        )

    def _poll_failed(self, attempt_id: str, provider: PaymentProvider) -> None:
        """The mall did not answer: the payment may still complete, so keep asking."""
        if self._pending is not None and self._pending.attempt_id == attempt_id:
            show_message(self.message, tr("pay_reconnecting"), error=True)
            QTimer.singleShot(POLL_INTERVAL_MS, self, lambda: self._poll(attempt_id, provider))

    def cancel_code_payment(self) -> None:
        """The cashier gives up the pending code payment; the mall reverses it."""
        attempt = self._pending
        if attempt is None:
            return
        self._dropped.add(attempt.attempt_id)
        self._countdown.stop()
        self.cancel_code.setEnabled(False)
        show_message(self.message, tr("pay_code_cancelling"), error=False)
        gateway = self.ctx.gateway
        self.ctx.ops.run(
            lambda: gateway.cancel(attempt.attempt_id),
            success=self._code_cancelled,
            failure=self._payment_failed,
            owner=self,
        )

    def _code_cancelled(self, attempt: PaymentAttempt) -> None:
        self._end_pending()
        show_message(self.message, attempt.message, error=False)

    def _end_pending(self) -> None:
        self._pending = None
        self._code_busy = False
        self._countdown.stop()
        self.pending.hide()
        self.cancel_code.hide()

    def _payment_failed(self, error: Exception) -> None:
        self._end_pending()
        show_message(self.message, error_text(error), error=True)

    def _void_code_payments(self) -> None:
        """Cancel the code payments this dialog took that no committed sale uses (on the worker;
        one the mall cannot be reached for is cancelled later by the gateway's void_abandoned)."""
        attempt_ids = [self._code_attempts.pop(t.reference, "") for t in self.tenders]
        if self._pending is not None:
            attempt_ids.append(self._pending.attempt_id)
        self._end_pending()
        gateway = self.ctx.gateway
        for attempt_id in filter(None, attempt_ids):
            self._dropped.add(attempt_id)
            self.ctx.ops.run(
                partial(gateway.cancel, attempt_id),
                success=lambda _attempt: None,
                failure=lambda error: log.warning("a code payment was not cancelled: %s", error),
            )

    def reject(self) -> None:
        """Esc or closing the window backs out one step. A pending code payment is cancelled
        (reversed at the mall) only when a second Esc confirms it, and the dialog stays open
        until the mall has answered; money already taken is given up only on a second Esc
        too (code payments reversed, cash handed back by the cashier)."""
        if self._code_busy and self._pending is None:
            show_message(self.message, tr("pay_code_busy"), error=True)
            return  # the gateway is still answering: its payment must not be lost
        if self._pending is not None:
            if self._confirmed("pay_confirm_cancel_code"):
                self.cancel_code_payment()
            return
        if self.tenders and not self._confirmed("pay_confirm_give_up"):
            return
        self._void_code_payments()
        super().reject()

    def _confirmed(self, question: str) -> bool:
        """True on the second Esc within CONFIRM_WINDOW_S; the first one asks."""
        now = time.monotonic()
        if now < self._confirm_until:
            self._confirm_until = 0.0
            return True
        self._confirm_until = now + CONFIRM_WINDOW_S
        received = format_fen(self.settlement().tendered_fen)
        show_message(self.message, tr(question, received=received), error=True)
        return False

    # -- commit ----------------------------------------------------------------------------

    def _commit(self) -> None:
        work = self._commit_work(list(self.tenders))
        show_message(self.message, tr("pay_committing"), error=False)
        self.setEnabled(False)
        self.ctx.ops.run(work, success=self._committed, failure=self._commit_failed, owner=self)

    def _commit_work(self, tenders: list[Tender]) -> Callable[[], object]:
        """What stores the paid tenders, run on the background runner: the sale here."""
        db, cart, cashier, draft_id = self.ctx.db, self.cart, self.ctx.staff_id, self.draft_id
        return lambda: checkout(
            db, cart=cart, tenders=tenders, cashier_id=cashier, payment_draft=draft_id
        )

    def _committed(self, result: object) -> None:
        self.paid.emit(result)
        self.accept()

    def _commit_failed(self, error: Exception) -> None:
        self.setEnabled(True)
        show_message(self.message, error_text(error), error=True)
