"""sync-push: N queued sales (default 10,000) pushed to the mall on loopback and acknowledged.

Budget (DESIGN §10): ≤ 15 s for 10,000. The mall runs as `pos-mall serve` on SQLite in a temp
dir (or --mall-db URL, e.g. PostgreSQL); queueing the sales is not timed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench._sync_setup import MallProcess, paired_till
from bench.common import report
from mall.catalog import add_store
from mall.db import MallDatabase
from mall.migrate import upgrade
from mall.models import SaleRow
from pos_app.services.till import till_identity
from pos_app.store.outbox import append_event
from sync.sample import Item, sale_payload

BUDGET_S = 15.0
ITEMS = (
    Item("1001", "可口可乐 330ml", 2, 350),
    Item("1002", "农夫山泉 550ml", 1, 200),
    Item("1003", "康师傅红烧牛肉面", 1, 450),
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench sync-push")
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--mall-db", help="mall database URL (default: SQLite in a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        url = args.mall_db or f"sqlite:///{Path(temp) / 'mall.db'}"
        upgrade(url)
        admin = MallDatabase(url)
        with admin.write() as session:
            add_store(session, "S001", "bench")
        with MallProcess(url) as mall:
            engine = paired_till(Path(temp), mall)
            with engine.db.write() as session:
                till = till_identity(session)  # the number the mall gave this till at pairing
                for number in range(1, args.sales + 1):
                    payload = sale_payload(
                        store_id=till.store_id, till_id=till.till_id, till_seq=number, items=ITEMS
                    )
                    append_event(session, "sale", payload)
            started = time.perf_counter()
            acked = engine.push()
            elapsed = time.perf_counter() - started
            engine.db.dispose()
        with admin.read() as session:
            applied = session.scalar(select(func.count()).select_from(SaleRow))
        admin.dispose()
    if acked != args.sales or applied != args.sales:
        print(f"sync-push: {acked} acknowledged, {applied} applied of {args.sales}")
        return 1
    report(f"sync_push_{args.sales}_sales", elapsed, "s", BUDGET_S * args.sales / 10_000)
    report("sync_push_rate", args.sales / elapsed, "sales/s", None)
    report("sync_push_mall_peak_rss", mall.peak_rss_mb, "MB", None)
    return 0
