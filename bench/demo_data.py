"""Demo catalog generation time at N SKUs: budget 120 s for 1,000,000 (issue: under two minutes).

Generates into a fresh temporary database every time, so the figure is never a cached one.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.common import report
from pos_app.demo.data import generate_demo_catalog
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade

BUDGET_S = 120


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench demo-data")
    parser.add_argument("--skus", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "till.db"
        upgrade(path)
        db = Database(path)
        stats = generate_demo_catalog(db, args.skus)
        db.dispose()
        size_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 1e6
    report("demo_data_seconds", stats.seconds, "s", BUDGET_S)
    report("demo_data_skus_per_second", stats.skus / stats.seconds, "skus/s", None)
    report("demo_data_db_size", size_mb, "MB", None)
    return 0
