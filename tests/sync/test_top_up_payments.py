"""A top-up (充值) paid by payment code through the real mall's sandbox: the paid attempt is
claimed by the top-up in its own transaction (never voided as unused, never offered to a sale
again), the mall's reconciliation matches it once pushed, and a paid top-up the till never
stored (a crash before it was) is reversed on restart instead of being kept or sold."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import select

from mall.payments.reconcile import CHINA, reconcile
from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.mall_payments import MallPaymentGateway
from pos_app.services.payment_attempts import PaymentNotConfirmed, unsettled_attempts
from pos_app.services.payments import AttemptState, SaleDraft
from pos_app.services.top_ups import record_top_up
from pos_app.store.db import Database
from pos_app.store.payment_models import PaymentAttemptRow, TopUpPayment
from sync.engine import engine_for
from tests.conftest import CASHIER_ID, barcode_of
from tests.mall.payment_support import payment_code
from tests.services.test_checkout import cart_with
from tests.sync.conftest import Mall
from tests.sync.test_payments_e2e import gateway, pay_mall, settled

__all__ = ["gateway", "pay_mall"]  # fixtures
MEMBER = "M0123456789AB"


def top_up_draft() -> SaleDraft:
    return SaleDraft(uuid.uuid4().hex, Cart(), (), CASHIER_ID)


def test_a_top_up_paid_by_code_claims_its_payment_once(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    draft = top_up_draft()
    attempt = settled(gateway, gateway.start(draft, 20000, payment_code()))
    assert attempt.state is AttemptState.SUCCESS
    tender = Tender(TenderKind.WECHAT, 20000, attempt.reference)
    result = record_top_up(
        db,
        member_id=MEMBER,
        amount_fen=20000,
        tenders=[tender],
        cashier_id=CASHIER_ID,
        payment_draft=draft.draft_id,
    )
    with db.read() as session:
        row = session.get(PaymentAttemptRow, attempt.attempt_id)
        assert row is not None and (row.state, row.top_up_id) == ("paid", result.top_up_id)
        assert session.scalars(select(TopUpPayment.reference)).all() == [attempt.reference]
    assert unsettled_attempts(db) == []  # nothing for the upkeep to reverse
    assert gateway.recover(poll_s=0.05) == []
    colas = cart_with(db, barcode_of("1001"))
    engine_for(db).run_once()
    with pay_mall.db.read() as session:
        [row] = reconcile(session, datetime.now(CHINA).date(), "S001").rows
    assert (row.difference_fen, row.till_fen) == (0, 20000)
    assert (row.paid_without_sale, row.sale_without_payment) == ([], [])
    with pytest.raises(PaymentNotConfirmed):  # the same payment cannot pay a sale too
        checkout(
            db,
            cart=colas,
            tenders=[Tender(TenderKind.WECHAT, 350, attempt.reference)],
            cashier_id=CASHIER_ID,
        )


def test_a_paid_top_up_never_stored_is_reversed_on_restart(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    attempt = settled(gateway, gateway.start(top_up_draft(), 20000, payment_code()))
    assert attempt.state is AttemptState.SUCCESS
    [recovery] = gateway.recover(poll_s=0.05)  # the till died before record_top_up
    assert (recovery.outcome, recovery.amount_fen, recovery.sale) == ("cancelled", 20000, None)
    with db.read() as session:
        row = session.get(PaymentAttemptRow, attempt.attempt_id)
        assert row is not None and row.state == "cancelled" and row.top_up_id is None
