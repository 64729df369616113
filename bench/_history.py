"""The till on day 365, built once in bench/data/: the demo catalog, a year of sales, and an
outbox holding the events of those sales already sent to the mall (as a till that never pruned
has), so the checkout and sync benchmarks start from a full outbox rather than an empty one."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import DATA_DIR
from bench.reports import reports_db
from pos_app.store.migrate import upgrade

SENT_EVENTS = 500_000
_BATCH = 20_000
_PAYLOAD = '{"lines":[{"line_no":1,"qty":1,"sku":"%07d","unit_price_fen":350}],"till_seq":%d}'


def _sent_rows(count: int) -> Iterator[tuple[str, int, str, str, str, str, str]]:
    start = datetime(2025, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    for seq in range(1, count + 1):
        moment = (start + timedelta(seconds=60 * seq)).strftime("%Y-%m-%d %H:%M:%S.%f")
        yield (
            f"00000000-0000-4000-8000-{seq:012d}",
            seq,
            "sale",
            _PAYLOAD % (seq, seq),
            "0" * 64,
            moment,
            moment,
        )


def fill_outbox(path: Path, sent: int) -> None:
    """`sent` acknowledged sale events, written with raw sqlite3 (it is only the setting)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        rows = _sent_rows(sent)
        while batch := [row for _, row in zip(range(_BATCH), rows, strict=False)]:
            connection.execute("BEGIN")
            connection.executemany(
                "INSERT INTO outbox (id, device_seq, kind, payload, payload_hash, created_at,"
                " acked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                batch,
            )
            connection.execute("COMMIT")
    finally:
        connection.close()


def history_db(skus: int, sales: int, sent: int = SENT_EVENTS) -> Path:
    """The day-365 till database (catalog, `sales` sales, `sent` acknowledged events)."""
    path = DATA_DIR / f"history-{skus}-{sales}-{sent}.db"
    ready = path.with_suffix(".ready")
    if not ready.exists():
        for stale in DATA_DIR.glob(f"{path.name}*"):
            stale.unlink()
        shutil.copy(reports_db(skus, sales), path)
        fill_outbox(path, sent)
        ready.touch()
    upgrade(path)
    return path


def working_copy(source: Path, directory: Path) -> Path:
    """A copy a benchmark may write into (the shared file must not pile up sales)."""
    target = directory / "till.db"
    shutil.copy(source, target)
    return target
