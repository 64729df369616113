"""Read views of the back office's stock pages: each opens its own read on the Database."""

from __future__ import annotations

from pos_app.services.stock import set_reorder_level
from pos_app.services.stock_views import (
    StocktakeView,
    find_code,
    product_history,
    receiving_scan,
    stock_list,
    stocktake_view,
    suppliers,
)
from pos_app.services.stocktake import open_stocktake
from pos_app.store.db import Database
from tests.conftest import MANAGER_ID
from tests.services.test_stock import COLA, NOODLES, count, product_id, receive, sell


def test_a_code_scanned_at_receiving_offers_the_latest_cost_and_the_supplier(db: Database) -> None:
    """Before any receiving there is no cost to offer; after one, its cost and supplier are."""
    assert receiving_scan(db, COLA).cost_fen is None and suppliers(db) == []
    receive(db, (COLA, 24, 210), supplier="百事经销商")
    scanned = receiving_scan(db, COLA)
    assert (scanned.code, scanned.found.info.sku, scanned.cost_fen) == (COLA, "1001", 210)
    assert suppliers(db) == ["百事经销商"]


def test_a_code_tells_whether_its_product_is_counted_in_kg(db: Database) -> None:
    """The stocktake reads kg or units from the product a code stands for."""
    assert find_code(db, "2001").info.weighed and not find_code(db, COLA).info.weighed


def test_the_stock_lists_are_read_by_name_a_page_at_a_time(db: Database) -> None:
    """Low stock: at or below the reorder level; negative stock: sold beyond what was booked."""
    sell(db, NOODLES)
    with db.write() as session:
        set_reorder_level(session, product_id(db, "1001"), 6)
    assert [row.sku for row in stock_list(db, "low_stock").rows] == ["1001"]
    negative = stock_list(db, "negative_stock")
    assert [(row.sku, row.on_hand) for row in negative.rows] == [("1003", -1)]
    assert negative.next_after is None


def test_a_products_history_comes_with_what_is_on_hand(db: Database) -> None:
    """Newest move first, and the on-hand figure shown in the title."""
    doc_no = receive(db, (COLA, 10, 200))
    sale_no = sell(db, COLA)
    found = find_code(db, COLA)
    history = product_history(db, found)
    assert (history.product_id, history.on_hand) == (found.product_id, 9)
    assert [(row.ref, row.balance) for row in history.page.rows] == [(sale_no, 9), (doc_no, 10)]
    assert product_history(db, found, before=history.page.rows[-1].move_id).page.rows == []


def test_the_stocktake_view_shows_the_open_count_and_its_variance(db: Database) -> None:
    """Nothing open reads as no stocktake; an open one lists each count with its variance."""
    assert stocktake_view(db) == StocktakeView(None, [])
    receive(db, (COLA, 10, 200))
    info = open_stocktake(db, actor_id=MANAGER_ID)
    count(db, info.stocktake_id, COLA, 8, shelf="A1")
    view = stocktake_view(db)
    assert view.info is not None and (view.info.doc_no, view.info.counts) == (info.doc_no, 1)
    assert [(line.sku, line.shelf, line.variance) for line in view.lines] == [("1001", "A1", -2)]
