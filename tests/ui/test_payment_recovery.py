"""A till killed while the customer confirmed a code payment: on the next start the window
finds out from the mall, completes the sale once, queues its receipt and tells the cashier."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pos_app.services.mall_payments import MallPaymentGateway
from pos_app.store.db import Database
from pos_app.store.models import PrintJob, Sale
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QMessageBox
from sync.credentials import pair
from tests.mall.payment_support import FAST_PAYMENTS, payment_code
from tests.sync.conftest import Mall, open_mall
from tests.sync.test_payments_e2e import start_and_kill
from tests.ui.conftest import FakeClock, open_window


@pytest.fixture
def pay_mall(tmp_path: Path) -> Iterator[Mall]:
    yield from open_mall(f"sqlite:///{tmp_path / 'mall.db'}", payments=FAST_PAYMENTS)  # type: ignore[arg-type]


def test_interrupted_code_payment_is_completed_and_reported_on_start(
    qtbot: QtBot, db: Database, clock: FakeClock, pay_mall: Mall
) -> None:
    """The paid attempt's saved cart becomes one sale; a message and a receipt job follow."""
    pair(pay_mall.base_url, pay_mall.pair_code("S001"), db.path.parent, till_id="T01")
    start_and_kill(db, payment_code("01"))
    gateway = MallPaymentGateway.paired(db)
    window: MainWindow = open_window(qtbot, db, clock, gateway=gateway, printer=True)
    upkeep = window.till.upkeep
    assert upkeep is not None
    upkeep.recover()
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "payment_recoveries") is not None, timeout=20_000
    )
    box = window.findChild(QMessageBox, "payment_recoveries")
    assert "¥7.00" in box.text()
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Sale)) == 1
    qtbot.waitUntil(lambda: receipt_jobs(db) == 1, timeout=10_000)
    upkeep.stop()
    gateway.client.close()


def receipt_jobs(db: Database) -> int:
    with db.read() as session:
        query = select(func.count()).select_from(PrintJob).where(PrintJob.kind == "receipt")
        return session.scalar(query) or 0
