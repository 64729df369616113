"""Checkout commit latency with fsync (synchronous=FULL) on the day-365 till (1,000,000 SKUs, a
year of sales, 500,000 sent events in the outbox), beside raw sqlite3 writing the same rows
(same tables, triggers and indexes, the same look-ups) in the same file, interleaved sale by
sale. Budget (DESIGN §10): p99 ≤ 5 ms and p50 ≤ 3× raw sqlite3."""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bench._history import SENT_EVENTS, history_db, working_copy
from bench.common import DATA_DIR, percentile, report
from pos_app.demo.data import sample_barcodes
from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.selling import add_scanned_item
from pos_app.services.shift import open_shift
from pos_app.services.till import scan_rules
from pos_app.store.db import Database
from pos_app.store.models import Staff

P99_BUDGET_MS = 5.0
RAW_RATIO_BUDGET = 3.0
_TIME = "%Y-%m-%d %H:%M:%S.%f"


class RawCheckout:
    """The same sale written with sqlite3 alone: the floor our checkout is measured against."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            self.connection.execute(f"PRAGMA {pragma}")
        self.number = 0

    def commit(self, cart: Cart, *, cashier_id: int, paid_fen: int) -> None:
        self.number += 1
        now = datetime.now(UTC).replace(tzinfo=None).strftime(_TIME)
        sale_no = f"RAW-{self.number:06d}"
        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        shift_id = db.execute(
            "SELECT id FROM shifts WHERE till_id = 'T01' AND closed_at IS NULL"
        ).fetchone()[0]
        db.execute("SELECT max(till_seq) FROM sales WHERE till_id = 'T01'").fetchone()
        sale_id = db.execute(
            "INSERT INTO sales (sale_no, kind, store_id, till_id, till_seq, shift_id, cashier_id,"
            " created_at, subtotal_fen, discount_fen, rounding_fen, total_fen, points_earned)"
            " VALUES (?, 'sale', 'S001', 'T01', ?, ?, ?, ?, ?, 0, 0, ?, 0)",
            (sale_no, -self.number, shift_id, cashier_id, now, cart.total_fen, cart.total_fen),
        ).lastrowid
        skus = [line.product.sku for line in cart.lines]
        marks = ",".join("?" * len(skus))
        ids = dict(db.execute(f"SELECT sku, id FROM products WHERE sku IN ({marks})", skus))
        db.executemany(
            "INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, barcode, weighed,"
            " qty, unit_price_fen, price_source, gross_fen, discount_fen, net_fen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            [
                (sale_id, line.line_no, ids[line.product.sku], line.product.sku, line.product.name,
                 line.barcode, line.product.weighed, line.qty, line.unit_price_fen,
                 str(line.price_source), line.gross_fen, line.gross_fen)
                for line in cart.lines
            ],
        )  # fmt: skip
        db.execute(
            "INSERT INTO payments (sale_id, kind, amount_fen, tendered_fen, change_fen, reference)"
            " VALUES (?, 'cash', ?, ?, ?, '')",
            (sale_id, cart.total_fen, paid_fen, paid_fen - cart.total_fen),
        )
        db.executemany(
            "INSERT INTO stock_moves (product_id, delta, reason, ref, created_at)"
            " VALUES (?, ?, 'sale', ?, ?)",
            [(ids[line.product.sku], -line.qty, sale_no, now) for line in cart.lines],
        )
        payload = json.dumps({"sale_no": sale_no, "lines": skus}, sort_keys=True)
        device_seq = (db.execute("SELECT max(device_seq) FROM outbox").fetchone()[0] or 0) + 1
        db.execute(
            "INSERT INTO outbox (id, device_seq, kind, payload, payload_hash, created_at)"
            " VALUES (?, ?, 'sale', ?, ?, ?)",
            (f"raw-{self.number}", device_seq, payload, _sha(payload), now),
        )
        seq, prev = db.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
        db.execute(
            "INSERT INTO journal (seq, till_id, kind, created_at, actor_id, payload, prev_hash,"
            " hash) VALUES (?, 'T01', 'sale', ?, ?, ?, ?, ?)",
            (seq + 1, now, cashier_id, sale_no, prev, _sha(prev + sale_no)),
        )
        db.execute("COMMIT")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench checkout")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--history", type=int, default=500_000, help="sales of history")
    parser.add_argument("--sent", type=int, default=SENT_EVENTS, help="events already sent")
    parser.add_argument("--sales", type=int, default=500)
    args = parser.parse_args(argv)
    source = history_db(args.skus, args.history, args.sent)
    with tempfile.TemporaryDirectory(dir=DATA_DIR) as tmp:  # a big file: same disk as the data
        path = working_copy(source, Path(tmp))
        db = Database(path, checkpoint_in_background=True)  # as the running till does
        with db.read() as session:
            cashier_id = session.scalars(select(Staff.id).where(Staff.role == "cashier")).one()
            codes = sample_barcodes(session, 2000)
            rules = scan_rules(session)
        open_shift(db, staff_id=cashier_id, float_fen=0)
        raw = RawCheckout(path)
        rng = random.Random(1)
        ours_ms: list[float] = []
        raw_ms: list[float] = []
        for _ in range(args.sales):
            cart = Cart()
            with db.read() as session:
                for code in rng.sample(codes, 5):
                    add_scanned_item(session, cart, code, rules)
            paid = cart.total_fen + 10_000
            start = time.perf_counter()
            checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, paid)], cashier_id=cashier_id)
            middle = time.perf_counter()
            raw.commit(cart, cashier_id=cashier_id, paid_fen=paid)
            ours_ms.append((middle - start) * 1000)
            raw_ms.append((time.perf_counter() - middle) * 1000)
        raw.connection.close()
        db.dispose()
    ours_p50, raw_p50 = percentile(ours_ms, 50), percentile(raw_ms, 50)
    report("checkout_commit_p50_ms", ours_p50, "ms", None)
    report("checkout_commit_p99_ms", percentile(ours_ms, 99), "ms", P99_BUDGET_MS)
    report("raw_sqlite3_commit_p50_ms", raw_p50, "ms", None)
    report("raw_sqlite3_commit_p99_ms", percentile(raw_ms, 99), "ms", None)
    report("checkout_p50_over_raw", ours_p50 / raw_p50, "x", RAW_RATIO_BUDGET)
    return 0
