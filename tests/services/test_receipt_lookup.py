"""A scanned receipt QR leads back to its sale on the till that printed it, and nowhere else."""

from __future__ import annotations

import pytest

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.errors import ReceiptQrInvalid
from pos_app.services.receipt_lookup import sale_no_from_scan
from pos_app.services.receipts import build_receipt
from pos_app.store.db import Database
from pos_app.store.settings import set_setting
from tests.conftest import CASHIER_ID, barcode_of
from tests.services.test_checkout import cart_with


def printed_qr_url(db: Database) -> str:
    result = checkout(
        db,
        cart=cart_with(db, barcode_of("1001")),
        tenders=[Tender(TenderKind.CASH, 350)],
        cashier_id=CASHIER_ID,
    )
    with db.write() as session:
        url = build_receipt(session, result.sale_id).qr_url
    assert url is not None
    return url


def test_receipt_qr_url_gives_the_sale_number(db: Database) -> None:
    """The link printed on a receipt reads back as that sale's number; a typed number stays."""
    url = printed_qr_url(db)
    with db.read() as session:
        assert sale_no_from_scan(session, url) == "T01-000001"
        assert sale_no_from_scan(session, " T01-000001 ") == "T01-000001"


def test_tampered_or_foreign_receipt_qr_is_refused(db: Database) -> None:
    """One changed character, or a receipt of another store, is refused with a reason."""
    url = printed_qr_url(db)
    last = url[-1]
    tampered = url[:-1] + ("A" if last != "A" else "B")
    with db.read() as session, pytest.raises(ReceiptQrInvalid, match="not valid"):
        sale_no_from_scan(session, tampered)
    with db.write() as session:
        set_setting(session, "store_id", "S999")
    with db.read() as session, pytest.raises(ReceiptQrInvalid, match="another store"):
        sale_no_from_scan(session, url)
