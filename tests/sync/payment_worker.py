"""Child process for the payment crash tests: a till that scans a payment code for two colas and is
killed (SIGKILL) while the customer is still confirming on the phone.

Run as `python -m tests.sync.payment_worker DB_PATH CODE`; it prints the attempt's state and id,
then waits to be killed.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.cart import Cart
from pos_app.services.catalog import lookup_scan
from pos_app.services.mall_payments import MallPaymentGateway
from pos_app.services.payments import SaleDraft
from pos_app.store.db import Database
from tests.conftest import CASHIER_ID, barcode_of


def main(db_path: Path, code: str) -> None:
    db = Database(db_path)
    with db.read() as session:
        cola = lookup_scan(session, parse_barcode(barcode_of("1001"))).info
    cart = Cart()
    cart.add(cola, qty=2)
    draft = SaleDraft(uuid.uuid4().hex, cart, (), CASHIER_ID)
    attempt = MallPaymentGateway.paired(db).start(draft, cart.total_fen, code)
    print(attempt.state.value, attempt.attempt_id, flush=True)
    sys.stdin.read()  # the screen would be polling now; the test kills us here


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
