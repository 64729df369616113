"""Child process for the crash test: rings up sales in a loop and reports each one after commit.

Run as `python -m tests.crash_worker DB_PATH`; it is killed with SIGKILL at random moments.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.catalog import lookup_scan
from pos_app.services.checkout import checkout
from pos_app.store.db import Database
from tests.conftest import CASHIER_ID, barcode_of


def main(db_path: Path) -> None:
    db = Database(db_path)
    with db.read() as session:
        cola = lookup_scan(session, parse_barcode(barcode_of("1001"))).info
        water = lookup_scan(session, parse_barcode(barcode_of("1002"))).info
    print("ready", flush=True)
    while True:
        cart = Cart()
        cart.add(cola, qty=2)
        cart.add(water)
        result = checkout(
            db, cart=cart, tenders=[Tender(TenderKind.CASH, 1000)], cashier_id=CASHIER_ID
        )
        print(f"committed {result.sale_no}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
