"""Starts the till: `python main.py` is `pos run`; any other `pos` command works too."""

from __future__ import annotations

import sys

from pos_app.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["run"]))
