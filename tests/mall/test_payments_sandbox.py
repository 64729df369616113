"""The mall's payment API over HTTP with the sandbox provider: each outcome a payment code can have,
one charge per idempotency key, cancel, refunds, store scoping, and the sandbox's books."""

from __future__ import annotations

import itertools
import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

import pytest
from sqlalchemy import select

from mall.cli import main as mall_main
from mall.db import MallDatabase
from mall.devices import new_pairing_code
from mall.local import LocalMall
from mall.payment_models import PaymentRow
from mall.payments.reconcile import CHINA
from mall.payments.sandbox import sandbox_books_fen
from mall.settings import MallSettings
from sync.client import MallClient
from sync.errors import SyncRejected
from sync.payment_protocol import CreatePayment, CreateRefund, Payment, ReconciliationReport
from sync.protocol import PushEvent, payload_hash
from sync.sample import Item, sale_payload
from tests.mall.conftest import make_mall_db
from tests.mall.payment_support import FAST_PAYMENTS, eventually, payment_code


@dataclass
class PayMall:
    server: LocalMall
    db: MallDatabase

    tills: Iterator[int] = field(default_factory=lambda: itertools.count(10))

    def till(self, store_id: str = "S001", till_id: str | None = None) -> MallClient:
        """A newly paired device (a till number of its own unless till_id is given)."""
        with self.db.write() as session:
            code = new_pairing_code(session, store_id, ttl_s=60)
        till_id = till_id or f"T{next(self.tills):02d}"
        answer = MallClient(self.server.base_url).pair(code, till_id=till_id, device_name="test")
        return MallClient(
            self.server.base_url, device_id=answer.device_id, device_secret=answer.device_secret
        )

    def books(self, store_id: str = "S001") -> int:
        with self.db.read() as session:
            return sandbox_books_fen(session, store_id)

    def stored(self, payment_id: str) -> PaymentRow:
        with self.db.read() as session:
            row = session.scalar(select(PaymentRow).where(PaymentRow.id == payment_id))
            assert row is not None
            session.expunge(row)
            return row


@pytest.fixture(scope="module")
def pay_mall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PayMall]:
    """A mall whose sandbox answers fast (confirm 0.3 s, deadline 1.5 s)."""
    db = make_mall_db(tmp_path_factory.mktemp("paymall") / "mall.db")
    settings = replace(MallSettings(database_url=db.url), payments=FAST_PAYMENTS)
    server = LocalMall(settings).start()
    yield PayMall(server, db)
    server.stop()
    db.dispose()


@pytest.fixture
def till(pay_mall: PayMall) -> MallClient:
    return pay_mall.till()


def charge(client: MallClient, code: str, amount_fen: int = 1250, key: str = "") -> Payment:
    key = key or f"draft-{code}:1"
    return client.create_payment(
        CreatePayment(
            idempotency_key=key,
            sale_draft_id=f"d{code}",
            attempt_no=1,
            amount_fen=amount_fen,
            payment_code=code,
        )
    )


def settled(client: MallClient, payment: Payment) -> Payment:
    return eventually(lambda: client.payment(payment.id), lambda p: p.status != "pending")


def test_a_code_pays_at_once_and_the_sandbox_books_the_charge(pay_mall: PayMall, till: MallClient):
    """An ordinary code is paid at once; the sandbox's books gain exactly the amount."""
    before = pay_mall.books()
    payment = charge(till, payment_code(provider="alipay"), 1250)
    assert (payment.status, payment.provider, payment.amount_fen) == ("paid", "alipay", 1250)
    assert payment.provider_txn_id and payment.seconds_left == 0
    assert pay_mall.books() - before == 1250


