"""Checkout commit latency with fsync (synchronous=FULL): budget p99 ≤ 10 ms (DESIGN §10)."""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from bench.common import demo_db, percentile, report
from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.demo_data import sample_barcodes
from pos_app.services.selling import add_scanned_item
from pos_app.services.shift import open_shift
from pos_app.services.till import scale_layouts
from pos_app.store.db import Database
from pos_app.store.models import Staff


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench checkout")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--sales", type=int, default=500)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "till.db"
        shutil.copy(demo_db(args.skus), path)  # sales must not pile up in the shared demo file
        db = Database(path, checkpoint_in_background=True)  # as the running till does
        with db.read() as session:
            cashier_id = session.scalars(select(Staff.id).where(Staff.role == "cashier")).one()
            codes = sample_barcodes(session, 2000)
            layouts = scale_layouts(session)
        open_shift(db, staff_id=cashier_id, float_fen=0)
        rng = random.Random(1)
        samples_ms: list[float] = []
        for _ in range(args.sales):
            cart = Cart()
            with db.read() as session:
                for code in rng.sample(codes, 5):
                    add_scanned_item(session, cart, code, layouts)
            tenders = [Tender(TenderKind.CASH, cart.total_fen + 10_000)]
            start = time.perf_counter()
            checkout(db, cart=cart, tenders=tenders, cashier_id=cashier_id)
            samples_ms.append((time.perf_counter() - start) * 1000)
        db.dispose()
    report("checkout_commit_p50_ms", percentile(samples_ms, 50), "ms", None)
    report("checkout_commit_p99_ms", percentile(samples_ms, 99), "ms", 10)
    return 0
