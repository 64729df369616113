"""Weighed-goods labels refuse clearly when they cannot carry a readable scale barcode."""

from __future__ import annotations

import pytest

from pos_app.services.device_settings import DeviceSettings, save_device_settings
from pos_app.services.weighed_label import CannotLabel, queue_weighed_label
from pos_app.store.db import Database
from tests.conftest import CASHIER_ID, MANAGER_ID


def test_without_a_label_printer_nothing_is_queued(db: Database) -> None:
    with pytest.raises(CannotLabel, match="No label printer"):
        queue_weighed_label(db, sku="2001", weight_g=500)


def test_a_product_without_a_plu_cannot_get_a_scale_barcode(db: Database) -> None:
    settings = DeviceSettings("", "ascii", 5, "", "tcp://127.0.0.1:9", "40x30")
    save_device_settings(db, settings, actor_id=CASHIER_ID, approver_id=MANAGER_ID)
    with pytest.raises(CannotLabel, match="no PLU"):
        queue_weighed_label(db, sku="1001", weight_g=500)


def test_an_amount_too_large_for_the_price_digits_is_refused(db: Database) -> None:
    """99 kg of apples is ¥1277.10: five price digits hold at most ¥999.99."""
    settings = DeviceSettings("", "ascii", 5, "", "tcp://127.0.0.1:9", "40x30")
    save_device_settings(db, settings, actor_id=CASHIER_ID, approver_id=MANAGER_ID)
    with pytest.raises(CannotLabel):
        queue_weighed_label(db, sku="2001", weight_g=99_000)
