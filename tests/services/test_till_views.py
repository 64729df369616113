"""Read views for the till screens, the settings service and the unavailable payment gateway."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from pos_app.domain.cart import Cart
from pos_app.domain.scan import ScanRules
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.errors import RefundError, UnknownBarcode
from pos_app.services.payments import PaymentUnavailable, UnavailableGateway
from pos_app.services.refund import refund_sale
from pos_app.services.till_settings import InvalidSettings, read_settings, save_settings
from pos_app.services.till_views import (
    product_by_id,
    refundable_sale,
    scanned_item,
    till_status,
)
from pos_app.store.db import Database
from pos_app.store.models import JournalEntry, Product
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of


def test_product_by_id_gives_the_product_and_refuses_unknown_ids(db: Database) -> None:
    """A picked search hit becomes cart product info; a missing id is an unknown product."""
    with db.read() as session:
        product_id = session.scalar(select(Product.id).where(Product.sku == "1003"))
    found = product_by_id(db, product_id)
    assert (found.info.name, found.info.price_fen) == ("康师傅红烧牛肉面", 450)
    with pytest.raises(UnknownBarcode):
        product_by_id(db, 999_999)


def test_refundable_sale_counts_down_what_is_left_to_refund(db: Database) -> None:
    """After refunding one of two colas, one is left on that line and the other line is whole."""
    cart = Cart()
    for sku in ("1001", "1001", "1002"):
        scanned_item(db, barcode_of(sku), ScanRules()).add_to(cart)
    sale = checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 900)], cashier_id=CASHIER_ID)
    refund_sale(
        db, sale_no=sale.sale_no, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    view = refundable_sale(db, f" {sale.sale_no} ")  # as typed into the number field
    assert [(line.qty, line.refundable_qty) for line in view.lines] == [(2, 1), (1, 1)]
    assert view.tenders == (("cash", 900),)
    with pytest.raises(RefundError):
        refundable_sale(db, "T01-999999")


def test_till_status_names_the_store_till_and_open_shift(db: Database) -> None:
    """The status bar's figures: store name, till id and the open shift's id."""
    with db.read() as session:
        status = till_status(session)
        assert (status.till_id, status.shift_id) == ("T01", 1)
        assert status.store_name


def test_saved_settings_are_read_back_and_journaled(db: Database) -> None:
    """Settings round-trip in one transaction and the change names the approving manager."""
    changed = dataclasses.replace(
        read_settings(db), store_name="新店", receipt_width_mm=80, rounding_mode="jiao_down"
    )
    save_settings(db, changed, actor_id=CASHIER_ID, approver_id=MANAGER_ID)
    assert read_settings(db) == changed
    with db.read() as session:
        entry = session.scalars(select(JournalEntry).where(JournalEntry.kind == "settings")).one()
        assert entry.approver_id == MANAGER_ID


@pytest.mark.parametrize(
    "change",
    [
        {"store_name": " "},
        {"receipt_width_mm": 70},
        {"rounding_mode": "sometimes"},
        {"scale_layouts": ("20-29:FFCCCCC",)},
        {"language": "fr"},
    ],
)
def test_invalid_settings_are_refused_and_nothing_is_written(
    db: Database, change: dict[str, object]
) -> None:
    """Each unusable value raises InvalidSettings and the stored settings stay as they were."""
    before = read_settings(db)
    with pytest.raises(InvalidSettings):
        save_settings(
            db, dataclasses.replace(before, **change), actor_id=CASHIER_ID, approver_id=MANAGER_ID
        )
    assert read_settings(db) == before


def test_the_unavailable_gateway_never_reports_a_payment() -> None:
    """Every call of the placeholder gateway raises PaymentUnavailable with a Chinese message."""
    gateway = UnavailableGateway()
    for call in (
        lambda: gateway.start("draft", 100, "134567890123456789"),
        lambda: gateway.poll("a1"),
        lambda: gateway.cancel("a1"),
    ):
        with pytest.raises(PaymentUnavailable, match="线上支付暂不可用"):
            call()
