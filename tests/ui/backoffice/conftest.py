"""The back office's shared fixture: a database with two cash sales of today."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.store.db import Database
from tests.conftest import CASHIER_ID, barcode_of
from tests.services.test_checkout import cart_with

COLA = barcode_of("1001")


@pytest.fixture
def sold(db: Database) -> Iterator[int]:
    """Two cash sales today; yields their total in fen."""
    totals = []
    for codes in ((COLA, COLA), (barcode_of("1002"),)):
        cart = cart_with(db, *codes)
        result = checkout(
            db, cart=cart, tenders=[Tender(TenderKind.CASH, cart.total_fen)], cashier_id=CASHIER_ID
        )
        totals.append(result.total_fen)
    yield sum(totals)
