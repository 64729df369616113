"""Payment codes end to end: the till's MallPaymentGateway against the real mall over HTTP with the
sandbox provider. Every test ends with the sandbox's books equal to the tills' code tenders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mall.payments.reconcile import CHINA, reconcile
from mall.payments.sandbox import sandbox_books_fen
from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.mall_payments import MallPaymentGateway
from pos_app.services.payment_attempts import CODE_KINDS, PaymentNotConfirmed
from pos_app.services.payments import AttemptState, PaymentAttempt, PaymentUnavailable, SaleDraft
from pos_app.services.refund import refund_sale
from pos_app.store.db import Database
from pos_app.store.models import Payment, Sale
from pos_app.store.payment_models import PaymentAttemptRow, PaymentRefundRow
from sync.client import MallClient
from sync.credentials import pair
from sync.engine import engine_for
from sync.payment_protocol import CreatePayment
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.mall.payment_support import FAST_PAYMENTS, eventually, payment_code
from tests.services.test_checkout import cart_with
from tests.sync.conftest import Mall, open_mall

ROOT = Path(__file__).resolve().parents[2]
DEAD_MALL = "http://127.0.0.1:9"  # nothing listens on the discard port


@pytest.fixture
def pay_mall(mall_url: str) -> Iterator[Mall]:
    """The real mall with a fast sandbox (the customer confirms in 0.3 s, deadline 1.5 s)."""
    yield from open_mall(mall_url, payments=FAST_PAYMENTS)  # type: ignore[arg-type]


@pytest.fixture
def gateway(pay_mall: Mall, db: Database) -> Iterator[MallPaymentGateway]:
    """The till (store S001, till T01, shift open), paired with the mall."""
    pair(pay_mall.base_url, pay_mall.pair_code("S001"), db.path.parent, till_id="T01")
    till = MallPaymentGateway.paired(db)
    till.recover_wait_s = 10
    yield till
    till.client.close()


def colas(db: Database, count: int = 2) -> Cart:
    return cart_with(db, *[barcode_of("1001")] * count)


def draft_of(cart: Cart, *tenders: Tender) -> SaleDraft:
    return SaleDraft(uuid.uuid4().hex, cart, tenders, CASHIER_ID)


def settled(gateway: MallPaymentGateway, attempt: PaymentAttempt) -> PaymentAttempt:
    return eventually(
        lambda: gateway.poll(attempt.attempt_id), lambda a: a.state is not AttemptState.USERPAYING
    )


def code_tenders_fen(db: Database) -> int:
    """What the till's sales and refunds took by payment code (refunds negative)."""
    with db.read() as session:
        total = session.scalar(
            select(func.coalesce(func.sum(Payment.amount_fen), 0)).where(
                Payment.kind.in_(CODE_KINDS)
            )
        )
    return int(total or 0)


def assert_books_balance(mall: Mall, db: Database) -> None:
    """The sandbox holds exactly what the till's sales took by code; once pushed, the mall's
    reconciliation of today shows no difference and nothing unmatched."""
    with mall.db.read() as session:
        assert sandbox_books_fen(session, "S001") == code_tenders_fen(db)
    engine_for(db).run_once()
    with mall.db.read() as session:
        report = reconcile(session, datetime.now(CHINA).date(), "S001")
    for row in report.rows:
        assert (row.difference_fen, row.paid_without_sale, row.sale_without_payment) == (0, [], [])


def pay_and_commit(
    db: Database, gateway: MallPaymentGateway, cart: Cart, code: str
) -> tuple[str, str]:
    """Sell cart paid by code; the sale number and the mall payment id."""
    attempt = settled(gateway, gateway.start(draft_of(cart), cart.total_fen, code))
    assert attempt.state is AttemptState.SUCCESS
    tender = Tender(TenderKind.WECHAT, attempt.amount_fen, attempt.reference)
    result = checkout(db, cart=cart, tenders=[tender], cashier_id=CASHIER_ID)
    return result.sale_no, attempt.reference


