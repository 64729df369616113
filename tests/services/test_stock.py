"""Stock: receiving documents, stocktakes with cursors, low/negative lists, history, and the
cached levels that must always equal the ledger."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from pos_app.domain.gtin import make_ean13
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.permissions import ManagerRequired
from pos_app.services.receiving import (
    ReceivingInput,
    ReceivingLineInput,
    ReceivingRejected,
    post_receiving,
)
from pos_app.services.refund import refund_sale
from pos_app.services.stock import (
    ledger_on_hand,
    low_stock,
    negative_stock,
    on_hand,
    set_reorder_level,
    stock_history,
)
from pos_app.services.stocktake import (
    StocktakeError,
    VarianceLine,
    open_stocktake,
    post_stocktake,
    record_count,
    variance_report,
)
from pos_app.store.backoffice_models import Receiving, StockLevel
from pos_app.store.db import Database
from pos_app.store.journal import verify_journal
from pos_app.store.models import JournalEntry, OutboxEvent, Product, StockMove
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.services.test_checkout import cart_with

COLA, WATER, NOODLES = barcode_of("1001"), barcode_of("1002"), barcode_of("1003")


def product_id(db: Database, sku: str) -> int:
    with db.read() as session:
        return int(session.scalars(select(Product.id).where(Product.sku == sku)).one())


def receive(db: Database, *lines: tuple[str, int, int], supplier: str = "康师傅经销商") -> str:
    doc = ReceivingInput(supplier, [ReceivingLineInput(*line) for line in lines])
    return post_receiving(db, doc, actor_id=MANAGER_ID).doc_no


def sell(db: Database, *codes: str) -> str:
    cart = cart_with(db, *codes)
    return checkout(
        db, cart=cart, tenders=[Tender(TenderKind.CASH, cart.total_fen)], cashier_id=CASHIER_ID
    ).sale_no


def count(db: Database, stocktake_id: int, code: str, qty: int, *, shelf: str = "") -> None:
    record_count(
        db, stocktake_id=stocktake_id, code=code, counted_qty=qty, actor_id=MANAGER_ID, shelf=shelf
    )


def ledger_counts(db: Database) -> tuple[int, ...]:
    with db.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (StockMove, OutboxEvent, JournalEntry, Receiving)
        )


def test_receiving_posts_stock_cost_journal_and_one_outbox_event_per_line(db: Database) -> None:
    """Each line becomes a receive delta with a mall event; cost and journal are recorded."""
    doc_no = receive(db, (COLA, 24, 210), (WATER, 12, 120), (COLA, 6, 200))
    cola = product_id(db, "1001")
    with db.read() as session:
        assert (on_hand(session, cola), ledger_on_hand(session, cola)) == (30, 30)
        assert session.get(Product, cola).cost_fen == 200  # type: ignore[union-attr]
        receiving = session.scalars(select(Receiving)).one()
        assert (receiving.doc_no, receiving.total_cost_fen) == (doc_no, 24 * 210 + 12 * 120 + 1200)
        assert receiving.supplier is not None and receiving.supplier.name == "康师傅经销商"
        events = [json.loads(e.payload) for e in session.scalars(select(OutboxEvent))]
        assert events == [
            {"sku": "1001", "delta": 24, "reason": "receive", "ref": doc_no},
            {"sku": "1002", "delta": 12, "reason": "receive", "ref": doc_no},
            {"sku": "1001", "delta": 6, "reason": "receive", "ref": doc_no},
        ]
        entry = session.scalars(select(JournalEntry).where(JournalEntry.kind == "receiving")).one()
        assert (entry.actor_id, json.loads(entry.payload)["lines"]) == (MANAGER_ID, 3)
        assert verify_journal(session) == []


def test_receiving_document_with_a_broken_line_is_rejected_whole_naming_the_line(
    db: Database,
) -> None:
    """Unknown barcode, wrong check digit, zero qty and negative cost: each line is named,
    and not even the good lines are posted."""
    unknown = make_ean13("690555555555")
    wrong_check = COLA[:-1] + str((int(COLA[-1]) + 1) % 10)
    before = ledger_counts(db)
    with pytest.raises(ReceivingRejected) as caught:
        receive(
            db,
            (COLA, 24, 210),
            (unknown, 5, 100),
            (wrong_check, 5, 100),
            (WATER, 0, 100),
            (NOODLES, 3, -1),
        )
    assert [(p.line_no, p.code) for p in caught.value.problems] == [
        (2, unknown),
        (3, wrong_check),
        (4, WATER),
        (5, NOODLES),
    ]
    assert f"line 2 ({unknown})" in str(caught.value) and "Nothing was received" in str(
        caught.value
    )
    assert ledger_counts(db) == before


def test_only_a_manager_may_receive_goods(db: Database) -> None:
    """A cashier's id is refused and nothing is written."""
    before = ledger_counts(db)
    doc = ReceivingInput("", [ReceivingLineInput(COLA, 1, 100)])
    with pytest.raises(ManagerRequired):
        post_receiving(db, doc, actor_id=CASHIER_ID)
    assert ledger_counts(db) == before


