"""Migration 0002 on a database made at 0001: caches filled from the ledgers, then kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import func, select

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.refund import refund_sale
from pos_app.services.report_payments import payment_mix
from pos_app.services.report_period import Period, shop_today
from pos_app.services.report_receipts import sales_over_time
from pos_app.services.shift import open_shift
from pos_app.store.backoffice_models import ReportProductDay, StockLevel
from pos_app.store.db import Database
from pos_app.store.migrate import MIGRATIONS_DIR, current_revision, head_revision, upgrade
from pos_app.store.models import Sale, SaleLine, StockMove
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of, seed_small_till
from tests.services.test_checkout import cart_with


def alembic_config(path: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return config


def sell_and_refund(db: Database) -> None:
    cart = cart_with(db, barcode_of("1001"), barcode_of("1002"), barcode_of("1002"))
    sale = checkout(
        db, cart=cart, tenders=[Tender(TenderKind.WECHAT, cart.total_fen)], cashier_id=CASHIER_ID
    )
    refund_sale(
        db, sale_no=sale.sale_no, quantities={2: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )


# The tables a sale and its refund live in, unchanged since 0001.
SALE_TABLES = ("sales", "sale_lines", "payments", "stock_moves")


def sell_and_refund_at_0001(path: Path, tmp_path: Path) -> None:
    """A sale and a refund in a database still at 0001, as that release wrote them: rung up on
    a current till seeded alike, then their rows copied (today's services expect today's
    schema, e.g. the promotion tables of 0010)."""
    current = Database(tmp_path / "current.db")
    upgrade(current.path)
    seed_small_till(current)
    open_shift(current, staff_id=CASHIER_ID, float_fen=0)
    with current.write() as session:
        session.add(StockMove(product_id=1, delta=24, reason="receive", ref="before"))
    sell_and_refund(current)
    current.dispose()
    with sqlite3.connect(path) as old:
        old.execute("ATTACH DATABASE ? AS current", (str(tmp_path / "current.db"),))
        for table in SALE_TABLES:
            columns = ", ".join(row[1] for row in old.execute(f"PRAGMA main.table_info({table})"))
            old.execute(
                f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM current.{table}"
            )
    old.close()


def figures(db: Database) -> tuple[object, ...]:
    """Cached figures next to the same sums taken from the ledgers."""
    today = Period(shop_today(), shop_today())
    with db.read() as session:
        levels = dict(session.execute(select(StockLevel.product_id, StockLevel.on_hand)).all())
        ledger = dict(
            session.execute(
                select(StockMove.product_id, func.sum(StockMove.delta)).group_by(
                    StockMove.product_id
                )
            ).all()
        )
        net = sales_over_time(session, today, "day").values("net_fen")
        mix = payment_mix(session, today).values("net_fen")
        lines = session.scalar(select(func.sum(ReportProductDay.net_fen)))
        return (
            levels == ledger,
            net == [session.scalar(select(func.sum(Sale.total_fen)))],
            mix == net,
            lines == session.scalar(select(func.sum(SaleLine.net_fen))),
        )


def test_upgrading_a_0001_database_fills_the_caches_and_triggers_keep_them(tmp_path: Path) -> None:
    """Sales made before the upgrade are in the report and stock caches; later ones join them."""
    path = tmp_path / "till.db"
    command.upgrade(alembic_config(path), "0001")
    db = Database(path)
    seed_small_till(db)
    open_shift(db, staff_id=CASHIER_ID, float_fen=0)
    db.dispose()
    sell_and_refund_at_0001(path, tmp_path)
    upgrade(path)
    assert current_revision(path) == head_revision()
    db = Database(path)
    assert figures(db) == (True, True, True, True)
    sell_and_refund(db)
    assert figures(db) == (True, True, True, True)
    db.dispose()


def test_0002_downgrades_to_0001_and_upgrades_again(tmp_path: Path) -> None:
    """The back-office tables and triggers can be removed and recreated."""
    path = tmp_path / "till.db"
    upgrade(path)
    command.downgrade(alembic_config(path), "0001")
    assert current_revision(path) == "0001"
    upgrade(path)
    assert current_revision(path) == head_revision()
