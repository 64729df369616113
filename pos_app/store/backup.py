"""Backups of the till database with SQLite's online backup API, and restoring one.

A backup is a consistent snapshot taken while the till keeps selling (WAL: the copy reads one
snapshot, writers carry on). It is written as `.till-….partial`, checked (integrity_check),
flushed to disk and only then renamed to `till-YYYYmmdd-HHMMSS-REASON.db`, so a backup killed
half-way never looks like a backup; the next run removes such leftovers. The newest N are kept,
and each is copied to an optional second folder (a USB stick or a share) the same way.

Restoring never destroys anything: the current database is moved aside (`till.db.replaced-…`)
and the chosen backup is copied into place. The restored database is marked so the first sync
asks the mall what it already has (see sync.engine.SyncEngine.resync_after_restore).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pos_app.store.canonical import canonical_json, sha256_hex
from pos_app.store.models import OutboxEvent, Sale, utc_now
from pos_app.store.peek import settings_of
from pos_app.store.settings import get_setting, set_setting

BACKUP_NAME = re.compile(r"^till-(\d{8}-\d{6})-([a-z-]+)\.db$")
PARTIAL_PREFIX = ".till-"
RESTORED_MARK = "restored_from"  # sync_state key written into a restored database


TILL_SEQ_FLOOR = "till_seq_floor"  # setting: sale numbers continue above this


class BackupError(RuntimeError):
    """A backup could not be made or used; the message is for the shop owner."""


def _timestamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def list_backups(folder: Path) -> list[Path]:
    """The finished backups in folder, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if BACKUP_NAME.match(p.name))


@dataclass(frozen=True)
class BackupInfo:
    """A finished backup as the restore screen lists it."""

    path: Path
    made_at: datetime  # local time, from the file name
    reason: str  # daily | manual | before-upgrade
    size_bytes: int
    till_id: str  # "" when the file cannot be read
    store_name: str
    sales: int


def _read_info(path: Path) -> tuple[str, str, int]:
    """(till id, store name, number of sales and refunds) read from a backup, read-only."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        settings = settings_of(connection, "till_id", "store_name")
        sales = connection.execute("SELECT count(*) FROM sales").fetchone()[0]
    except sqlite3.DatabaseError:
        return "", "", 0
    finally:
        connection.close()
    return str(settings["till_id"]), str(settings["store_name"]), int(sales)


def describe_backups(folders: list[Path]) -> list[BackupInfo]:
    """The backups in folders (the data dir's, then a second folder), newest first; a backup
    in both is listed once, from the first. Opens each file: not for the GUI thread."""
    seen: set[str] = set()
    found: list[BackupInfo] = []
    for folder in folders:
        for path in list_backups(folder):
            match = BACKUP_NAME.match(path.name)
            if match is None or path.name in seen:
                continue
            seen.add(path.name)
            till, store, sales = _read_info(path)
            made_at = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            size = path.stat().st_size
            found.append(BackupInfo(path, made_at, match.group(2), size, till, store, sales))
    return sorted(found, key=lambda info: info.made_at, reverse=True)


def check_backup(path: Path) -> None:
    """BackupError (in Chinese) unless path is an intact till database."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path.name} 不是有效的数据库文件：{error}") from error
    finally:
        connection.close()
    if result != "ok":
        raise BackupError(f"{path.name} 已损坏：{result}")
    if not {"alembic_version", "sales", "outbox", "journal"} <= tables:
        raise BackupError(f"{path.name} 不是收银台的数据库")


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _copy_database(source: Path, partial: Path) -> None:
    """source → partial with the online backup API (one consistent snapshot), flushed."""
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
    finally:
        dst.close()
        src.close()
    _fsync(partial)


