"""The daily reconciliation (`pos-mall reconcile`) over the real mall with sales the till synced:
every provider payment must belong to exactly one sale. A payment no sale names and a payment two
sales name are both caught, even when their amounts offset and the sums agree."""

# ruff: noqa: F811 (the payment fixtures are imported from the payments end-to-end tests)

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from mall.cli import main as mall_main
from mall.payments.reconcile import CHINA, reconcile
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.mall_payments import MallPaymentGateway
from pos_app.store.db import Database
from pos_app.store.outbox import append_event
from sync.engine import engine_for
from sync.payment_protocol import ReconciliationRow
from sync.sample import sale_payload
from tests.conftest import CASHIER_ID
from tests.mall.payment_support import payment_code
from tests.sync.conftest import COLA, Mall, TillUnderTest
from tests.sync.test_payments_e2e import (  # noqa: F401
    colas,
    draft_of,
    gateway,
    pay_and_commit,
    pay_mall,
    settled,
)


def today_row(mall: Mall, capsys: pytest.CaptureFixture[str]) -> tuple[ReconciliationRow, str]:
    """S001's row of today's report, and what `pos-mall reconcile` prints for it."""
    day = datetime.now(CHINA).date()
    with mall.db.read() as session:
        [row] = reconcile(session, day, "S001").rows
    capsys.readouterr()
    assert mall_main(["reconcile", "--db", mall.db.url, "--date", str(day), "--store", "S001"]) == 0
    return row, capsys.readouterr().out


def test_a_payment_two_sales_name_and_one_no_sale_names_are_caught_though_the_sums_agree(
    pay_mall: Mall,
    db: Database,
    gateway: MallPaymentGateway,
    make_till: Callable[..., TillUnderTest],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Case 2's aftermath: the customer paid ¥7 once and the till rang two sales naming that
    payment; another ¥7 was charged and the till died before its sale. The sums agree
    (¥14 charged, ¥14 in sales), yet the day is not balanced and both payments are named."""
    first, paid = pay_and_commit(db, gateway, colas(db), payment_code())
    orphan = settled(gateway, gateway.start(draft_of(colas(db)), 700, payment_code()))
    engine_for(db).run_once()
    # The till itself refuses to ring a payment twice; a second till (here T02, restored from
    # an old copy, say) still can, and its sale reaches the mall like any other.
    other_till = make_till("S001", "T02")
    with other_till.db.write() as session:
        payload = sale_payload(
            store_id="S001", till_id="T02", till_seq=1, items=[COLA, COLA], payment_kind="wechat"
        )
        payload["sale_no"], payload["payments"][0]["reference"] = "T02-000001", paid
        append_event(session, "sale", payload)
    other_till.pair(pay_mall).run_once()
    second = payload["sale_no"]
    row, printed = today_row(pay_mall, capsys)
    assert (row.charged_fen, row.till_fen, row.difference_fen) == (1400, 1400, 0)
    assert row.paid_in_several_sales == [f"{paid}: {first}, {second}"]
    assert row.paid_without_sale == [orphan.reference]
    assert row.sale_without_payment == [] and not row.balanced
    assert "不平" in printed and "→ 平" not in printed
    assert f"paid once, sold twice: {paid}: {first}, {second}" in printed
    assert f"paid without sale: {orphan.reference}" in printed


def test_a_paid_payment_no_synced_sale_names_is_caught_when_a_tender_names_something_else(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    """The WeChat payment is paid, but the synced sale's tender names the till's attempt id
    instead of the payment: the sums agree (¥7 and ¥7), the report must still not say 平."""
    attempt = settled(gateway, gateway.start(draft_of(colas(db)), 700, payment_code()))
    tender = Tender(TenderKind.WECHAT, 700, attempt.attempt_id)
    result = checkout(db, cart=colas(db), tenders=[tender], cashier_id=CASHIER_ID)
    engine_for(db).run_once()

    row, printed = today_row(pay_mall, capsys)
    assert row.difference_fen == 0 and not row.balanced
    assert row.paid_without_sale == [attempt.reference]
    assert row.sale_without_payment == [f"{result.sale_no}/{attempt.attempt_id}"]
    assert "不平" in printed and "→ 平" not in printed


def test_a_day_where_every_payment_belongs_to_one_sale_is_balanced(
    pay_mall: Mall, db: Database, gateway: MallPaymentGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    """One payment, one sale naming it, synced: 平."""
    pay_and_commit(db, gateway, colas(db), payment_code())
    engine_for(db).run_once()
    row, printed = today_row(pay_mall, capsys)
    assert row.balanced and row.difference_fen == 0
    assert "→ 平" in printed
