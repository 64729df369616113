"""outbox: what the pusher does per batch on day 365 — read the 500 oldest pending events and
mark them acknowledged — with 500,000 already-sent events in the table, beside raw sqlite3
running the same two statements on the same file. Budget (DESIGN §10): ≤ 10 ms."""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from bench._history import SENT_EVENTS, fill_outbox, working_copy
from bench.common import DATA_DIR, percentile, report
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.outbox import append_event, mark_acked, pending_events

BUDGET_MS = 10.0
BATCH = 500
RAW_PENDING = "SELECT * FROM outbox WHERE acked_at IS NULL ORDER BY device_seq LIMIT ?"
RAW_ACK = "UPDATE outbox SET acked_at = ? WHERE acked_at IS NULL AND device_seq BETWEEN ? AND ?"
UNACK = "UPDATE outbox SET acked_at = NULL WHERE device_seq > ?"


def outbox_db(sent: int) -> Path:
    """A migrated till database whose outbox holds `sent` acknowledged events, built once."""
    path = DATA_DIR / f"outbox-{sent}.db"
    ready = path.with_suffix(".ready")
    if not ready.exists():
        for stale in DATA_DIR.glob(f"{path.name}*"):
            stale.unlink()
        upgrade(path)
        fill_outbox(path, sent)
        ready.touch()
    upgrade(path)
    return path


def _ours(db: Database) -> None:
    with db.write() as session:
        events = pending_events(session, limit=BATCH)
        mark_acked(session, first_seq=events[0].device_seq, through_seq=events[-1].device_seq)


def _raw(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")
    rows = connection.execute(RAW_PENDING, (BATCH,)).fetchall()
    connection.execute(RAW_ACK, ("2026-12-07 00:00:00.000000", rows[0][1], rows[-1][1]))
    connection.execute("COMMIT")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench outbox")
    parser.add_argument("--sent", type=int, default=SENT_EVENTS)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=DATA_DIR) as tmp:
        path = working_copy(outbox_db(args.sent), Path(tmp))
        db = Database(path)
        with db.write() as session:  # the batch waiting to go
            for number in range(BATCH):
                append_event(session, "sale", {"sale_no": f"T01-{number:06d}", "lines": []})
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("PRAGMA synchronous=FULL")
        ours_ms, raw_ms = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            _ours(db)
            ours_ms.append((time.perf_counter() - started) * 1000)
            raw.execute(UNACK, (args.sent,))
            started = time.perf_counter()
            _raw(raw)
            raw_ms.append((time.perf_counter() - started) * 1000)
            raw.execute(UNACK, (args.sent,))
        raw.close()
        db.dispose()
    report(f"outbox_pending_ack_{BATCH}_with_{args.sent}_sent_p50_ms", percentile(ours_ms, 50),
           "ms", BUDGET_MS)  # fmt: skip
    report("outbox_pending_ack_raw_sqlite3_p50_ms", percentile(raw_ms, 50), "ms", None)
    return 0