def test_posting_a_stocktake_writes_exactly_the_variance_shown(db: Database) -> None:
    """Counted as of a cursor, sales after the count are not shrinkage: the posted deltas are
    the variances the report showed, and on hand ends at counted + moves since the count."""
    receive(db, (COLA, 10, 200), (WATER, 5, 100), (NOODLES, 4, 300))
    stocktake = open_stocktake(db, actor_id=MANAGER_ID).stocktake_id
    count(db, stocktake, COLA, 7, shelf="A1")
    count(db, stocktake, WATER, 5, shelf="A1")
    sell(db, COLA, COLA)  # after the cola was counted
    count(db, stocktake, NOODLES, 6, shelf="B2")
    with db.read() as session:
        shown = variance_report(session, stocktake)
    assert [(v.sku, v.counted, v.on_hand_at_count, v.moved_since, v.variance) for v in shown] == [
        ("1001", 7, 10, -2, -3),
        ("1002", 5, 5, 0, 0),
        ("1003", 6, 4, 0, 2),
    ]
    assert shown[0].variance_cost_fen == -600
    sell(db, COLA)  # between the report and posting
    posted = post_stocktake(db, stocktake_id=stocktake, actor_id=MANAGER_ID)

    def fixed(lines: list[VarianceLine]) -> list[tuple[int, int, int, int]]:
        return [(v.product_id, v.counted, v.on_hand_at_count, v.variance) for v in lines]

    assert fixed(posted.lines) == fixed(shown)  # only moved_since grew, by the later sale
    with db.read() as session:
        moves = session.execute(
            select(StockMove.product_id, StockMove.delta).where(StockMove.reason == "count")
        ).all()
        assert sorted(moves) == [(product_id(db, "1001"), -3), (product_id(db, "1003"), 2)]
        assert on_hand(session, product_id(db, "1001")) == 7 - 2 - 1
        assert on_hand(session, product_id(db, "1003")) == 6
        counted = [json.loads(e.payload) for e in session.scalars(select(OutboxEvent))]
        assert [e["delta"] for e in counted if e.get("reason") == "count"] == [-3, 2]


def test_a_stocktake_is_one_at_a_time_and_a_recount_replaces_the_count(db: Database) -> None:
    """A second stocktake waits for the first; counting a product again keeps the last count."""
    stocktake = open_stocktake(db, actor_id=MANAGER_ID)
    with pytest.raises(StocktakeError, match="already open"):
        open_stocktake(db, actor_id=MANAGER_ID)
    for qty in (3, 4):
        count(db, stocktake.stocktake_id, COLA, qty)
    with db.read() as session:
        assert [v.counted for v in variance_report(session, stocktake.stocktake_id)] == [4]
    post_stocktake(db, stocktake_id=stocktake.stocktake_id, actor_id=MANAGER_ID)
    with pytest.raises(StocktakeError, match="not open"):
        count(db, stocktake.stocktake_id, COLA, 1)


def test_cached_levels_equal_the_ledger_after_sales_refunds_receipts_and_counts(
    db: Database,
) -> None:
    """stock_levels is a cache: whatever wrote the ledger, it equals the sum of the deltas."""
    receive(db, (COLA, 10, 200), (WATER, 3, 100))
    sale_no = sell(db, COLA, COLA, WATER, NOODLES)
    refund_sale(
        db, sale_no=sale_no, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    stocktake = open_stocktake(db, actor_id=MANAGER_ID)
    count(db, stocktake.stocktake_id, WATER, 9)
    post_stocktake(db, stocktake_id=stocktake.stocktake_id, actor_id=MANAGER_ID)
    with db.read() as session:
        ledger = dict(
            session.execute(
                select(StockMove.product_id, func.sum(StockMove.delta)).group_by(
                    StockMove.product_id
                )
            ).all()
        )
        cached = dict(session.execute(select(StockLevel.product_id, StockLevel.on_hand)).all())
    assert cached == ledger and ledger[product_id(db, "1003")] == -1


def test_low_and_negative_lists_are_ordered_and_paged(db: Database) -> None:
    """Low: at or below the reorder level, furthest below first; negative: sold beyond stock."""
    receive(db, (COLA, 5, 200), (WATER, 20, 100))
    sell(db, NOODLES, NOODLES, NOODLES)  # −3, never received
    with db.write() as session:
        for sku, level in (("1001", 6), ("1002", 20), ("1003", 2)):
            set_reorder_level(session, product_id(db, sku), level)
    with db.read() as session:
        first = low_stock(session, limit=2)
        second = low_stock(session, after=first.next_after, limit=2)
        negative = negative_stock(session)
    assert [(r.sku, r.on_hand, r.reorder_level) for r in first.rows] == [
        ("1003", -3, 2),
        ("1001", 5, 6),
    ]
    assert [r.sku for r in second.rows] == ["1002"] and second.next_after is None
    assert [(r.sku, r.on_hand) for r in negative.rows] == [("1003", -3)]


def test_low_stock_list_reads_an_index_not_the_whole_catalog(db: Database) -> None:
    """The query plan of a low-stock page walks the shortfall index (1,000,000 SKUs stay fast)."""
    with db.read() as session:
        connection = session.connection()
        plan = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT product_id FROM stock_levels "
            "WHERE reorder_level IS NOT NULL AND on_hand - reorder_level <= 0 "
            "ORDER BY on_hand - reorder_level, product_id LIMIT 51"
        ).all()
    assert any("ix_stock_levels_shortfall" in str(row) for row in plan)


def test_stock_history_shows_each_delta_with_its_document_and_balance(db: Database) -> None:
    """Newest first, each move with reason, document number and the balance after it; pages
    continue where the last one stopped."""
    doc_no = receive(db, (COLA, 10, 200))
    sale_no = sell(db, COLA, COLA)
    cola = product_id(db, "1001")
    with db.read() as session:
        page = stock_history(session, cola, limit=1)
        older = stock_history(session, cola, before=page.next_before, limit=5)
    assert [(r.reason, r.ref, r.delta, r.balance) for r in page.rows + older.rows] == [
        ("sale", sale_no, -2, 8),
        ("receive", doc_no, 10, 10),
    ]
    assert older.next_before is None
