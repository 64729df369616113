"""`pos run`: seed demo data when asked, find a display (or Xvfb), start the local mall for the
demo, then open the till window; after a restore asked for on the screen, start it again on the
restored database (ui/restart.py)."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.config import load_config
from pos_app.store.migrate import DatabaseTooNew, is_current
from sync.errors import NotPaired, SyncError

if TYPE_CHECKING:  # the mall only when the demo starts one, the engine when paired, the
    # database layer after the first screen (ui/app.py)
    from mall.local import LocalMall
    from pos_app.store.db import Database
    from pos_app.ui.till_window import EngineMaker
    from sync.engine import SyncEngine

EXIT_FAILED, EXIT_NO_DISPLAY = 1, 2
log = logging.getLogger(__name__)


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


def ensure_demo_catalog(db: Database, skus: int) -> None:
    from sqlalchemy import func, select

    from pos_app.demo.data import generate_demo_catalog, seed_demo_store
    from pos_app.store.models import Product

    seed_demo_store(db)
    with db.read() as session:
        has_products = (session.scalar(select(func.count()).select_from(Product)) or 0) > 0
    if not has_products:
        print(f"Making a demo catalog of {skus:,} products …")
        stats = generate_demo_catalog(db, skus)
        print(f"Demo catalog ready in {stats.seconds:.1f} s.")


def _start_demo_mall(db: Database) -> LocalMall | None:
    """Start the local demo mall and pair with it; offline (None) if it cannot start (or this
    is the packaged till, which carries no mall)."""
    data_dir = db.path.parent
    try:
        from pos_app.demo.mall import pair_with, start_demo_mall

        mall = start_demo_mall(db, data_dir, port=load_config().mall_port)
        pair_with(db, mall, data_dir)
    except (ImportError, OSError, RuntimeError, SyncError) as error:
        print(f"The local mall did not start ({error}); the till runs offline.", file=sys.stderr)
        return None
    print(f"Local mall: {mall.base_url} (the till is paired with it and syncs in the background)")
    return mall


def _paired_sync(path: Path) -> EngineMaker | None:
    """What makes a paired till's sync engine (None: not paired). The sync worker calls it on
    its own thread once the till has started: the engine's modules (the HTTP client, the
    change feed, the protocol) take ~0.4 s to load."""
    from sync.credentials import load_credentials

    try:
        load_credentials(path.parent)
    except NotPaired:
        return None

    def make_engine(db: Database) -> SyncEngine:
        from sync.engine import engine_for

        return engine_for(db)

    return make_engine


def _prepare(path: Path, args: argparse.Namespace) -> LocalMall | None:
    """What must happen before the till starts on a file: a new or older one is created or
    upgraded (backed up first); the demo gets its store, catalog, printer file and local mall.
    A current file needs none of it, and the till's first screen comes before the database
    layer has even loaded (ui/app.py)."""
    if is_current(path) and not args.demo:
        return None
    from pos_app.cli.main import open_db

    db = open_db(path)
    try:
        if not args.demo:
            return None
        ensure_demo_catalog(db, args.skus)
        _use_demo_printer(db)
        return _start_demo_mall(db)
    finally:
        db.dispose()


def launch(path: Path, args: argparse.Namespace) -> int:
    if not _has_display():
        return _rerun_under_xvfb()
    try:
        mall = _prepare(path, args)
    except DatabaseTooNew as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    from pos_app.ui.app import run_gui
    from pos_app.ui.restart import take_restore_request

    try:
        while True:
            code = run_gui(
                path, demo=args.demo, sync_engine=_paired_sync(path), print_ready=args.print_ready
            )
            backup = take_restore_request()
            if backup is None:
                return code
            _restore(path, backup)
    finally:
        if mall is not None:
            mall.stop()


def _restore(path: Path, backup: Path) -> None:
    """The till has stopped: put backup in place of its database (upgraded to this version's
    schema). If it cannot be restored, the till starts again on the database it had (the
    reason is logged)."""
    from pos_app.cli.main import open_db
    from pos_app.store.backup import BackupError, restore_database

    try:
        replaced = restore_database(backup, path)
    except (BackupError, OSError) as error:
        log.error("restoring %s failed, the till goes on with its database: %s", backup, error)
    else:
        log.warning("restored %s from %s (the replaced one is %s)", path, backup, replaced)
    open_db(path).dispose()


def _use_demo_printer(db: Database) -> None:
    """Without a printer configured, the demo "prints" receipts into a file in the data dir."""
    from pos_app.store.settings import get_setting, set_setting

    with db.write() as session:
        if not get_setting(session, "printer_uri"):
            set_setting(session, "printer_uri", f"file://{db.path.parent / 'demo-printer.bin'}")
