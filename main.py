"""Starts the till: `python main.py` is `pos run`; any other `pos` command works too.

This is also the entry point of the packaged till (packaging/pos.spec). There the report worker
process is this same executable started again by multiprocessing, so freeze_support() must run
first: it turns that child into the worker instead of handing its arguments to argparse.
A windowed Windows bundle has no console: its messages go to the log file (pos_app.logs).
"""

from __future__ import annotations

import multiprocessing
import os
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if sys.stdout is None or sys.stderr is None:  # a windowed bundle on Windows has neither
        sys.stdout = sys.stdout or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        sys.stderr = sys.stderr or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    from pos_app.cli import main

    sys.exit(main(sys.argv[1:] or ["run"]))
