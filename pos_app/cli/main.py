"""The `pos` command line: the app, demo data, import, scripted sales, journal check, database
upgrade, and the printer and sync commands. Every command takes --db PATH.

A command gets the open database (`handler`), or only its path: `path_handler` for one that must
not open it (restore) or opens it itself (run: its first screen comes first), `peek_handler`
for one that only reads and answers through sqlite3 (verify-journal, sync --status) without
importing SQLAlchemy, ~0.4 s of every other command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos_app import __version__
from pos_app.config import load_config
from pos_app.logs import log_dir_for, setup_logging
from pos_app.store.migrate import DatabaseTooNew, is_current, needs_upgrade, upgrade
from sync.cli_commands import add_commands as add_sync_commands

if TYPE_CHECKING:
    from pos_app.store.db import Database

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
log = logging.getLogger(__name__)


def open_db(path: Path) -> Database:
    """Upgrade the database to this version's schema (backing it up first), then open it, for a
    short command (the till, long-running, checkpoints its WAL in the background:
    ui/till_window.py)."""
    if needs_upgrade(path):
        from pos_app.store.backup import backup_database

        config = load_config()
        backup_database(
            path,
            path.parent / "backups",
            reason="before-upgrade",
            keep=config.backups_kept,
            mirror=config.backup_mirror,
        )
    upgrade(path)
    from pos_app.store.db import Database

    return Database(path)


def cmd_db_upgrade(db: Database, args: argparse.Namespace) -> int:
    print(f"Database {db.path} is at the newest schema.")
    return EXIT_OK


def cmd_verify_journal(db_path: Path, args: argparse.Namespace) -> int:
    from pos_app.store.journal_chain import verify_file
    from pos_app.store.peek import open_readonly, scalar

    with closing(open_readonly(db_path)) as connection:
        entries = scalar(connection, "SELECT coalesce(max(seq), 0) FROM journal", {})
        print(f"Checking {entries:,} journal entries …", flush=True)  # a year's: ~15 s
        problems = verify_file(connection)
    for problem in problems:
        print(f"journal entry {problem.seq}: {problem.message}", file=sys.stderr)
    if problems:
        print(f"Journal BROKEN: {len(problems)} problem(s).", file=sys.stderr)
        return EXIT_FAILED
    print("Journal intact: sequence gapless, every hash matches.")
    return EXIT_OK


def cmd_sale(db: Database, args: argparse.Namespace) -> int:
    from pos_app.cli.sale import run_scripted_sale

    return run_scripted_sale(db, args)


def cmd_run(db_path: Path, args: argparse.Namespace) -> int:
    """Opens the database itself: the first screen comes before the database layer loads."""
    from pos_app.launcher import launch

    return launch(db_path, args)


def cmd_screenshots(db: Database, args: argparse.Namespace) -> int:
    """Renders on a scratch demo database, so the real one is never touched."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tools.backoffice_screenshots import capture_demo as capture_backoffice_demo
    from tools.screenshots import capture_demo

    for path in [
        *capture_demo(args.out_dir),
        *capture_backoffice_demo(args.out_dir / "backoffice"),
    ]:
        print(path)
    return EXIT_OK


def _delegate(module: str, function: str) -> Callable[[Any, argparse.Namespace], int]:
    """A command implemented in another package, imported only when it runs; it gets the open
    database (or, for a command that must not open it, its path) and the arguments."""

    def run(db: Any, args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), function)(db, args))

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos", description="门店通 POS till")
    parser.add_argument("--version", action="version", version=f"门店通 POS {__version__}")
    parser.add_argument("--db", type=Path, help="till database file (default: the data dir)")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the till app")
    run.add_argument("--demo", action="store_true", help="seed demo data and a local mall")
    run.add_argument("--skus", type=int, default=5000, help="demo catalog size")
    # bench startup: READY on stdout once the first screen is painted
    run.add_argument("--print-ready", action="store_true", help=argparse.SUPPRESS)
    run.set_defaults(path_handler=cmd_run)

    demo = commands.add_parser("demo-data", help="generate a demo store and catalog")
    demo.add_argument("--skus", type=int, default=5000)
    demo.add_argument("--seed", type=int, default=1)
    demo.set_defaults(handler=_delegate("pos_app.cli.catalog", "cmd_demo_data"))

    imp = commands.add_parser("import", help="import products from CSV or XLSX")
    imp.add_argument("file", type=Path)
    imp.add_argument("--skip-bad", action="store_true", help="import good rows, report the rest")
    imp.set_defaults(handler=_delegate("pos_app.cli.catalog", "cmd_import"))

    sale = commands.add_parser("sale", help="a scripted, headless checkout")
    sale.add_argument("--scan", nargs="+", required=True, metavar="CODE")
    sale.add_argument("--pay", nargs="+", required=True, metavar="METHOD:FEN")
    sale.add_argument("--cashier", default=None, help="staff number (default: first cashier)")
    sale.set_defaults(handler=cmd_sale)

    verify = commands.add_parser("verify-journal", help="check the journal's hash chain")
    verify.set_defaults(peek_handler=cmd_verify_journal)

    db_cmd = commands.add_parser("db", help="database maintenance")
    db_sub = db_cmd.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="upgrade to the newest schema").set_defaults(
        handler=cmd_db_upgrade
    )
    _add_hardware_commands(commands)
    _add_maintenance_commands(commands)
    add_sync_commands(commands)

    check = commands.add_parser("self-test", help="自检: database, font, back office, printer")
    check.add_argument("--printer", metavar="URI", help="also print a test page here")
    check.set_defaults(handler=_delegate("pos_app.ui.self_test", "run_self_test"))

    shots = commands.add_parser("screenshots", help="render every screen to PNG files")
    shots.add_argument("out_dir", type=Path)
    shots.set_defaults(handler=cmd_screenshots)
    return parser


