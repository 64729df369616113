"""Resident memory of the till at N SKUs after start, log-in, 200 scans and Chinese and pinyin
searches with pypinyin's dictionaries loaded (pos_app.ui.startup_probe), beside a bare Python
process with PySide6 and pypinyin imported. Budget: ≤ 300 MB at 1,000,000 SKUs."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench.common import demo_db, report
from bench.startup import probe_command, probe_env

BUDGET_MB = 300
SCANS = 200
BYTES_PER_MB = 1024 * 1024
BARE = (
    "import PySide6.QtWidgets, pypinyin.constants, psutil;print(psutil.Process().memory_info().rss)"
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench memory")
    parser.add_argument("--skus", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    done = subprocess.run(
        probe_command(demo_db(args.skus), "--scans", str(SCANS)),
        capture_output=True,
        text=True,
        env=probe_env(),
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    report(f"rss_mb_{args.skus}_skus", figures["rss_bytes"] / BYTES_PER_MB, "MB", BUDGET_MB)
    bare = subprocess.run([sys.executable, "-c", BARE], capture_output=True, text=True, check=True)
    report("bare_qt_pypinyin_rss_mb", int(bare.stdout) / BYTES_PER_MB, "MB", None)
    return 0
