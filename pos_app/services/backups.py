"""The till's backups for the back office: listed with what each one holds, one made now, one
checked before it is restored (store.backup does the work; the restart is ui/restart.py).
Every call touches the disk: run them on the background runner."""

from __future__ import annotations

from pathlib import Path

from pos_app.config import load_config
from pos_app.store.backup import BackupInfo, backup_database, check_backup, describe_backups

__all__ = ["BackupInfo", "back_up_now", "check_backup", "till_backups"]


def _folders(db_path: Path) -> list[Path]:
    """Where the till keeps backups: beside its database, and the second folder if set."""
    mirror = load_config().backup_mirror
    return [db_path.parent / "backups", *([mirror] if mirror is not None else [])]


def till_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of the till whose database is db_path, newest first."""
    return describe_backups(_folders(db_path))


def back_up_now(db_path: Path) -> Path:
    """A manual backup, kept and mirrored as the daily ones are; returns its path."""
    config = load_config()
    return backup_database(
        db_path,
        db_path.parent / "backups",
        reason="manual",
        keep=config.backups_kept,
        mirror=config.backup_mirror,
    )