def _add_hardware_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    hardware = "pos_app.cli.hardware"
    receipt = commands.add_parser("print-receipt", help="print (or reprint) a receipt")
    receipt.add_argument("sale_no")
    receipt.add_argument("--printer", required=True, metavar="URI")
    receipt.set_defaults(handler=_delegate(hardware, "cmd_print_receipt"))

    test = commands.add_parser("printer-test", help="print a test page")
    test.add_argument("--printer", required=True, metavar="URI")
    test.set_defaults(handler=_delegate(hardware, "cmd_printer_test"))

    labels = commands.add_parser("labels", help="price labels as an A4 PDF")
    labels.add_argument("skus", nargs="+")
    labels.add_argument("--pdf", type=Path, required=True)
    labels.set_defaults(handler=_delegate(hardware, "cmd_labels"))

    plu = commands.add_parser("plu-export", help="PLU file for label scales (顶尖 DWL or CSV)")
    plu.add_argument("out", type=Path)
    plu.add_argument("--format", choices=("aclas", "csv"), default="aclas")
    plu.set_defaults(handler=_delegate(hardware, "cmd_plu_export"))

    report = commands.add_parser("scale-price-report", help="scale labels priced unlike the till")
    report.add_argument("--days", type=int, default=7)
    report.set_defaults(handler=_delegate(hardware, "cmd_scale_price_report"))


def _add_maintenance_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    here = "pos_app.cli.maintenance"
    backup = commands.add_parser("backup", help="back up the till database now")
    backup.add_argument("--to", type=Path, metavar="DIR", help="folder (default: data dir)")
    backup.set_defaults(handler=_delegate(here, "cmd_backup"))

    restore = commands.add_parser("restore", help="restore the till database from a backup")
    restore.add_argument("backup", type=Path, nargs="?", help="backup file (default: newest)")
    restore.set_defaults(path_handler=_delegate(here, "cmd_restore"))

    setup = commands.add_parser("setup", help="set up this till (store, till number, manager)")
    setup.add_argument("--store-name", required=True)
    setup.add_argument("--address", default="")
    setup.add_argument("--till", type=int, default=1, help="this till's number in the store")
    setup.add_argument("--manager", default="2001", metavar="CODE", help="manager staff number")
    setup.add_argument("--manager-name", default="店长")
    setup.add_argument("--pin", help="manager PIN (asked for when left out)")
    setup.add_argument("--paper", type=int, default=58, choices=(58, 80), help="receipt mm")
    setup.add_argument("--printer", default="", metavar="URI")
    setup.set_defaults(handler=_delegate(here, "cmd_setup"))

    diagnostics = commands.add_parser("diagnostics", help="导出诊断包: a zip for support")
    diagnostics.add_argument("out", type=Path, nargs="?", help="zip file to write")
    diagnostics.set_defaults(handler=_delegate(here, "cmd_diagnostics"))


def hoist_db(argv: Sequence[str]) -> list[str]:
    """`--db PATH` (or --db=PATH) may stand anywhere on the line: moved before the command,
    where the parser takes it (pos demo-data --skus 50 --db FILE works like pos --db FILE …)."""
    rest, found = list(argv), []
    for n, word in enumerate(rest):
        if word == "--db" and n + 1 < len(rest):
            found = [word, rest[n + 1]]
            del rest[n : n + 2]
            break
        if word.startswith("--db="):
            found = [word]
            del rest[n]
            break
    return found + rest


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(hoist_db(sys.argv[1:] if argv is None else argv))
    config = load_config()
    db_path = args.db or config.db_path
    setup_logging(log_dir_for(db_path), config.log_level)
    log.info("pos %s %s", __version__, args.command)
    if getattr(args, "path_handler", None) is not None:
        return int(args.path_handler(db_path, args))
    peek = getattr(args, "peek_handler", None)
    if peek is not None and is_current(db_path):
        return int(peek(db_path, args))
    try:
        db = open_db(db_path)
    except DatabaseTooNew as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    try:
        if peek is not None:  # the file was new or older: created or upgraded first
            return int(peek(db_path, args))
        return int(args.handler(db, args))
    finally:
        db.dispose()
