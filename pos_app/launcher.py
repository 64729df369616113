"""`pos run`: seed demo data when asked, find a display (or Xvfb), start the local mall for the
demo, then open the till window."""

from __future__ import annotations

import argparse
import os
import shutil
import sys

from sqlalchemy import func, select

from pos_app.store.db import Database
from pos_app.store.models import Product

EXIT_NO_DISPLAY = 2


def _has_display() -> bool:
    return bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
        or sys.platform in ("win32", "darwin")
    )


def _rerun_under_xvfb() -> int:
    """No screen here: run the same command inside Xvfb, or say in one line what is needed."""
    xvfb = shutil.which("xvfb-run")
    if xvfb is None or os.environ.get("POS_UNDER_XVFB"):
        print(
            "The till needs a display: run it on a desktop, or install xvfb "
            "(apt-get install xvfb); `pos screenshots DIR` renders the screens without one.",
            file=sys.stderr,
        )
        return EXIT_NO_DISPLAY
    print("No display found: starting the till inside Xvfb (invisible; Ctrl+C to stop).")
    os.environ["POS_UNDER_XVFB"] = "1"
    os.execv(xvfb, [xvfb, "-a", sys.executable, *sys.argv])
    return 0  # not reached


def ensure_demo_data(db: Database, skus: int) -> None:
    from pos_app.services.demo_data import generate_demo_catalog, seed_demo_store

    seed_demo_store(db)
    with db.read() as session:
        has_products = (session.scalar(select(func.count()).select_from(Product)) or 0) > 0
    if not has_products:
        print(f"Making a demo catalog of {skus:,} products …")
        stats = generate_demo_catalog(db, skus)
        print(f"Demo catalog ready in {stats.seconds:.1f} s.")


def launch(db: Database, args: argparse.Namespace) -> int:
    if not _has_display():
        return _rerun_under_xvfb()
    if args.demo:
        ensure_demo_data(db, args.skus)
    from pos_app.ui.app import run_gui

    return run_gui(db, demo=args.demo)
