"""sync-bootstrap: a new till's first start, downloading and storing a catalog of N products
(default 1,000,000) from the mall's streamed snapshot on loopback.

Budget (DESIGN §10): ≤ 90 s for 1,000,000. Also reports the peak resident memory of both
sides (the till's budget is the design's 300 MB). The mall database is seeded once into
bench/data/ and reused; --mall-db uses another (e.g. PostgreSQL, seeded with `pos-mall
seed-demo --skus N --db URL` first).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._sync_setup import MallProcess, paired_till
from bench.common import DATA_DIR, report

BUDGET_S = 90.0
TILL_RSS_BUDGET_MB = 300.0


def seeded_mall(skus: int) -> str:
    """A SQLite mall with the demo stores and `skus` products, built once in bench/data/."""
    path = DATA_DIR / f"mall-{skus}.db"
    ready = path.with_suffix(".ready")
    if not ready.exists():
        for stale in DATA_DIR.glob(f"mall-{skus}.db*"):
            stale.unlink()
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mall.cli",
                "seed-demo",
                "--skus",
                str(skus),
                "--db",
                f"sqlite:///{path}",
            ],
            check=True,
        )
        ready.touch()
    return f"sqlite:///{path}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench sync-bootstrap")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--mall-db", help="an already seeded mall database URL")
    args = parser.parse_args(argv)
    url = args.mall_db or seeded_mall(args.skus)
    with tempfile.TemporaryDirectory() as temp, MallProcess(url) as mall:
        engine = paired_till(Path(temp), mall)
        started = time.perf_counter()
        count = engine.bootstrap()
        elapsed = time.perf_counter() - started
        engine.db.dispose()
    till_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report(f"sync_bootstrap_{count}_skus", elapsed, "s", BUDGET_S * args.skus / 1_000_000)
    report("sync_bootstrap_rate", count / elapsed, "products/s", None)
    report("sync_bootstrap_till_peak_rss", till_peak_mb, "MB", TILL_RSS_BUDGET_MB)
    report("sync_bootstrap_mall_peak_rss", mall.peak_rss_mb, "MB", None)
    return 0
