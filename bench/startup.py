"""Start to ready-to-scan: process start until the demo cashier is logged in and the sale screen
is painted (pos_app.ui.startup_probe), at 1,000 and N SKUs. Budgets: ≤ 1.5 s, ratio ≤ 1.2."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import demo_db, report

SMALL_SKUS = 1000
BUDGET_S = 1.5
BUDGET_RATIO = 1.2


def probe_command(db_path: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pos_app.ui.startup_probe", "--db", str(db_path), *extra]


def probe_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}


def time_to_ready_s(db_path: Path) -> float:
    """Seconds from spawning the probe to its READY line."""
    started = time.perf_counter()
    with subprocess.Popen(
        probe_command(db_path), stdout=subprocess.PIPE, text=True, env=probe_env()
    ) as probe:
        assert probe.stdout is not None
        for line in probe.stdout:
            if line.strip() == "READY":
                elapsed = time.perf_counter() - started
                break
        else:
            raise RuntimeError(f"the probe exited without READY (code {probe.wait()})")
        probe.wait()
    return elapsed


def median_start_s(db_path: Path, runs: int) -> float:
    time_to_ready_s(db_path)  # warm the OS file cache, as on a till that has run before
    return statistics.median(time_to_ready_s(db_path) for _ in range(runs))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench startup")
    parser.add_argument("--skus", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    small = median_start_s(demo_db(SMALL_SKUS), args.runs)
    large = median_start_s(demo_db(args.skus), args.runs)
    report(f"startup_s_{SMALL_SKUS}_skus", small, "s", BUDGET_S)
    report(f"startup_s_{args.skus}_skus", large, "s", BUDGET_S)
    report("startup_ratio", large / small, "ratio", BUDGET_RATIO)
    return 0
