"""cli-start: `pos` commands that need no window, from process start to their first line of
output, on the day-365 database paired with a mall served on loopback (`sync --once` runs a
whole round against it), beside a bare `python -c 'print()'` and a bare `import sqlalchemy`
(the floor of any command that opens the database through it) in the same run.
Budget (DESIGN §10, issue 19): ≤ 0.3 s."""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._history import working_copy
from bench._sync_setup import MALL_SKUS, MallProcess, pair_as_current
from bench.common import DATA_DIR, report
from bench.reports import reports_db
from bench.sync_bootstrap import seeded_mall
from pos_app.store.db import Database

BUDGET_S = 0.3
POS = str(Path(sys.executable).with_name("pos"))  # the installed console script, as a user runs it
COMMANDS = {
    "sale": ["sale", "--scan", "SCAN", "--pay", "cash:100000"],
    "verify_journal": ["verify-journal"],
    "sync_status": ["sync", "--status"],
    "sync_once": ["sync", "--once"],
}


FLOORS = {"python": "print()", "sqlalchemy_import": "import sqlalchemy; print()"}


def first_output_s(command: list[str]) -> float:
    """Seconds from spawning the process to its first byte on stdout or stderr; a command that
    prints nothing or fails stops the benchmark (it would time nothing)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    first = child.stdout.read(1)
    elapsed = time.perf_counter() - started
    rest, _ = child.communicate(timeout=600)
    if not first or child.returncode != 0:
        raise RuntimeError(f"{command} failed ({child.returncode}): {(first + rest)[-500:]!r}")
    return elapsed


def best_of(command: list[str], repeat: int) -> tuple[float, float]:
    """The best wall time to first output, and the whole process's CPU seconds (user + system)
    per run: on a loaded machine the CPU figure is the steadier one."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = min(first_output_s(command) for _ in range(repeat))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu / repeat


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench cli-start")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--history", type=int, default=500_000, help="sales of history")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from pos_app.demo.data import sample_barcodes
    from pos_app.services.shift import open_shift

    with (
        tempfile.TemporaryDirectory(dir=DATA_DIR) as tmp,
        MallProcess(seeded_mall(MALL_SKUS, Path(tmp))) as mall,
    ):
        path = working_copy(reports_db(args.skus, args.history), Path(tmp))
        db = Database(path)
        with db.read() as session:
            code = sample_barcodes(session, 1)[0]
        open_shift(db, staff_id=1, float_fen=0)
        pair_as_current(db, mall)
        db.dispose()
        for name, floor in FLOORS.items():
            wall, cpu = best_of([sys.executable, "-c", floor], args.repeat)
            report(f"bare_{name}_first_output_s", wall, "s", None)
            report(f"bare_{name}_cpu_s", cpu, "s", None)
        for name, words in COMMANDS.items():
            words = [code if word == "SCAN" else word for word in words]
            command = [POS, "--db", str(path), *words]
            wall, cpu = best_of(command, args.repeat)
            report(f"pos_{name}_first_output_s", wall, "s", BUDGET_S)
            report(f"pos_{name}_cpu_s", cpu, "s", None)
    return 0
