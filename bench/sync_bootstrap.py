"""sync-bootstrap: a new till's first start, downloading and storing a catalog of N products
(default 1,000,000) from the mall's streamed snapshot on loopback.

Goal (issue 19): ≤ 60 s for 1,000,000, till and mall peak RSS ≤ 300 MB each. Two limits are
measured in the same run and printed beside: the download alone (the mall streaming the
snapshot, the till reading and discarding it) and raw sqlite3 writing the same rows
(executemany into a fresh database of the same schema, the search triggers and search-only
indexes dropped and built once at the end, one commit). The mall database is seeded once into
bench/data/ and reused; --mall-db uses another (e.g. PostgreSQL, seeded with
`pos-mall seed-demo --skus N --db URL`).
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._sync_setup import MallProcess, paired_till
from bench.common import DATA_DIR, report
from pos_app.store.migrate import upgrade
from pos_app.store.search_grams import register
from pos_app.store.search_index import SEARCH_BTREES, SEARCH_INDEXES
from sync.client import MallClient

BUDGET_S = 60.0
RSS_BUDGET_MB = 300.0
_CHUNK = 5000


def seeded_mall(skus: int, directory: Path = DATA_DIR) -> str:
    """A SQLite mall with the demo stores and `skus` products, built once in directory."""
    path = directory / f"mall-{skus}.db"
    ready = path.with_suffix(".ready")
    if not ready.exists():
        for stale in directory.glob(f"mall-{skus}.db*"):
            stale.unlink()
        directory.mkdir(parents=True, exist_ok=True)
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


def download_only_s(client: MallClient) -> float:
    """The whole snapshot streamed and decompressed into lines, nothing parsed or written."""
    started = time.perf_counter()
    with client.snapshot_lines() as lines:
        for _line in lines:
            pass
    return time.perf_counter() - started


def _copy_sql(source: sqlite3.Connection, table: str) -> tuple[str, str]:
    columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    return f"SELECT {names} FROM {table}", f"INSERT INTO {table} ({names}) VALUES ({marks})"


def raw_sqlite_s(loaded: Path, directory: Path) -> float:
    """Seconds raw sqlite3 takes to write the rows the till now holds (products, barcodes) into a
    fresh database of the same schema: executemany per chunk with the search triggers and
    indexes dropped, one rebuild, one commit (synchronous=FULL, WAL, as the till). Reading is
    not timed."""
    target_path = directory / "raw.db"
    upgrade(target_path)
    source = sqlite3.connect(loaded)
    target = sqlite3.connect(target_path, isolation_level=None)
    register(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=FULL")
    names = ", ".join(f"'{name}'" for name in SEARCH_BTREES)
    paused = target.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE (type = 'trigger' AND tbl_name = "
        f"'products') OR (type = 'index' AND name IN ({names}))"
    ).fetchall()
    target.execute("BEGIN IMMEDIATE")
    for kind, name, _sql in paused:
        target.execute(f'DROP {kind.upper()} "{name}"')
    spent = 0.0
    for table in ("categories", "products", "barcodes"):
        select, insert = _copy_sql(source, table)
        rows = source.execute(select)
        while chunk := rows.fetchmany(_CHUNK):
            started = time.perf_counter()
            target.executemany(insert, chunk)
            spent += time.perf_counter() - started
    started = time.perf_counter()
    for _kind, _name, sql in paused:
        target.execute(sql)
    for index in SEARCH_INDEXES:
        target.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
    target.execute("COMMIT")
    spent += time.perf_counter() - started
    source.close()
    target.close()
    return spent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench sync-bootstrap")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--mall-db", help="an already seeded mall database URL")
    args = parser.parse_args(argv)
    url = args.mall_db or seeded_mall(args.skus)
    with tempfile.TemporaryDirectory() as temp, MallProcess(url) as mall:
        engine = paired_till(Path(temp), mall)
        # On a loaded 2-core machine the mall's first 1M-row read can outlast a till's 30 s wait.
        engine.client.timeout_s = (5.0, 600.0)
        download_s = download_only_s(engine.client)
        started = time.perf_counter()
        count = engine.bootstrap()
        elapsed = time.perf_counter() - started
        engine.db.dispose()
        till_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        raw_s = raw_sqlite_s(engine.db.path, Path(temp))
    budget = BUDGET_S * args.skus / 1_000_000
    report(f"sync_bootstrap_{count}_skus", elapsed, "s", budget)
    report("sync_bootstrap_download_only_limit", download_s, "s", None)
    report("sync_bootstrap_raw_sqlite_limit", raw_s, "s", None)
    report("sync_bootstrap_rate", count / elapsed, "products/s", None)
    report("sync_bootstrap_till_peak_rss", till_peak_mb, "MB", RSS_BUDGET_MB)
    report("sync_bootstrap_mall_peak_rss", mall.peak_rss_mb, "MB", RSS_BUDGET_MB)
    return 0