def test_a_code_payment_commits_the_sale_and_the_books_match(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """Paid at once; the tender's reference is the mall payment; books and report balance."""
    cart = colas(db)
    attempt = gateway.start(draft_of(cart), cart.total_fen, payment_code())
    assert (attempt.state, attempt.amount_fen) == (AttemptState.SUCCESS, 700)
    tender = Tender(TenderKind.WECHAT, 700, attempt.reference)
    checkout(db, cart=cart, tenders=[tender], cashier_id=CASHIER_ID)
    with db.read() as session:
        row = session.get(PaymentAttemptRow, attempt.attempt_id)
        assert row is not None and row.sale_id is not None
        assert session.scalar(select(Payment.reference)) == attempt.reference
    assert_books_balance(pay_mall, db)


def test_pending_then_paid_lets_the_sale_commit(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """The customer confirms on the phone: pending with a countdown, then paid."""
    cart = colas(db)
    attempt = gateway.start(draft_of(cart), 700, payment_code("01", "alipay"))
    assert attempt.state is AttemptState.USERPAYING
    assert attempt.seconds_left is not None and 0 < attempt.seconds_left <= 1.5
    paid = settled(gateway, attempt)
    assert paid.state is AttemptState.SUCCESS
    tender = Tender(TenderKind.ALIPAY, 700, paid.reference)
    checkout(db, cart=cart, tenders=[tender], cashier_id=CASHIER_ID)
    assert_books_balance(pay_mall, db)


def test_pending_then_timeout_is_cancelled_and_cannot_pay_a_sale(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """The customer never confirms: the mall reverses it; checkout refuses that payment."""
    cart = colas(db)
    attempt = settled(gateway, gateway.start(draft_of(cart), 700, payment_code("03")))
    assert attempt.state is AttemptState.CANCELLED
    with pytest.raises(PaymentNotConfirmed):
        tender = Tender(TenderKind.WECHAT, 700, attempt.reference)
        checkout(db, cart=cart, tenders=[tender], cashier_id=CASHIER_ID)
    assert_books_balance(pay_mall, db)


def test_a_failed_payment_tells_the_cashier_why(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """Balance too low: failed at once, with the reason to tell the customer."""
    cart = colas(db)
    attempt = gateway.start(draft_of(cart), 700, payment_code("11"))
    assert attempt.state is AttemptState.FAILED and "余额不足" in attempt.message
    assert_books_balance(pay_mall, db)


def test_the_cashier_cancels_while_the_customer_confirms(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """Cancel during USERPAYING: cancelled at the mall, nothing charged."""
    cart = colas(db)
    attempt = gateway.start(draft_of(cart), 700, payment_code("01"))
    assert gateway.cancel(attempt.attempt_id).state is AttemptState.CANCELLED
    assert settled(gateway, attempt).state is AttemptState.CANCELLED
    assert_books_balance(pay_mall, db)


def test_a_double_submitted_payment_charges_once(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """The same request sent again (a retry after a lost answer) is the same payment."""
    cart = colas(db)
    code = payment_code("31")
    draft = draft_of(cart)
    attempt = gateway.start(draft, 700, code)
    assert attempt.attempt_id == f"{draft.draft_id}:1"
    again = gateway.client.create_payment(
        CreatePayment(
            idempotency_key=attempt.attempt_id,
            sale_draft_id=draft.draft_id,
            attempt_no=1,
            amount_fen=700,
            payment_code=code,
        )
    )
    assert again.id == attempt.reference
    checkout(
        db,
        cart=cart,
        tenders=[Tender(TenderKind.WECHAT, 700, attempt.reference)],
        cashier_id=CASHIER_ID,
    )
    with pay_mall.db.read() as session:
        assert sandbox_books_fen(session, "S001") == 700
    assert_books_balance(pay_mall, db)


def test_a_split_tender_mixes_a_code_payment_with_cash(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """¥5 by WeChat, ¥10 cash for a ¥9 cart: ¥6 change, and only ¥5 at the provider."""
    cart = cart_with(db, barcode_of("1001"), barcode_of("1001"), barcode_of("1002"))
    attempt = gateway.start(draft_of(cart), 500, payment_code())
    tenders = [Tender(TenderKind.WECHAT, 500, attempt.reference), Tender(TenderKind.CASH, 1000)]
    result = checkout(db, cart=cart, tenders=tenders, cashier_id=CASHIER_ID)
    assert (result.total_fen, result.change_fen) == (900, 600)
    assert code_tenders_fen(db) == 500
    assert_books_balance(pay_mall, db)


def test_a_refund_goes_back_through_the_mall_even_after_an_outage(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """A refund is queued with the refund; sent while the mall is down it stays queued, then
    reaches the mall once, and the provider gives back exactly the refunded share."""
    sale_no, payment_id = pay_and_commit(db, gateway, colas(db), payment_code())
    refund_sale(
        db, sale_no=sale_no, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    offline = MallPaymentGateway(db, lambda: MallClient(DEAD_MALL, retries=0, timeout_s=(0.5, 0.5)))
    assert offline.send_refunds() == 0
    with db.read() as session:
        [queued] = session.scalars(select(PaymentRefundRow)).all()
        assert (queued.state, queued.amount_fen, queued.attempts) == ("queued", 350, 1)
    assert gateway.send_refunds() == 1
    assert gateway.send_refunds() == 0
    assert gateway.client.payment(payment_id).refunded_fen == 350
    assert code_tenders_fen(db) == 350
    assert_books_balance(pay_mall, db)


def test_an_unreachable_mall_makes_code_payment_unavailable_and_never_charges(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """Offline: a clear PaymentUnavailable; the attempt is voided once the mall is back."""
    cart = colas(db)
    offline = MallPaymentGateway(db, lambda: MallClient(DEAD_MALL, retries=0, timeout_s=(0.5, 0.5)))
    with pytest.raises(PaymentUnavailable, match="商城支付服务连接失败"):
        offline.start(draft_of(cart), 700, payment_code())
    assert gateway.void_abandoned() == 1
    with db.read() as session:
        assert session.scalar(select(PaymentAttemptRow.state)) == "cancelled"
    assert_books_balance(pay_mall, db)


def start_and_kill(db: Database, code: str, stage: str = "pending") -> str:
    """A till process sells two colas by code and is SIGKILLed at stage (payment_worker)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.sync.payment_worker", str(db.path), code, stage],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    ready, state, attempt_id = child.stdout.readline().split()
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=30)
    assert ready == "ready"
    assert state == ("success" if stage in ("paid", "committed") else "userpaying")
    return attempt_id


def test_a_till_killed_while_the_customer_confirms_completes_the_sale_on_restart(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """Killed mid-payment; on restart the paid attempt's saved cart becomes the sale, once."""
    attempt_id = start_and_kill(db, payment_code("01"))
    [recovery] = gateway.recover(poll_s=0.05)
    assert recovery.outcome == "completed" and recovery.sale is not None
    assert recovery.sale.total_fen == 700
    assert gateway.recover(poll_s=0.05) == []  # nothing left to do, nothing rung twice
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Sale)) == 1
        row = session.get(PaymentAttemptRow, attempt_id)
        assert row is not None and row.sale_id == recovery.sale.sale_id
    assert_books_balance(pay_mall, db)


def test_a_till_killed_while_the_customer_never_confirms_shows_the_payment_cancelled(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway
):
    """Killed mid-payment; the mall reversed it at its deadline; restart reports it cancelled."""
    start_and_kill(db, payment_code("03"))
    [recovery] = gateway.recover(poll_s=0.05)
    assert (recovery.outcome, recovery.amount_fen, recovery.sale) == ("cancelled", 700, None)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Sale)) == 0
    assert_books_balance(pay_mall, db)


@pytest.mark.parametrize(
    ("stage", "scenario", "sales", "code_paid_fen"),
    [
        ("pending", "01", 1, 700),  # the customer confirms after the crash: one sale
        ("pending", "03", 0, 0),  # never confirms: reversed, no sale
        ("paid", "", 1, 700),  # paid, killed before the sale: the sale is made once
        ("committed", "", 1, 700),  # killed after the commit: nothing made again
        ("cash-instead", "01", 1, 0),  # a cash sale closed the step: the code payment reversed
    ],
)
def test_a_till_killed_at_any_stage_of_a_code_payment_agrees_with_the_mall_after_restart(
    pay_mall: Mall,
    db: Database,
    gateway: MallPaymentGateway,
    stage: str,
    scenario: str,
    sales: int,
    code_paid_fen: int,
) -> None:
    """kill -9 at each stage, restart (recover, twice): one sale or none, never two; the
    customer is charged exactly what the till's sales took by code; the mall's
    reconciliation shows nothing unmatched."""
    start_and_kill(db, payment_code(scenario), stage)
    gateway.recover(poll_s=0.05)
    gateway.recover(poll_s=0.05)
    gateway.void_abandoned()
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Sale)) == sales
    assert code_tenders_fen(db) == code_paid_fen
    assert_books_balance(pay_mall, db)
