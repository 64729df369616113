"""Migration 0011 on a database made at 0010 (issue 23): sale lines get the cost of the last
receiving before each sale (else the product's cost price), refund lines their share of the
sold line's cost, and the report cache is rebuilt from those lines."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.receiving import ReceivingInput, ReceivingLineInput, post_receiving
from pos_app.services.refund import refund_sale
from pos_app.services.shift import open_shift
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of, seed_small_till
from tests.services.test_checkout import cart_with
from tests.store.test_backoffice_migration import alembic_config

COPIED = ("suppliers", "receivings", "receiving_lines", "sales", "sale_lines", "payments")


def receive(db: Database, sku: str, cost_fen: int) -> None:
    doc = ReceivingInput("饮料批发", [ReceivingLineInput(barcode_of(sku), 24, cost_fen)])
    post_receiving(db, doc, actor_id=MANAGER_ID)


def history(path: Path) -> None:
    """Cola received at ¥2.00, three sold with a water, cola received again at ¥2.60, then
    one cola and the water refunded; the water's cost price (¥1.50) is set only afterwards."""
    db = Database(path)
    upgrade(path)
    seed_small_till(db)
    open_shift(db, staff_id=CASHIER_ID, float_fen=0)
    receive(db, "1001", 200)
    cart = cart_with(db, *[barcode_of("1001")] * 3, barcode_of("1002"))
    sale = checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 5000)], cashier_id=CASHIER_ID)
    receive(db, "1001", 260)
    refund_sale(
        db,
        sale_no=sale.sale_no,
        quantities={1: 1, 2: 1},
        cashier_id=CASHIER_ID,
        approver_id=MANAGER_ID,
    )
    db.dispose()


def test_history_is_costed_at_the_last_receiving_before_each_sale(tmp_path: Path) -> None:
    """The sale's colas cost ¥2.00 each (received before the sale), the refunded one takes back
    ¥2.00 though cola now costs ¥2.60; the water, never received, takes its cost price as the
    migration found it; the margin cache agrees with the lines."""
    history(tmp_path / "current.db")
    path = tmp_path / "till.db"
    command.upgrade(alembic_config(path), "0010")
    old = Database(path)
    seed_small_till(old)
    old.dispose()
    with sqlite3.connect(path) as raw:
        raw.execute("ATTACH DATABASE ? AS current", (str(tmp_path / "current.db"),))
        for table in COPIED:
            columns = ", ".join(row[1] for row in raw.execute(f"PRAGMA main.table_info({table})"))
            raw.execute(
                f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM current.{table}"
            )
        raw.execute("UPDATE products SET cost_fen = 260 WHERE sku = '1001'")
        raw.execute("UPDATE products SET cost_fen = 150 WHERE sku = '1002'")
    raw.close()
    upgrade(path)
    with sqlite3.connect(path) as raw:
        lines = raw.execute(
            "SELECT sku, qty, unit_cost_fen, line_cost_fen FROM sale_lines ORDER BY id"
        ).fetchall()
        cache = raw.execute(
            "SELECT SUM(cost_fen), SUM(costed_net_fen), SUM(net_fen) FROM report_product_days"
        ).fetchone()
        nets = raw.execute("SELECT SUM(net_fen) FROM sale_lines").fetchone()
    raw.close()
    assert lines == [
        ("1001", 3, 200, 600),
        ("1002", 1, 150, 150),
        ("1001", -1, 200, -200),
        ("1002", -1, 150, -150),
    ]
    assert cache == (400, nets[0], nets[0])
