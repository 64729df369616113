"""The till's own record of payment-code payments (no network here): each attempt is stored before
it goes to the mall, its state follows the mall's answers, checkout claims the paid ones, and a
refund of a code-paid sale queues what the mall must give back.

Attempt states: sending (stored; the mall may or may not have it) → pending → paid | failed |
cancelled; voiding = the till gave the attempt up (cashier cancelled, or the mall could not be
reached) and the mall must reverse it if it has it. An attempt is used once: checkout sets
sale_id in the sale's own transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.errors import ServiceError
from pos_app.services.payments import AttemptState, PaymentAttempt, SaleDraft
from pos_app.services.sale_facts import SaleFacts
from pos_app.store.db import Database
from pos_app.store.models import Sale, utc_now
from pos_app.store.payment_models import PaymentAttemptRow, PaymentRefundRow

CODE_KINDS = (str(TenderKind.WECHAT), str(TenderKind.ALIPAY))
UNSETTLED = ("sending", "pending", "paid", "voiding")
_STATES = {
    "sending": AttemptState.USERPAYING,
    "pending": AttemptState.USERPAYING,
    "paid": AttemptState.SUCCESS,
    "failed": AttemptState.FAILED,
    "cancelled": AttemptState.CANCELLED,
    "voiding": AttemptState.CANCELLED,
}


class PaymentNotConfirmed(ServiceError):
    """A code tender whose mall payment is not confirmed paid, or was already used by a sale."""


@dataclass(frozen=True)
class StoredAttempt:
    """An attempt as the till stored it, with what it needs to finish the sale."""

    attempt_id: str
    draft_id: str
    attempt_no: int
    kind: str
    amount_fen: int
    state: str
    mall_payment_id: str | None
    message: str
    draft: SaleDraft

    def as_attempt(self, seconds_left: float | None = None) -> PaymentAttempt:
        return PaymentAttempt(
            self.attempt_id,
            _STATES[self.state],
            self.amount_fen,
            self.mall_payment_id or "",
            self.message,
            seconds_left,
        )

    @property
    def tender(self) -> Tender:
        return Tender(TenderKind(self.kind), self.amount_fen, self.mall_payment_id or "")


def _tenders_json(tenders: tuple[Tender, ...]) -> str:
    return json.dumps([[str(t.kind), t.amount_fen, t.reference] for t in tenders])


def _stored(row: PaymentAttemptRow) -> StoredAttempt:
    tenders = tuple(Tender(TenderKind(k), a, r) for k, a, r in json.loads(row.tenders_json))
    draft = SaleDraft(
        row.draft_id, Cart.from_dict(json.loads(row.cart_json)), tenders, row.cashier_id
    )
    return StoredAttempt(
        row.id,
        row.draft_id,
        row.attempt_no,
        row.kind,
        row.amount_fen,
        row.state,
        row.mall_payment_id,
        row.message,
        draft,
    )


def record_attempt(
    db: Database, draft: SaleDraft, *, kind: str, amount_fen: int, code_masked: str
) -> StoredAttempt:
    """Store a new attempt (state sending) with its cart, before anything goes to the mall."""
    with db.write() as session:
        last = session.scalar(
            select(func.max(PaymentAttemptRow.attempt_no)).where(
                PaymentAttemptRow.draft_id == draft.draft_id
            )
        )
        attempt_no = (last or 0) + 1
        row = PaymentAttemptRow(
            id=f"{draft.draft_id}:{attempt_no}",
            draft_id=draft.draft_id,
            attempt_no=attempt_no,
            kind=kind,
            amount_fen=amount_fen,
            code_masked=code_masked,
            state="sending",
            message="",
            cart_json=json.dumps(draft.cart.to_dict(), ensure_ascii=False),
            tenders_json=_tenders_json(draft.tenders),
            cashier_id=draft.cashier_id,
        )
        session.add(row)
        session.flush()
        return _stored(row)


def load_attempt(db: Database, attempt_id: str) -> StoredAttempt:
    with db.read() as session:
        row = session.get(PaymentAttemptRow, attempt_id)
        if row is None:
            raise ServiceError(
                f"No payment attempt {attempt_id} on this till.",
                code="payment_missing",
                id=attempt_id,
            )
        return _stored(row)


def update_attempt(
    db: Database, attempt_id: str, *, state: str, mall_payment_id: str | None, message: str
) -> StoredAttempt:
    """Follow the mall's answer. An attempt the till gave up (voiding) stays given up until the
    mall says it is cancelled or failed; a final state never changes back."""
    with db.write() as session:
        row = session.get(PaymentAttemptRow, attempt_id)
        assert row is not None, attempt_id
        if row.state in ("failed", "cancelled") or _used(row):
            return _stored(row)
        if row.state != "voiding" or state in ("failed", "cancelled"):
            row.state = state
        row.mall_payment_id = mall_payment_id or row.mall_payment_id
        row.message = message[:200]
        row.updated_at = utc_now()
        return _stored(row)


def unsettled_attempts(db: Database) -> list[StoredAttempt]:
    """Attempts not used by a sale whose money may still be at the provider, oldest first."""
    with db.read() as session:
        rows = session.scalars(
            select(PaymentAttemptRow)
            .where(
                PaymentAttemptRow.state.in_(UNSETTLED),
                PaymentAttemptRow.sale_id.is_(None),
                PaymentAttemptRow.top_up_id.is_(None),
            )
            .order_by(PaymentAttemptRow.created_at, PaymentAttemptRow.attempt_no)
        )
        return [_stored(row) for row in rows]


def claim_code_payments(session: Session, sale: SaleFacts) -> None:
    """In the checkout transaction: every WeChat/Alipay tender that names a mall payment of this
    till must be that payment, confirmed paid, for the same amount, and not used before."""
    for row in _claimed(session, sale.payments):
        row.sale_id = sale.id


def claim_top_up_payments(
    session: Session, top_up_id: int, payments: Sequence[TenderRecord]
) -> None:
    """claim_code_payments for a top-up's tenders, in the top-up's transaction."""
    for row in _claimed(session, payments):
        row.top_up_id = top_up_id


class TenderRecord(Protocol):
    kind: str
    amount_fen: int
    reference: str


def _claimed(session: Session, payments: Sequence[TenderRecord]) -> list[PaymentAttemptRow]:
    rows = []
    for payment in payments:
        if payment.kind not in CODE_KINDS or not payment.reference:
            continue
        row = session.scalar(
            select(PaymentAttemptRow).where(PaymentAttemptRow.mall_payment_id == payment.reference)
        )
        if row is None:
            continue  # a payment recorded by hand (no mall payment behind it)
        if row.state != "paid" or _used(row) or row.amount_fen != payment.amount_fen:
            raise PaymentNotConfirmed(
                f"Payment {payment.reference} is not a confirmed, unused payment of "
                f"{payment.amount_fen} fen.",
                code="payment_not_confirmed",
            )
        rows.append(row)
    return rows


def _used(row: PaymentAttemptRow) -> bool:
    return row.sale_id is not None or row.top_up_id is not None


def close_payment_draft(session: Session, draft_id: str) -> None:
    """In the checkout transaction of the payment step draft_id: every attempt of that step the
    sale did not claim is given up (voiding). The upkeep reverses it at the mall, and recovery
    after a crash never turns it into a second sale for the same cart."""
    session.execute(
        update(PaymentAttemptRow)
        .where(
            PaymentAttemptRow.draft_id == draft_id,
            PaymentAttemptRow.sale_id.is_(None),
            PaymentAttemptRow.top_up_id.is_(None),
            PaymentAttemptRow.state.in_(("sending", "pending", "paid")),
        )
        .values(state="voiding", updated_at=utc_now())
    )


def queue_code_refunds(session: Session, refund: Sale) -> None:
    """In the refund transaction: what goes back to a payment code waits in the refund queue
    until the mall has it (the key makes sending it again harmless)."""
    for payment in refund.payments:
        if payment.kind not in CODE_KINDS or payment.amount_fen >= 0 or not payment.reference:
            continue
        paid = session.scalar(
            select(PaymentAttemptRow.id).where(
                PaymentAttemptRow.mall_payment_id == payment.reference
            )
        )
        if paid is not None:
            session.add(
                PaymentRefundRow(
                    id=f"{refund.sale_no}:{payment.reference}",
                    mall_payment_id=payment.reference,
                    refund_sale_id=refund.id,
                    amount_fen=-payment.amount_fen,
                )
            )


def queued_refunds(db: Database) -> list[tuple[str, str, int]]:
    """(key, mall payment id, amount) of the refunds the mall does not have yet."""
    with db.read() as session:
        rows = session.execute(
            select(
                PaymentRefundRow.id, PaymentRefundRow.mall_payment_id, PaymentRefundRow.amount_fen
            )
            .where(PaymentRefundRow.state == "queued")
            .order_by(PaymentRefundRow.created_at)
        )
        return [(key, payment_id, amount) for key, payment_id, amount in rows]


def finish_refund(db: Database, key: str, *, state: str, error: str = "") -> None:
    """Record what became of a queued refund (done, failed, or still queued after an error)."""
    with db.write() as session:
        row = session.get(PaymentRefundRow, key)
        assert row is not None, key
        row.state = state
        row.attempts += 1
        row.last_error = error[:200]
        if state == "done":
            row.done_at = utc_now()
