"""A till started for measurement (bench/startup.py, bench/memory.py): opens the database, shows
the main window, logs the demo cashier in and waits until the sale screen is painted, then prints
READY. With --scans N it then scans N barcodes and searches as a cashier does (pinyin initials
and Chinese words, which load pypinyin's dictionaries), and prints its memory.

Usage: python -m pos_app.ui.startup_probe --db PATH [--scans N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pos_app.demo.staff import DEMO_CASHIER
from pos_app.services.database import Database
from pos_app.services.writer import Writer
from pos_app.ui.app import make_application
from pos_app.ui.qt import QApplication
from pos_app.ui.till import bootstrap
from pos_app.ui.till_window import build_window
from pos_app.ui.widgets import wait_until as wait

SEARCHES = ("kkkl", "可乐", "牛奶", "面", "苹果", "nfsq", "矿泉水", "洗发")


def resident_bytes() -> int:
    """Current resident set size of this process (Linux /proc, else psutil)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    import psutil

    return int(psutil.Process().memory_info().rss)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m pos_app.ui.startup_probe")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--scans", type=int, default=0)
    args = parser.parse_args(argv)
    make_application()
    db = Database(args.db)
    till = bootstrap(db, Writer())
    window = build_window(till)
    window.show()
    window.login.code.setText(DEMO_CASHIER[0])
    window.login.pin.setText(DEMO_CASHIER[1])
    window.login.submit()
    wait(lambda: window.stack.currentWidget() is window.sale)
    window.sale.table.viewport().repaint()
    QApplication.processEvents()
    print("READY", flush=True)
    if args.scans:
        from pos_app.demo.data import first_barcodes
        from pos_app.services.search import prepare_search
        from pos_app.services.till_views import find_page

        prepare_search()
        codes = first_barcodes(db, args.scans)
        for text in SEARCHES:
            find_page(db, text, limit=50)
        for code in codes:
            window.sale.on_scan(code)
        QApplication.processEvents()
        print(json.dumps({"rss_bytes": resident_bytes(), "pid": os.getpid()}), flush=True)
    window.dispose()
    till.writer.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