def test_the_same_request_sent_twice_at_once_charges_once(pay_mall: PayMall, till: MallClient):
    """Eight concurrent retries of one request answer one payment, and one charge is booked."""
    before, code = pay_mall.books(), payment_code("31")  # slow: the requests overlap
    answers: list[Payment] = []
    threads = [
        threading.Thread(target=lambda: answers.append(charge(till, code, 700))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({answer.id for answer in answers}) == 1
    assert settled(till, answers[0]).status == "paid"
    assert pay_mall.books() - before == 700


def test_a_known_key_with_another_amount_is_refused(till: MallClient):
    """Reusing an idempotency key for a different charge is a conflict, not a second charge."""
    code = payment_code()
    charge(till, code, 500, key="reused:1")
    with pytest.raises(SyncRejected) as refused:
        charge(till, code, 900, key="reused:1")
    assert refused.value.code == "idempotency_conflict"


def test_a_customer_who_confirms_on_the_phone_ends_paid(pay_mall: PayMall, till: MallClient):
    """USERPAYING first (with the seconds left), then paid once the customer confirms."""
    before = pay_mall.books()
    payment = charge(till, payment_code("01"), 3000)
    assert payment.status == "pending" and payment.message == "等待顾客输入密码"
    assert 0 < payment.seconds_left <= 1.5
    assert settled(till, payment).status == "paid"
    assert pay_mall.books() - before == 3000


def test_a_customer_who_never_confirms_is_reversed_by_the_mall(pay_mall: PayMall, till: MallClient):
    """Nobody polls: the mall's own follow-up reverses the payment at its deadline."""
    before = pay_mall.books()
    payment = charge(till, payment_code("03"), 800)
    row = eventually(lambda: pay_mall.stored(payment.id), lambda r: r.status != "pending")
    assert (row.status, row.message) == ("cancelled", "顾客未在规定时间内完成支付，已撤销")
    assert pay_mall.books() == before


def test_a_customer_who_declines_ends_failed(pay_mall: PayMall, till: MallClient):
    """The customer gives up on the phone: failed, and no money moved."""
    before = pay_mall.books()
    payment = settled(till, charge(till, payment_code("02")))
    assert payment.status == "failed"
    assert pay_mall.books() == before


@pytest.mark.parametrize(
    ("scenario", "error_code", "words"),
    [("11", "NOTENOUGH", "余额不足"), ("12", "AUTHCODEEXPIRE", "已过期")],
)
def test_balance_too_low_or_an_expired_code_fails_with_the_reason(
    pay_mall: PayMall, till: MallClient, scenario: str, error_code: str, words: str
):
    """A definite failure is answered at once, with a reason the cashier can tell the customer."""
    before = pay_mall.books()
    payment = charge(till, payment_code(scenario))
    assert (payment.status, payment.error_code) == ("failed", error_code)
    assert words in payment.message
    assert pay_mall.books() == before


def test_an_answer_lost_after_the_charge_is_found_by_querying(pay_mall: PayMall, till: MallClient):
    """The provider charged but its answer was lost: pending (unknown), then paid by query."""
    before = pay_mall.books()
    payment = charge(till, payment_code("22"), 450)
    assert payment.status == "pending"
    assert settled(till, payment).status == "paid"
    assert pay_mall.books() - before == 450


def test_a_request_that_never_reached_the_provider_is_closed_unpaid(
    pay_mall: PayMall, till: MallClient
):
    """The provider was unreachable: nothing is charged and the payment ends cancelled."""
    before = pay_mall.books()
    payment = charge(till, payment_code("21"))
    assert payment.status == "pending"
    assert settled(till, payment).status == "cancelled"
    assert pay_mall.books() == before


def test_a_payment_code_pays_only_once(till: MallClient):
    """The same code under a new key (a second scan) is refused like the real services do."""
    code = payment_code()
    assert charge(till, code, key="first:1").status == "paid"
    second = charge(till, code, key="second:1")
    assert (second.status, second.error_code) == ("failed", "AUTH_CODE_INVALID")


def test_cancel_gives_the_money_of_a_paid_payment_back(pay_mall: PayMall, till: MallClient):
    """A paid payment the till will not use is reversed: cancelled, and the books are even."""
    before = pay_mall.books()
    payment = charge(till, payment_code(), 990)
    assert till.cancel_payment(payment.id).status == "cancelled"
    assert till.cancel_payment(payment.id).status == "cancelled"  # again: no change
    assert pay_mall.books() == before


def test_cancel_while_the_customer_confirms_reverses_the_payment(
    pay_mall: PayMall, till: MallClient
):
    """The cashier cancels a pending payment; a late confirmation can no longer charge."""
    before = pay_mall.books()
    payment = charge(till, payment_code("01"), 660)
    assert till.cancel_payment(payment.id).status == "cancelled"
    assert settled(till, payment).status == "cancelled"
    assert pay_mall.books() == before


def test_refunds_are_idempotent_and_never_exceed_the_payment(pay_mall: PayMall, till: MallClient):
    """A partial refund sent twice refunds once; more than what is left is refused."""
    before = pay_mall.books()
    payment = charge(till, payment_code(), 1000)
    first = till.refund_payment(payment.id, CreateRefund(idempotency_key="r:1", amount_fen=300))
    again = till.refund_payment(payment.id, CreateRefund(idempotency_key="r:1", amount_fen=300))
    assert (first.status, again.id) == ("succeeded", first.id)
    with pytest.raises(SyncRejected) as refused:
        till.refund_payment(payment.id, CreateRefund(idempotency_key="r:2", amount_fen=701))
    assert refused.value.code == "refund_too_large"
    rest = till.refund_payment(payment.id, CreateRefund(idempotency_key="r:3", amount_fen=700))
    assert rest.status == "succeeded"
    assert till.payment(payment.id).refunded_fen == 1000
    assert pay_mall.books() == before
    with pytest.raises(SyncRejected) as voided:
        till.cancel_payment(payment.id)
    assert voided.value.code == "payment_refunded"


def test_a_store_sees_only_its_own_payments(pay_mall: PayMall, till: MallClient):
    """Another store's till gets 404 for the payment and finds nothing by its key."""
    payment = charge(till, payment_code(), key="scoped:1")
    other = pay_mall.till("S002")
    with pytest.raises(SyncRejected) as hidden:
        other.payment(payment.id)
    assert hidden.value.status == 404
    assert other.find_payment("scoped:1") is None
    assert till.find_payment("scoped:1") == till.payment(payment.id)


def test_the_payment_code_is_never_logged_in_full(
    till: MallClient, caplog: pytest.LogCaptureFixture
):
    """The mall logs the masked code only, and answers it masked."""
    code = payment_code("22")
    with caplog.at_level(logging.DEBUG):
        payment = charge(till, code)
    assert code not in caplog.text and code[:4] + "********" + code[-4:] in caplog.text
    assert payment.code_masked == code[:4] + "********" + code[-4:]


def test_a_code_that_is_not_a_payment_code_is_refused(till: MallClient):
    """Digits outside the WeChat/Alipay ranges are refused before any provider is asked."""
    with pytest.raises(SyncRejected) as refused:
        charge(till, "9912345678901234")
    assert refused.value.code == "not_a_payment_code"


def test_the_daily_reconciliation_finds_money_without_a_sale(
    pay_mall: PayMall, capsys: pytest.CaptureFixture[str]
):
    """A payment used by a pushed sale balances; one paid without a sale shows as a difference
    and by id, in the store's report and in `pos-mall reconcile --date`."""
    till = pay_mall.till("S002", "T01")
    used, orphan = charge(till, payment_code(), 1000), charge(till, payment_code(), 500)
    payload = sale_payload(
        store_id="S002",
        till_id="T01",
        till_seq=1,
        items=[Item("1001", "可口可乐 330ml", 2, 500)],
        payment_kind="wechat",
    )
    payload["payments"][0]["reference"] = used.id
    event = PushEvent(
        id=uuid.uuid4(),
        device_seq=1,
        kind="sale",
        payload=payload,
        payload_hash=payload_hash(payload),
    )
    till.push([event])
    day = datetime.now(CHINA).date().isoformat()
    answer = till.session.get(
        f"{pay_mall.server.base_url}/api/v1/payments/reconciliation",
        params={"day": day},
        timeout=10,
    )
    [row] = ReconciliationReport.model_validate_json(answer.content).rows
    assert (row.store_id, row.charged_fen, row.till_fen) == ("S002", 1500, 1000)
    assert (row.difference_fen, row.paid_without_sale) == (500, [orphan.id])
    assert mall_main(["reconcile", "--db", pay_mall.db.url, "--date", day, "--store", "S002"]) == 0
    printed = capsys.readouterr().out
    assert "差 500" in printed and f"paid without sale: {orphan.id}" in printed
