"""Start to ready-to-scan through the real start path: the installed `pos run` (as a till starts
it, printer, sync and warm-up included) from process start until its first screen is
painted (`--print-ready` prints READY then), at 1,000 and N SKUs, each till paired with a mall
served on loopback as a shop's till is; beside it, a bare PySide6 window painted in the same
run. Goals (issue 19): ≤ 1.0 s, N/1,000 ratio ≤ 1.2.

The first screen is the log-in page, taking keys while the rest of the till loads (ui/app.py);
also printed: until the main window has taken it over (LOADED), from when a log-in goes
through at once."""

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
READY, LOADED = ("READY",), ("READY", "LOADED")
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


def paired_start_s(skus: int, runs: int) -> list[float]:
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
        return median_start_s(real_start_command(path), runs, LOADED)


def time_to_lines_s(command: list[str], until: tuple[str, ...]) -> list[float]:
    """Seconds from spawning the command to each of the lines until, in that order; then it is
    asked to quit (SIGTERM, which the till handles as a clean close)."""
    started, seen = time.perf_counter(), list[float]()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=probe_env()) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == until[len(seen)]:
                seen.append(time.perf_counter() - started)
                if len(seen) == len(until):
                    break
        else:
            raise RuntimeError(f"{command} exited before {until} (code {child.wait()})")
        child.terminate()
        child.communicate(timeout=60)
    return seen


def median_start_s(command: list[str], runs: int, until: tuple[str, ...] = READY) -> list[float]:
    """The median seconds to each line of until."""
    time_to_lines_s(command, until)  # warm the OS file cache, as on a till that has run before
    runs_s = [time_to_lines_s(command, until) for _ in range(runs)]
    return [statistics.median(run[n] for run in runs_s) for n in range(len(until))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench startup")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    [bare] = median_start_s([sys.executable, "-c", BARE_WINDOW], args.runs)
    small, small_loaded = paired_start_s(SMALL_SKUS, args.runs)
    large, large_loaded = paired_start_s(args.skus, args.runs)
    report("startup_bare_pyside6_window_s", bare, "s", None)
    report(f"startup_s_{SMALL_SKUS}_skus", small, "s", BUDGET_S)
    report(f"startup_s_{args.skus}_skus", large, "s", BUDGET_S)
    report("startup_ratio", large / small, "ratio", BUDGET_RATIO)
    report(f"startup_loaded_s_{SMALL_SKUS}_skus", small_loaded, "s", None)
    report(f"startup_loaded_s_{args.skus}_skus", large_loaded, "s", None)
    return 0
