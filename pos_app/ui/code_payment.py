"""Payment codes (付款码) in the payment dialog: the code goes to the PaymentGateway (the mall);
while the customer confirms on the phone a countdown shows and the mall is polled; the cashier
may cancel (the mall reverses it); code payments no committed sale uses are cancelled. Runs on
the GUI thread; the gateway is asked on the background runner."""

from __future__ import annotations

import logging
import math
import time
from functools import partial
from typing import TYPE_CHECKING

from pos_app.domain.scan import PaymentCodeScan, PaymentProvider, ScanContext, route_scan
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.payments import AttemptState, PaymentAttempt, SaleDraft
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.qt import QTimer
from pos_app.ui.widgets import show_message

if TYPE_CHECKING:  # the payment dialog imports this module
    from pos_app.ui.payment_dialog import PaymentDialog

log = logging.getLogger(__name__)
POLL_INTERVAL_MS = 2000
_PROVIDER_TENDER = {
    PaymentProvider.WECHAT: TenderKind.WECHAT,
    PaymentProvider.ALIPAY: TenderKind.ALIPAY,
}


class CodePayment:
    """The dialog's code payments: at most one with the gateway at a time (busy), the one the
    customer is confirming (pending), and the ones taken as tenders."""

    def __init__(self, dialog: PaymentDialog) -> None:
        self.dialog = dialog
        self.pending: PaymentAttempt | None = None  # the code payment the customer confirms
        self.busy = False  # a payment code is with the gateway
        self._deadline = 0.0  # time.monotonic() when the mall gives up on it
        self._attempts: dict[str, str] = {}  # tender reference → attempt id
        self._dropped: set[str] = set()  # attempts cancelled here: late answers are ignored
        self._countdown = QTimer(dialog, interval=1000)
        self._countdown.timeout.connect(self._tick)

    def start(self) -> None:
        """Charge the typed amount to the payment code in the code field."""
        dialog = self.dialog
        if self.busy:
            show_message(dialog.message, tr("pay_code_busy"), error=True)
            return
        amount = dialog.field_fen()
        if not amount:
            return
        try:
            intent = route_scan(dialog.code.text(), ScanContext.PAYMENT)
        except ValueError as error:
            show_message(dialog.message, error_text(error), error=True)
            return
        assert isinstance(intent, PaymentCodeScan)
        dialog.code.clear()
        gateway = dialog.ctx.gateway
        draft = SaleDraft(dialog.draft_id, dialog.cart, tuple(dialog.tenders), dialog.ctx.staff_id)
        self.busy = True
        show_message(dialog.message, tr("checking"), error=False)
        dialog.ctx.ops.run(
            lambda: gateway.start(draft, amount, intent.code),
            success=lambda attempt: self._attempt(attempt, intent.provider),
            failure=self._failed,
            owner=dialog,
        )

    def _attempt(self, attempt: PaymentAttempt, provider: PaymentProvider) -> None:
        dialog = self.dialog
        if attempt.attempt_id in self._dropped:
            return
        if attempt.state is AttemptState.USERPAYING:
            self._show_pending(attempt, provider)
            return
        self.end()
        if attempt.state is AttemptState.SUCCESS:
            self._attempts[attempt.reference] = attempt.attempt_id
            tender = Tender(_PROVIDER_TENDER[provider], attempt.amount_fen, attempt.reference)
            dialog.add_tender(tender)
        else:
            show_message(
                dialog.message, attempt.message or tr("err_payment_unavailable"), error=True
            )

    def _show_pending(self, attempt: PaymentAttempt, provider: PaymentProvider) -> None:
        """The customer is confirming on the phone: count down, poll, let the cashier cancel."""
        dialog = self.dialog
        self.pending = attempt
        if attempt.seconds_left is not None:
            self._deadline = time.monotonic() + attempt.seconds_left
        dialog.message.clear()
        dialog.pending.show()
        dialog.cancel_code.show()
        dialog.cancel_code.setEnabled(True)
        self._tick()
        self._countdown.start()
        attempt_id = attempt.attempt_id
        QTimer.singleShot(POLL_INTERVAL_MS, dialog, lambda: self._poll(attempt_id, provider))

    def _tick(self) -> None:
        dialog = self.dialog
        left = max(0, math.ceil(self._deadline - time.monotonic()))
        dialog.pending.setText(tr("pay_waiting_password", s=left))

    def _poll(self, attempt_id: str, provider: PaymentProvider) -> None:
        dialog = self.dialog
        if self.pending is None or self.pending.attempt_id != attempt_id:
            return
        gateway = dialog.ctx.gateway
        dialog.ctx.ops.run(
            lambda: gateway.poll(attempt_id),
            success=lambda polled: self._attempt(polled, provider),
            failure=lambda _error: self._poll_failed(attempt_id, provider),
            owner=dialog,
        )

    def _poll_failed(self, attempt_id: str, provider: PaymentProvider) -> None:
        """The mall did not answer: the payment may still complete, so keep asking."""
        dialog = self.dialog
        if self.pending is not None and self.pending.attempt_id == attempt_id:
            show_message(dialog.message, tr("pay_reconnecting"), error=True)
            QTimer.singleShot(POLL_INTERVAL_MS, dialog, lambda: self._poll(attempt_id, provider))

    def cancel(self) -> None:
        """The cashier gives up the pending code payment; the mall reverses it."""
        dialog = self.dialog
        attempt = self.pending
        if attempt is None:
            return
        self._dropped.add(attempt.attempt_id)
        self._countdown.stop()
        dialog.cancel_code.setEnabled(False)
        show_message(dialog.message, tr("pay_code_cancelling"), error=False)
        gateway = dialog.ctx.gateway
        dialog.ctx.ops.run(
            lambda: gateway.cancel(attempt.attempt_id),
            success=self._cancelled,
            failure=self._failed,
            owner=dialog,
        )

    def _cancelled(self, attempt: PaymentAttempt) -> None:
        dialog = self.dialog
        self.end()
        show_message(dialog.message, attempt.message, error=False)

    def end(self) -> None:
        """No code payment is with the gateway any more: hide the countdown and its button."""
        dialog = self.dialog
        self.pending = None
        self.busy = False
        self._countdown.stop()
        dialog.pending.hide()
        dialog.cancel_code.hide()

    def _failed(self, error: Exception) -> None:
        dialog = self.dialog
        self.end()
        show_message(dialog.message, error_text(error), error=True)

    def void_unused(self) -> None:
        """Cancel the code payments this dialog took that no committed sale uses (on the worker;
        one the mall cannot be reached for is cancelled later by the gateway's void_abandoned)."""
        dialog = self.dialog
        attempt_ids = [self._attempts.pop(t.reference, "") for t in dialog.tenders]
        if self.pending is not None:
            attempt_ids.append(self.pending.attempt_id)
        self.end()
        gateway = dialog.ctx.gateway
        for attempt_id in filter(None, attempt_ids):
            self._dropped.add(attempt_id)
            dialog.ctx.ops.run(
                partial(gateway.cancel, attempt_id),
                success=lambda _attempt: None,
                failure=lambda error: log.warning("a code payment was not cancelled: %s", error),
            )
