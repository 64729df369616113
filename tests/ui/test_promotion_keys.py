"""Promoted sales at the till worked by keys only (scanner bursts, F12, typed amounts, Enter):
a 满减 sale and a 第二件半价 sale, checked on screen and in the stored sale, tenders and the
promotions recorded beside it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.services.promotions import promotions_of
from pos_app.store.db import Database
from pos_app.store.models import Payment, Sale
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import Qt
from sync.apply import store_promotions
from sync.protocol import PromotionSetData
from tests.conftest import barcode_of
from tests.ui.conftest import FakeClock, finish_background_work, log_in, open_window, wait_idle
from tests.ui.keys import ENTER, focused, open_by_key, press, scan_code, type_text

RULES = PromotionSetData(
    version=9,
    time_zone="Asia/Shanghai",
    rules=[
        {"id": "HALF", "name": "第二件半价", "kind": "multi_buy", "skus": ["1001"],
         "group_qty": 2, "discounted_qty": 1, "percent_bp": 5000},
        {"id": "MJ", "name": "满15减3", "kind": "spend_off", "steps": [[1500, 300]]},
    ],
)  # fmt: skip


@pytest.fixture
def shop(qtbot: QtBot, db: Database, clock: FakeClock) -> Iterator[MainWindow]:
    """The till after its mall sent version 9 of the rules, logged in, on the sale screen."""
    with db.write() as session:
        store_promotions(session, RULES)
    window = open_window(qtbot, db, clock)
    log_in(qtbot, window)
    yield window
    finish_background_work(window)


def pay_by_keys(qtbot: QtBot, window: MainWindow, clock: FakeClock, yuan: str) -> PaymentDialog:
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    assert focused() is dialog.amount
    type_text(clock, yuan)
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    wait_idle(qtbot, window)
    return dialog


def stored(db: Database) -> tuple[Sale, list[tuple[str, int, int, int]]]:
    with db.read() as session:
        sale = session.scalars(select(Sale)).one()
        _ = sale.lines
        tenders = [
            (p.kind, p.amount_fen, p.tendered_fen, p.change_fen)
            for p in session.scalars(select(Payment).where(Payment.sale_id == sale.id))
        ]
        session.expunge_all()
    return sale, tenders


def test_a_spend_off_sale_by_keys(
    qtbot: QtBot, shop: MainWindow, clock: FakeClock, db: Database
) -> None:
    """Noodles ×4 = ¥18.00 reach 满15减3: the lines say so, ¥15.00 is due; 20 + Enter pays
    it with ¥5.00 change, and the sale stores ¥3 off shared over the line, version 9."""
    for _ in range(4):
        scan_code(clock, barcode_of("1003"))
    assert shop.sale.total.text() == "¥15.00"
    assert shop.sale.model.data(shop.sale.model.index(0, 1)) == "康师傅红烧牛肉面〔满15减3〕"
    pay_by_keys(qtbot, shop, clock, "20")
    sale, tenders = stored(db)
    assert (sale.subtotal_fen, sale.discount_fen, sale.total_fen) == (1800, 300, 1500)
    assert [(line.qty, line.discount_fen, line.net_fen) for line in sale.lines] == [(4, 300, 1500)]
    assert tenders == [("cash", 1500, 2000, 500)]
    with db.read() as session:
        recorded = promotions_of(session, sale.id)
    assert recorded.version == 9
    assert [(a.rule_id, a.discount_fen) for a in recorded.lines[1]] == [("MJ", 300)]
    assert "收 ¥20.00 找 ¥5.00" in shop.sale.last_sale.text()


def test_a_second_item_half_price_sale_by_keys(
    qtbot: QtBot, shop: MainWindow, clock: FakeClock, db: Database
) -> None:
    """Two colas and a water: ¥3.50 + ¥1.75 + ¥2.00 = ¥7.25 (under 满15); the exact amount
    typed + Enter completes it, and the cola line stores its ¥1.75 as 第二件半价."""
    scan_code(clock, barcode_of("1001"))
    scan_code(clock, barcode_of("1002"))
    assert shop.sale.total.text() == "¥5.50"
    scan_code(clock, barcode_of("1001"))
    assert shop.sale.total.text() == "¥7.25"
    assert shop.sale.model.data(shop.sale.model.index(0, 4)) == "1.75"
    pay_by_keys(qtbot, shop, clock, "7.25")
    sale, tenders = stored(db)
    assert [(line.sku, line.qty, line.net_fen) for line in sale.lines] == [
        ("1001", 2, 525),
        ("1002", 1, 200),
    ]
    assert (sale.discount_fen, sale.total_fen) == (175, 725)
    assert tenders == [("cash", 725, 725, 0)]
    with db.read() as session:
        recorded = promotions_of(session, sale.id)
    assert {
        n: [(a.name, a.discount_fen) for a in applied] for n, applied in recorded.lines.items()
    } == {1: [("第二件半价", 175)]}
