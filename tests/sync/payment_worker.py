"""Child process for the payment crash tests: a till that sells two colas by payment code and is
killed (SIGKILL) at a chosen stage of the payment.

Run as `python -m tests.sync.payment_worker DB_PATH CODE STAGE`; it prints "ready" once it has
reached the stage, then waits to be killed. Stages:
- pending: the mall has the payment, the customer is confirming on the phone;
- paid: the mall says paid, the sale is not committed yet;
- committed: the sale is committed with the code tender;
- cash-instead: while the code payment is pending the sale is committed in cash (what the old
  payment screen allowed with one Enter), closing the payment step.
"""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.catalog import lookup_scan
from pos_app.services.checkout import checkout
from pos_app.services.mall_payments import MallPaymentGateway
from pos_app.services.payments import AttemptState, PaymentAttempt, SaleDraft
from pos_app.store.db import Database
from tests.conftest import CASHIER_ID, barcode_of


def _until_settled(gateway: MallPaymentGateway, attempt: PaymentAttempt) -> PaymentAttempt:
    while attempt.state is AttemptState.USERPAYING:
        time.sleep(0.05)
        attempt = gateway.poll(attempt.attempt_id)
    return attempt


def main(db_path: Path, code: str, stage: str) -> None:
    db = Database(db_path)
    with db.read() as session:
        cola = lookup_scan(session, parse_barcode(barcode_of("1001"))).info
    cart = Cart()
    cart.add(cola, qty=2)
    draft = SaleDraft(uuid.uuid4().hex, cart, (), CASHIER_ID)
    gateway = MallPaymentGateway.paired(db)
    attempt = gateway.start(draft, cart.total_fen, code)
    if stage in ("paid", "committed"):
        attempt = _until_settled(gateway, attempt)
    if stage == "committed":
        tender = Tender(TenderKind.WECHAT, attempt.amount_fen, attempt.reference)
        checkout(
            db, cart=cart, tenders=[tender], cashier_id=CASHIER_ID, payment_draft=draft.draft_id
        )
    if stage == "cash-instead":
        cash = Tender(TenderKind.CASH, cart.total_fen)
        checkout(db, cart=cart, tenders=[cash], cashier_id=CASHIER_ID, payment_draft=draft.draft_id)
    print("ready", attempt.state.value, attempt.attempt_id, flush=True)
    sys.stdin.read()  # the test kills us here


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "pending")
