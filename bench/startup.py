"""Start to ready-to-scan through the real start path: the installed `pos run` (as a till starts
it, printer, sync and warm-up included) from process start until its first screen is
painted (`--print-ready` prints READY then), at 1,000 and N SKUs, each till paired with a mall
served on loopback as a shop's till is; beside it, a bare PySide6 window painted in the same
run. Goals (issue 19): ≤ 1.0 s, N/1,000 ratio ≤ 1.2."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._history import working_copy
from bench._sync_setup import MALL_SKUS, MallProcess, pair_as_current
from bench.common import DATA_DIR, demo_db, report
from bench.sync_bootstrap import seeded_mall
from pos_app.store.db import Database

SMALL_SKUS = 1000
BUDGET_S = 1.0
BUDGET_RATIO = 1.2
POS = str(Path(sys.executable).with_name("pos"))  # the installed console script
BARE_WINDOW = (
    "from PySide6.QtWidgets import QApplication, QLabel; app = QApplication([]); "
    "w = QLabel('收银'); w.show(); w.repaint(); print('READY', flush=True)"
)


def real_start_command(db_path: Path) -> list[str]:
    return [POS, "--db", str(db_path), "run", "--print-ready"]


def probe_command(db_path: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pos_app.ui.startup_probe", "--db", str(db_path), *extra]


def probe_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}


def paired_start_s(skus: int, runs: int) -> float:
    """Median start of a copy of the demo till with `skus` products, paired with a fresh mall of
    its own (a mall takes a till number once)."""
    with (
        tempfile.TemporaryDirectory(dir=DATA_DIR) as tmp,
        MallProcess(seeded_mall(MALL_SKUS, Path(tmp))) as mall,
    ):
        path = working_copy(demo_db(skus), Path(tmp))
        db = Database(path)
        try:
            pair_as_current(db, mall)
        finally:
            db.dispose()
        return median_start_s(real_start_command(path), runs)


def time_to_ready_s(command: list[str]) -> float:
    """Seconds from spawning the command to its READY line; then it is asked to quit (SIGTERM,
    which the till handles as a clean close)."""
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=probe_env()) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == "READY":
                elapsed = time.perf_counter() - started
                break
        else:
            raise RuntimeError(f"{command} exited without READY (code {child.wait()})")
        child.terminate()
        child.communicate(timeout=60)
    return elapsed


def median_start_s(command: list[str], runs: int) -> float:
    time_to_ready_s(command)  # warm the OS file cache, as on a till that has run before
    return statistics.median(time_to_ready_s(command) for _ in range(runs))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench startup")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    bare = median_start_s([sys.executable, "-c", BARE_WINDOW], args.runs)
    small = paired_start_s(SMALL_SKUS, args.runs)
    large = paired_start_s(args.skus, args.runs)
    report("startup_bare_pyside6_window_s", bare, "s", None)
    report(f"startup_s_{SMALL_SKUS}_skus", small, "s", BUDGET_S)
    report(f"startup_s_{args.skus}_skus", large, "s", BUDGET_S)
    report("startup_ratio", large / small, "ratio", BUDGET_RATIO)
    return 0
