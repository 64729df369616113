"""Offline for a while: the till keeps selling and catches up exactly once when the mall is back."""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from mall.local import LocalMall
from mall.orders import create_order
from mall.stock import add_move
from pos_app.store.models import OutboxEvent
from sync.errors import SyncOffline
from sync.local_reads import online_orders
from tests.sync.conftest import COLA, NOODLES, WATER, Mall, open_mall


def till_totals(till) -> tuple[int, int, Counter[str]]:
    """What the till's own outbox says it sold: count, total fen, and units per sku."""
    count, total, units = 0, 0, Counter()
    with till.db.read() as session:
        for payload in session.scalars(select(OutboxEvent.payload)):
            sale = json.loads(payload)
            count += 1
            total += sale["total_fen"]
            for line in sale["lines"]:
                units[line["sku"]] += line["qty"]
    return count, total, units


def test_five_hundred_sales_made_offline_arrive_exactly_once_when_the_mall_starts(
    mall_url: str, make_till
):
    """Totals and per-store stock at the mall equal the till's to the fen and the unit."""
    opened = open_mall(mall_url)
    mall = next(opened)
    port = mall.server.port
    till = make_till()
    engine = till.pair(mall)
    engine.run_once()
    opened.close()  # the mall goes away
    for number in range(500):
        till.sell(*((COLA, WATER) if number % 2 else (NOODLES,)))
    with pytest.raises(SyncOffline):
        engine.run_once()
    status = engine.status()
    assert (status.online, status.pending) == (False, 500)
    assert status.last_error.startswith("SyncOffline")
    with LocalMall.for_database(mall_url, port=port):
        engine.run_once()
    count, total, units = till_totals(till)
    assert mall.sales("S001") == (count, total) == (500, 250 * 550 + 250 * 450)
    for sku, sold in units.items():
        assert mall.stock("S001", sku) == -sold
    assert engine.status().pending == 0
    mall.db.dispose()


def test_two_tills_of_one_store_and_one_of_another_sync_at_the_same_time(mall: Mall, make_till):
    """Concurrent pushes and pulls keep each store's totals right and its orders to itself."""
    with mall.db.write() as session:
        add_move(session, "S002", WATER.sku, 5, "receive", "")
        create_order(session, "S002", [(WATER.sku, 1)])
    tills = [make_till("S001", "T01"), make_till("S001", "T02"), make_till("S002", "T01")]
    engines = [till.pair(mall) for till in tills]
    for till in tills:
        till.sell(COLA, WATER, count=120)
    errors: list[BaseException] = []

    def sync(engine) -> None:
        try:
            engine.push_batch = 25
            engine.run_once()
        except BaseException as error:  # reported by the assert below
            errors.append(error)

    threads = [threading.Thread(target=sync, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert mall.sales("S001") == (240, 240 * 550)
    assert mall.sales("S002") == (120, 120 * 550)
    assert mall.stock("S001", COLA.sku) == -240
    assert mall.stock("S002", WATER.sku) == 5 - 120
    assert [len(online_orders(engine.db)) for engine in engines] == [0, 0, 1]
