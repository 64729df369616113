"""The till's payment gateway over the mall (DESIGN §3): payment codes are charged by the mall,
which holds the provider keys; this side stores every attempt before it goes out, follows it,
cancels it, sends refunds, and after a crash finds out what became of an unfinished payment.

Every method blocks on the network (sync.client: timeouts, TLS verified, retries of calls that
are safe to repeat): call it off the GUI thread. What it guarantees:
- an attempt is in the till's database before the request leaves, keyed by its idempotency key
  (draft id + attempt no.), so a repeated or recovered request never charges twice;
- an attempt the till gives up (cashier cancel, mall unreachable) is "voiding" until the mall
  has reversed it: the customer is never left charged for a payment the till did not use;
- a refund of a code-paid sale is queued in the refund's own transaction and sent until the
  mall has it (send_refunds), so a refund is never lost to a network failure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.domain.scan import detect_payment_provider, mask_payment_code
from pos_app.domain.tenders import TenderError
from pos_app.services.checkout import CheckoutResult, checkout
from pos_app.services.errors import NotFullyPaid, ServiceError
from pos_app.services.payment_attempts import (
    StoredAttempt,
    finish_refund,
    load_attempt,
    queued_refunds,
    record_attempt,
    unsettled_attempts,
    update_attempt,
)
from pos_app.services.payments import (
    AttemptState,
    PaymentAttempt,
    PaymentGateway,
    PaymentUnavailable,
    SaleDraft,
    UnavailableGateway,
)
from pos_app.store.db import Database
from sync.client_on_demand import ClientOnDemand
from sync.errors import NotPaired, SyncError, SyncRejected

if TYPE_CHECKING:  # requests loads when a paired till builds its client, not at import
    from sync.client import MallClient
    from sync.payment_protocol import Payment

log = logging.getLogger(__name__)
OFFLINE_MESSAGE = (
    "商城支付服务连接失败，本次扫码未扣款（如已扣款将自动撤销）。请检查网络或改用现金。"
)
VOID_LATER_MESSAGE = "已记录撤销：商城暂时无法连接，恢复连接后自动撤销，顾客不会被扣款。"
_DESCRIPTION = "门店通收银"
OPEN = ("sending", "pending")


class PaymentRefused(ServiceError):
    """The mall refused the request (e.g. not a payment code); the message says why."""


@dataclass(frozen=True)
class Recovery:
    """What became of an unfinished payment found on restart: the sale was completed, or the
    payment was cancelled (money back to the customer), or a person must look (attention)."""

    draft_id: str
    outcome: str  # completed | cancelled | attention
    amount_fen: int
    message: str
    sale: CheckoutResult | None = None


class MallPaymentGateway:
    """PaymentGateway over the mall for one till (its database and its paired MallClient, made
    by connect at the first call to the mall)."""

    def __init__(
        self, db: Database, connect: Callable[[], MallClient], *, recover_wait_s: float = 45.0
    ) -> None:
        self.db = db
        self._client = ClientOnDemand(connect)
        self.recover_wait_s = recover_wait_s

    @property
    def client(self) -> MallClient:
        return self._client.get()

    @classmethod
    def paired(cls, db: Database, data_dir: Path | None = None) -> MallPaymentGateway:
        """The gateway of a paired till (credentials beside its database); NotPaired if none."""
        from sync.credentials import load_credentials

        credentials = load_credentials(data_dir or db.path.parent)
        return cls(db, credentials.client)

    # -- PaymentGateway ------------------------------------------------------------------------

    def start(self, draft: SaleDraft, amount_fen: int, code: str) -> PaymentAttempt:
        from sync.payment_protocol import CreatePayment

        provider = detect_payment_provider(code)
        if provider is None:
            raise PaymentRefused("这不是微信或支付宝付款码。")
        stored = record_attempt(
            self.db,
            draft,
            kind=str(provider),
            amount_fen=amount_fen,
            code_masked=mask_payment_code(code),
        )
        request = CreatePayment(
            idempotency_key=stored.attempt_id,
            sale_draft_id=draft.draft_id,
            attempt_no=stored.attempt_no,
            amount_fen=amount_fen,
            payment_code=code,
            description=_DESCRIPTION,
        )
        try:
            payment = self.client.create_payment(request)
        except SyncRejected as error:
            update_attempt(
                self.db, stored.attempt_id, state="failed", mall_payment_id=None, message=str(error)
            )
            raise PaymentRefused(f"商城拒绝了这笔支付：{error}") from error
        except SyncError as error:
            log.warning("payment %s did not reach the mall: %s", stored.attempt_id, error)
            update_attempt(
                self.db,
                stored.attempt_id,
                state="voiding",
                mall_payment_id=None,
                message=OFFLINE_MESSAGE,
            )
            raise PaymentUnavailable(OFFLINE_MESSAGE) from error
        return self._follow(stored.attempt_id, payment)

    def poll(self, attempt_id: str) -> PaymentAttempt:
        """The attempt now; PaymentUnavailable while the mall cannot be reached (ask again)."""
        try:
            payment = self._at_mall(load_attempt(self.db, attempt_id))
        except SyncError as error:
            raise PaymentUnavailable(OFFLINE_MESSAGE) from error
        if payment is None:  # it never reached the mall
            return self._give_up(attempt_id, "cancelled", "支付请求未到达商城，未扣款")
        return self._follow(attempt_id, payment)

    def cancel(self, attempt_id: str) -> PaymentAttempt:
        """Give the attempt up; the mall reverses it (a paid one gets its money back). When the
        mall cannot be reached now, it is reversed as soon as it can (void_abandoned). An attempt
        already settled, or used by a committed sale, is left as it is."""
        stored = update_attempt(
            self.db, attempt_id, state="voiding", mall_payment_id=None, message="正在撤销"
        )
        if stored.state != "voiding":
            return stored.as_attempt()
        try:
            payment = self._void(stored)
        except SyncRejected as error:
            log.error("the mall refuses to cancel %s: %s", attempt_id, error)
            return self._give_up(attempt_id, "voiding", f"商城暂不能撤销，稍后自动重试：{error}")
        except SyncError as error:
            log.warning("cancel of %s postponed: %s", attempt_id, error)
            return self._give_up(attempt_id, "voiding", VOID_LATER_MESSAGE)
        if payment is None:
            return self._give_up(attempt_id, "cancelled", "已撤销（支付请求未到达商城）")
        return self._follow(attempt_id, payment)

    # -- the mall's view -----------------------------------------------------------------------

    def _at_mall(self, stored: StoredAttempt) -> Payment | None:
        if stored.mall_payment_id:
            return self.client.payment(stored.mall_payment_id)
        return self.client.find_payment(stored.attempt_id)

    def _void(self, stored: StoredAttempt) -> Payment | None:
        payment = self._at_mall(stored)
        if payment is None or payment.status in ("failed", "cancelled"):
            return payment
        return self.client.cancel_payment(payment.id)

    def _follow(self, attempt_id: str, payment: Payment) -> PaymentAttempt:
        stored = update_attempt(
            self.db,
            attempt_id,
            state=payment.status,
            mall_payment_id=payment.id,
            message=payment.message,
        )
        return stored.as_attempt(payment.seconds_left)

    def _give_up(self, attempt_id: str, state: str, message: str) -> PaymentAttempt:
        stored = update_attempt(
            self.db, attempt_id, state=state, mall_payment_id=None, message=message
        )
        return stored.as_attempt()

    # -- background duties (run off the GUI thread: at start-up, after a refund, on a timer) ---

    def void_abandoned(self) -> int:
        """Reverse at the mall every attempt the till gave up; how many are settled now."""
        settled = 0
        for stored in unsettled_attempts(self.db):
            if stored.state != "voiding":
                continue
            self.cancel(stored.attempt_id)
            settled += load_attempt(self.db, stored.attempt_id).state == "cancelled"
        return settled

    def send_refunds(self) -> int:
        """Send queued refunds to the mall (idempotent keys); how many the mall has taken. Stops
        at the first network failure and keeps the rest queued."""
        from sync.payment_protocol import CreateRefund

        sent = 0
        for key, payment_id, amount_fen in queued_refunds(self.db):
            request = CreateRefund(idempotency_key=key, amount_fen=amount_fen, reason="退货")
            try:
                refund = self.client.refund_payment(payment_id, request)
            except SyncRejected as error:
                finish_refund(self.db, key, state="failed", error=str(error))
                continue
            except SyncError as error:
                finish_refund(self.db, key, state="queued", error=str(error))
                break
            state = {"succeeded": "done", "failed": "failed"}.get(refund.status, "queued")
            finish_refund(self.db, key, state=state, error=refund.message)
            sent += state == "done"
        return sent

    def recover(self, *, poll_s: float = 1.0) -> list[Recovery]:
        """On start-up: find out what became of every unfinished payment, waiting (up to
        recover_wait_s) for the mall to settle pending ones; complete each sale whose tenders
        are all paid, cancel (reverse) the rest. PaymentUnavailable if the mall cannot be
        reached (call again later: nothing is lost meanwhile)."""
        self.void_abandoned()
        lost = [self._settle(s, poll_s) for s in unsettled_attempts(self.db) if s.state in OPEN]
        drafts: dict[str, list[StoredAttempt]] = {}
        for stored in unsettled_attempts(self.db):
            if stored.state == "paid":
                drafts.setdefault(stored.draft_id, []).append(stored)
        finished = [self._finish_draft(attempts) for attempts in drafts.values()]
        return [recovery for recovery in lost if recovery is not None] + finished

    def _settle(self, stored: StoredAttempt, poll_s: float) -> Recovery | None:
        """Follow an attempt until the mall settles it; a Recovery if it ended unpaid."""
        deadline = time.monotonic() + self.recover_wait_s
        attempt = self.poll(stored.attempt_id)
        while attempt.state is AttemptState.USERPAYING and time.monotonic() < deadline:
            time.sleep(poll_s)
            attempt = self.poll(stored.attempt_id)
        if attempt.state in (AttemptState.FAILED, AttemptState.CANCELLED):
            message = f"扫码支付未完成，已取消：{attempt.message}"
            return Recovery(stored.draft_id, "cancelled", stored.amount_fen, message)
        return None

    def _finish_draft(self, paid: list[StoredAttempt]) -> Recovery:
        """Complete the draft's sale with its last attempt's tenders, or void what was paid."""
        last = max(paid, key=lambda stored: stored.attempt_no)
        draft = last.draft
        tenders = [*draft.tenders, last.tender]
        total = sum(stored.amount_fen for stored in paid)
        references = {tender.reference for tender in tenders}
        for stray in (s for s in paid if s.mall_payment_id not in references):
            self.cancel(stray.attempt_id)  # paid, but no longer among the sale's tenders
        if draft.cart.is_empty:  # a top-up (充值) that was not stored: the money goes back
            for stored in paid:
                self.cancel(stored.attempt_id)
            return Recovery(draft.draft_id, "cancelled", total, "充值未完成，扫码款项已撤销")
        try:
            result = checkout(
                self.db,
                cart=draft.cart,
                tenders=tenders,
                cashier_id=draft.cashier_id,
                payment_draft=draft.draft_id,
            )
        except (NotFullyPaid, TenderError):
            for stored in paid:
                self.cancel(stored.attempt_id)
            return Recovery(
                draft.draft_id, "cancelled", total, "未收齐的扫码支付已撤销，款项退回顾客"
            )
        except ServiceError as error:
            return Recovery(
                draft.draft_id, "attention", total, f"扫码已付款，但交易未能保存：{error}"
            )
        return Recovery(
            draft.draft_id, "completed", result.total_fen, "已按顾客的扫码支付完成交易", result
        )


def till_gateway(db: Database, data_dir: Path | None = None) -> PaymentGateway:
    """The gateway for the till window: the mall's when the till is paired, else one that says
    plainly that online payment is unavailable (MainWindow(db, gateway=till_gateway(db)))."""
    try:
        return MallPaymentGateway.paired(db, data_dir)
    except NotPaired:
        return UnavailableGateway()
