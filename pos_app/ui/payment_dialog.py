"""Payment (F12): cash with quick amounts and change, bank card, payment code (付款码) through the
PaymentGateway, split across several tenders, 抹零 per the store's rounding setting.

When the tenders cover the amount due, the sale is committed by the checkout service on the
background runner; `paid` fires with the result. A payment code goes to the gateway (the mall);
while the customer confirms on the phone the dialog shows a countdown and the cashier may cancel
(the mall reverses it). Code payments taken but not used by a committed sale (the dialog is
cancelled or the tenders cleared) are cancelled too, so the customer is never charged for
nothing (code_payment holds that round trip). Without a mall the step shows plainly that
online payment is unavailable.

The keyboard contract (docs/keyboard.md): the amount field always has the keyboard; a typed
amount + Enter tenders exactly that amount in the selected tender (F2 cash, F3 card) and leaves
the rest open; the sale completes only when the tenders cover the amount due; a scanned payment
code charges the typed amount. While a code payment is pending nothing but its own outcome or a
confirmed cancel (Esc twice, reversed at the mall first) ends it. Esc backs out one step and
asks again before giving up money already taken.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from functools import partial

from pos_app.domain.cart import Cart
from pos_app.domain.money import format_fen, parse_yuan
from pos_app.domain.tenders import Settlement, Tender, TenderError, TenderKind, settle
from pos_app.services.checkout import checkout
from pos_app.ui.code_payment import CodePayment
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
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.redeem_panel import RedeemPanel
from pos_app.ui.widgets import KeyboardDialog, label, show_message

log = logging.getLogger(__name__)
CONFIRM_WINDOW_S = 5.0  # a second Esc within this time confirms giving money up
NOTES_FEN = (1000, 2000, 5000, 10000)  # ¥10, ¥20, ¥50, ¥100 notes for quick cash amounts
QUICK_AMOUNTS = 4


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
        self.codes = CodePayment(self)
        self.cancel_code.clicked.connect(self.codes.cancel)
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
            ("pay_code", self.codes.start, "code"),
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
        self.code.returnPressed.connect(self.codes.start)
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
        self.codes.end()

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
        if self.codes.busy:
            key = "pay_pending_keys" if self.codes.pending is not None else "pay_code_busy"
            show_message(self.message, tr(key), error=True)
        return self.codes.busy

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

    def field_fen(self) -> int | None:
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
        amount = self.field_fen()
        if amount:
            self.add_tender(Tender(kind, amount))

    def clear_tenders(self) -> None:
        if self._refuse_while_pending():
            return
        self.codes.void_unused()
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
        self.codes.start()

    def reject(self) -> None:
        """Esc or closing the window backs out one step. A pending code payment is cancelled
        (reversed at the mall) only when a second Esc confirms it, and the dialog stays open
        until the mall has answered; money already taken is given up only on a second Esc
        too (code payments reversed, cash handed back by the cashier)."""
        if self.codes.busy and self.codes.pending is None:
            show_message(self.message, tr("pay_code_busy"), error=True)
            return  # the gateway is still answering: its payment must not be lost
        if self.codes.pending is not None:
            if self._confirmed("pay_confirm_cancel_code"):
                self.codes.cancel()
            return
        if self.tenders and not self._confirmed("pay_confirm_give_up"):
            return
        self.codes.void_unused()
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
