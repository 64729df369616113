"""`pos backup`, `pos restore` and `pos diagnostics`: keeping the shop's history safe and
sending support what they need. Messages are for the shop owner, in Chinese."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from pos_app.config import config_file, load_config
from pos_app.store.backup import BackupError, backup_database, list_backups, restore_database
from pos_app.store.db import Database

EXIT_OK, EXIT_FAILED = 0, 1


def cmd_backup(db: Database, args: argparse.Namespace) -> int:
    config = load_config()
    folder = args.to or db.path.parent / "backups"
    try:
        path = backup_database(
            db.path, folder, reason="manual", keep=config.backups_kept, mirror=config.backup_mirror
        )
    except BackupError as error:
        print(f"备份失败：{error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"已备份到 {path}")
    return EXIT_OK


def cmd_restore(db_path: Path, args: argparse.Namespace) -> int:
    """Runs without opening the current database: it may be the broken one."""
    backup = args.backup
    if backup is None:
        backups = list_backups(db_path.parent / "backups")
        if not backups:
            print("没有找到备份。请指定备份文件：pos restore 文件路径", file=sys.stderr)
            return EXIT_FAILED
        backup = backups[-1]
    try:
        replaced = restore_database(backup, db_path)
    except BackupError as error:
        print(f"恢复失败：{error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"已从 {backup.name} 恢复收银数据。")
    if replaced is not None:
        print(f"原来的数据库保留在 {replaced}")
    print("下次同步时，收银台会先向商城核对已上传的记录，不会重复上传。")
    return EXIT_OK


def cmd_diagnostics(db: Database, args: argparse.Namespace) -> int:
    from pos_app.services.diagnostics import write_support_bundle

    out = args.out or db.path.parent / f"诊断包-{datetime.now():%Y%m%d-%H%M%S}.zip"
    print(f"诊断包已保存：{write_support_bundle(db, out, config_file())}")
    return EXIT_OK


def cmd_setup(db: Database, args: argparse.Namespace) -> int:
    """The setup wizard's first page from the command line (for installing many tills)."""
    import getpass

    from pos_app.services.till_setup import SetupError, TillSetup, apply_setup

    setup = TillSetup(
        store_name=args.store_name,
        store_address=args.address,
        till_number=args.till,
        manager_code=args.manager,
        manager_name=args.manager_name,
        manager_pin=args.pin or getpass.getpass("店长密码："),
        receipt_width_mm=args.paper,
        printer_uri=args.printer,
    )
    try:
        till_id = apply_setup(db, setup)
    except SetupError as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    print(f"{setup.store_name} 的 {till_id} 号收银台已设置好。")
    return EXIT_OK
