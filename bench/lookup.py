"""Barcode lookup at N SKUs, as a scan does it: parse_barcode, then the catalog lookup in a
fresh read transaction. Budget: far below the 20 ms scan-to-line p99 (DESIGN §10)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench.common import demo_db, percentile, report
from pos_app.demo.data import sample_scale_barcodes, spread_barcodes
from pos_app.domain.barcodes import parse_barcode
from pos_app.services.catalog import lookup_scan
from pos_app.services.till import scale_layouts
from pos_app.store.db import Database

BUDGET_MS = 20


def _timed_lookups(db: Database, codes: list[str]) -> list[float]:
    with db.read() as session:
        layouts = scale_layouts(session)
    samples_ms = []
    for code in codes:
        start = time.perf_counter()
        with db.read() as session:
            lookup_scan(session, parse_barcode(code, layouts))
        samples_ms.append((time.perf_counter() - start) * 1000)
    return samples_ms


def _codes(db: Database, pick: Callable[..., list[str]], count: int) -> list[str]:
    with db.read() as session:
        return pick(session, count)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench lookup")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=5000)
    args = parser.parse_args(argv)
    db = Database(demo_db(args.skus))
    ean = _timed_lookups(db, _codes(db, spread_barcodes, args.lookups))
    scale = _timed_lookups(db, _codes(db, sample_scale_barcodes, args.lookups // 10))
    db.dispose()
    report("lookup_p50_ms", percentile(ean, 50), "ms", None)
    report("lookup_p99_ms", percentile(ean, 99), "ms", BUDGET_MS)
    report("lookup_scale_p99_ms", percentile(scale, 99), "ms", BUDGET_MS)
    return 0