def _place(partial: Path, final: Path) -> None:
    os.replace(partial, final)
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        fd = os.open(final.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_partials(folder: Path) -> None:
    for leftover in folder.glob(f"{PARTIAL_PREFIX}*.partial*"):  # with its -journal
        leftover.unlink(missing_ok=True)


def _prune(folder: Path, keep: int) -> None:
    for old in list_backups(folder)[:-keep]:
        old.unlink(missing_ok=True)


def backup_database(
    db_path: Path, folder: Path, *, reason: str, keep: int, mirror: Path | None = None
) -> Path:
    """Back up db_path into folder (and mirror); returns the new backup's path."""
    if not db_path.exists():
        raise BackupError(f"没有可备份的数据库：{db_path}")
    folder.mkdir(parents=True, exist_ok=True)
    _remove_partials(folder)
    name = f"till-{_timestamp()}-{reason}.db"
    partial = folder / f"{PARTIAL_PREFIX}{name}.partial"
    _copy_database(db_path, partial)
    check_backup(partial)
    final = folder / name
    _place(partial, final)
    _prune(folder, keep)
    if mirror is not None:
        _mirror(final, mirror, keep)
    return final


def _mirror(backup: Path, mirror: Path, keep: int) -> None:
    try:
        mirror.mkdir(parents=True, exist_ok=True)
        _remove_partials(mirror)
        partial = mirror / f"{PARTIAL_PREFIX}{backup.name}.partial"
        shutil.copyfile(backup, partial)
        _fsync(partial)
        _place(partial, mirror / backup.name)
        _prune(mirror, keep)
    except OSError as error:
        raise BackupError(f"备份已保存，但未能复制到 {mirror}：{error.strerror}") from error


def newest_backup_age_s(folder: Path) -> float | None:
    backups = list_backups(folder)
    if not backups:
        return None
    return datetime.now().timestamp() - backups[-1].stat().st_mtime


def restore_database(backup: Path, db_path: Path) -> Path | None:
    """Put backup in place of db_path; returns where the replaced database was moved (or None
    if there was none). The till must not be running."""
    check_backup(backup)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    partial = db_path.with_name(f"{PARTIAL_PREFIX}restore.partial")
    _copy_database(backup, partial)
    _mark_restored(partial, backup.name)
    replaced = None
    if db_path.exists():
        replaced = db_path.with_name(f"{db_path.name}.replaced-{_timestamp()}")
        os.replace(db_path, replaced)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            if replaced is not None:
                os.replace(side, replaced.with_name(replaced.name + suffix))
            else:
                side.unlink()
    _place(partial, db_path)
    return replaced


def _mark_restored(path: Path, backup_name: str) -> None:
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(
                "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                (RESTORED_MARK, json.dumps(backup_name)),
            )
    finally:
        connection.close()


def catch_up_after_restore(session: Session, mall_seq: int) -> tuple[int, int]:
    """In a restored database: events through mall_seq are delivered; events the mall has
    beyond this database's last (sold after the backup, lost here) are stood in for by
    delivered placeholders, so the device sequence continues after them, and the sale numbers
    skip as many (a lost event may have been a sale). Returns (local last seq, lost)."""
    local_seq = session.scalar(select(func.max(OutboxEvent.device_seq))) or 0
    session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.device_seq <= mall_seq, OutboxEvent.acked_at.is_(None))
        .values(acked_at=utc_now())
    )
    lost = max(0, mall_seq - local_seq)
    for seq in range(local_seq + 1, mall_seq + 1):
        body = canonical_json({"device_seq": seq})
        session.add(
            OutboxEvent(
                id=str(uuid.uuid4()),
                device_seq=seq,
                kind="lost_after_restore",
                payload=body,
                payload_hash=sha256_hex(body),
                created_at=utc_now(),
                acked_at=utc_now(),
            )
        )
    if lost:
        last_sale = session.scalar(select(func.max(Sale.till_seq))) or 0
        floor = max(get_setting(session, TILL_SEQ_FLOOR) or 0, last_sale)
        set_setting(session, TILL_SEQ_FLOOR, floor + lost)
    return local_seq, lost
