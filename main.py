"""Starts the till: `python main.py` is `pos run`; any other `pos` command works too.

This is also the entry point of the packaged till (packaging/pos.spec). There the report worker
process is this same executable started again by multiprocessing, so freeze_support() must run
first: it turns that child into the worker instead of handing its arguments to argparse.
"""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from pos_app.cli import main

    sys.exit(main(sys.argv[1:] or ["run"]))
