"""Crash test: a till process killed with SIGKILL mid-checkout loses nothing it reported committed,
counts nothing twice, and leaves a journal that verifies."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from pos_app.cli import main as pos_main
from pos_app.store.db import Database
from pos_app.store.models import OutboxEvent, Sale, SaleLine, StockMove

ROOT = Path(__file__).resolve().parents[2]
KILLS = 15


def run_and_kill(db_path: Path, rng: random.Random) -> list[str]:
    """Start the worker, wait for its first reported sale, let it sell on for a random moment,
    SIGKILL it; return what it reported. (Waiting for the first sale rather than a fixed time
    keeps the test meaningful on a loaded machine, where a start could take longer than the
    moment and no kill would land mid-checkout.)"""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_worker", str(db_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    first = child.stdout.readline()
    time.sleep(rng.uniform(0.02, 0.4))
    os.kill(child.pid, signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    lines = [first, *out.splitlines()]
    return [line.split()[1] for line in lines if line.startswith("committed ")]


def test_killed_till_keeps_every_committed_sale_exactly_once(db: Database) -> None:
    """After many SIGKILLs every reported sale exists once, with its lines, stock and event."""
    rng = random.Random(7)
    reported: list[str] = []
    for _ in range(KILLS):
        reported += run_and_kill(db.path, rng)
    assert len(reported) >= KILLS, "each worker reports a sale before it is killed"
    with db.read() as session:
        stored = list(session.scalars(select(Sale.sale_no).order_by(Sale.till_seq)))
        assert set(reported) <= set(stored)
        assert len(stored) == len(set(stored))
        seqs = list(session.scalars(select(Sale.till_seq).order_by(Sale.till_seq)))
        assert seqs == list(range(1, len(seqs) + 1))
        assert session.scalar(select(func.count()).select_from(SaleLine)) == 2 * len(stored)
        assert session.scalar(select(func.sum(StockMove.delta))) == -3 * len(stored)
        events = list(
            session.scalars(select(OutboxEvent.device_seq).order_by(OutboxEvent.device_seq))
        )
        assert events == list(range(1, len(stored) + 1))
    assert pos_main(["--db", str(db.path), "verify-journal"]) == 0
