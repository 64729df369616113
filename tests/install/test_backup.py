"""Backups: `pos backup` / `pos restore`, automatic backups before a migration and once a day,
a backup killed half-way, and a restored till that neither sends again nor loses what the mall
already has (against the real mall on 127.0.0.1)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from mall.catalog import upsert_products
from mall.models import ConflictRow, SaleRow
from pos_app.cli import main
from pos_app.config import load_config
from pos_app.services.daily_backup import DailyBackup
from pos_app.store.backup import backup_database, list_backups
from pos_app.store.db import Database
from pos_app.store.journal import verify_journal
from pos_app.store.models import OutboxEvent, Sale
from sync.protocol import ProductData
from tests.conftest import barcode_of
from tests.sync.conftest import Mall

ROOT = Path(__file__).resolve().parents[2]


def sales_in(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT sale_no FROM sales ORDER BY id")]
    finally:
        connection.close()


def ring(db_path: Path, n: int = 1) -> None:
    for _ in range(n):
        scan = ["--scan", barcode_of("1001"), "--pay", "cash:500"]
        assert main(["--db", str(db_path), "sale", *scan]) == 0


def publish_cola(mall: Mall) -> None:
    """The mall sells the till's cola under the same barcode (its catalog replaces the till's)."""
    cola = ProductData(
        sku="1001", name="可口可乐 330ml", price_fen=350, barcodes=[barcode_of("1001")]
    )
    with mall.db.write() as session:
        upsert_products(session, [cola])


def test_pos_backup_keeps_n_and_copies_to_a_second_folder(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("POS_DATA_DIR", str(tmp_path))
    usb = tmp_path / "U盘"
    (tmp_path / "config.toml").write_text(
        f'backups_kept = 2\nbackup_mirror = "{usb}"\n', encoding="utf-8"
    )
    ring(db.path)
    made = []
    for _ in range(3):
        assert main(["--db", str(db.path), "backup"]) == 0
        made.append(Path(capsys.readouterr().out.split("已备份到 ")[1].strip()))
        time.sleep(1.05)  # names carry the second
    kept = list_backups(tmp_path / "backups")
    assert kept == made[1:]
    assert [p.name for p in list_backups(usb)] == [p.name for p in kept]
    assert sales_in(kept[-1]) == ["T01-000001"]


def test_an_upgrade_is_preceded_by_a_backup(tmp_path: Path) -> None:
    """A database at an older schema is backed up before this version migrates it."""
    path = tmp_path / "till.db"
    from alembic import command

    from pos_app.store.migrate import _config, upgrade

    upgrade(path)
    command.downgrade(_config(path), "-1")
    assert main(["--db", str(path), "verify-journal"]) == 0
    assert [p.name.endswith("-before-upgrade.db") for p in list_backups(tmp_path / "backups")] == [
        True
    ]


def test_the_running_till_backs_up_once_a_day(db: Database) -> None:
    backups = DailyBackup(db, load_config(), first_check_s=0.01)
    backups.start()
    deadline = time.monotonic() + 20
    while not list_backups(db.path.parent / "backups") and time.monotonic() < deadline:
        time.sleep(0.05)
    backups.stop()
    assert len(list_backups(db.path.parent / "backups")) == 1
    assert not backups.due()


KILL_CHILD = """
import sys
from pathlib import Path
from pos_app.store.backup import backup_database
backup_database(Path(sys.argv[1]), Path(sys.argv[2]), reason="daily", keep=5)
"""


def test_a_backup_killed_half_way_leaves_no_backup_and_an_intact_till(
    db: Database, tmp_path: Path
) -> None:
    ring(db.path, 2)
    with sqlite3.connect(db.path) as connection:  # bulk, so the copy takes a while
        connection.execute("CREATE TABLE filler (b BLOB)")
        connection.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
            "INSERT INTO filler SELECT randomblob(32768) FROM n"
        )
    folder = tmp_path / "backups"
    killed_mid_way = 0
    for _ in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", KILL_CHILD, str(db.path), str(folder)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        while child.poll() is None and not list(folder.glob(".till-*.partial")):
            time.sleep(0.001)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            killed_mid_way += 1
            assert list_backups(folder) == [], "a half-made backup must never look finished"
        else:
            for finished in list_backups(folder):  # too fast this time: start again
                finished.unlink()
    assert killed_mid_way >= 1
    with db.read() as session:
        assert verify_journal(session) == []
    with sqlite3.connect(db.path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    made = backup_database(db.path, folder, reason="manual", keep=5)
    assert list(folder.glob(".till-*")) == []
    assert list_backups(folder) == [made] and sales_in(made) == ["T01-000001", "T01-000002"]


def test_a_broken_file_is_not_restored(db: Database, tmp_path: Path) -> None:
    junk = tmp_path / "till-20260101-000000-manual.db"
    junk.write_bytes(b"not a database at all" * 100)
    ring(db.path)
    assert main(["--db", str(db.path), "restore", str(junk)]) == 1
    assert sales_in(db.path) == ["T01-000001"]


def test_a_restored_till_neither_sends_again_nor_loses_sales(
    db: Database, mall: Mall, capsys: pytest.CaptureFixture[str]
) -> None:
    """Backup taken with two sales still waiting to sync; afterwards they sync and two more
    are sold and synced; the disk dies and the backup is restored. The till must not send the
    two waiting sales again, its new sales must not reuse the numbers the mall already has,
    and the mall ends with every sale once."""
    till = ["--db", str(db.path)]
    publish_cola(mall)
    assert main([*till, "pair", mall.base_url, mall.pair_code("S001")]) == 0
    assert main([*till, "sync", "--once"]) == 0  # the mall's catalog
    ring(db.path, 3)
    assert main([*till, "sync", "--once"]) == 0
    ring(db.path, 2)
    backup = backup_database(db.path, db.path.parent / "backups", reason="manual", keep=5)
    assert main([*till, "sync", "--once"]) == 0
    ring(db.path, 2)
    assert main([*till, "sync", "--once"]) == 0
    db.dispose()

    assert main([*till, "restore", str(backup)]) == 0
    assert "不会重复上传" in capsys.readouterr().out
    restored = Database(db.path)
    try:
        with restored.read() as session:
            waiting = session.scalars(select(OutboxEvent).where(OutboxEvent.acked_at.is_(None)))
            assert len(list(waiting)) > 0  # the two sales the backup still had to send
        assert main([*till, "sync", "--once"]) == 0
        with restored.read() as session:
            assert (
                session.scalar(select(OutboxEvent.id).where(OutboxEvent.acked_at.is_(None))) is None
            )
        ring(db.path, 2)
        assert main([*till, "sync", "--once"]) == 0
        with restored.read() as session:
            local = list(session.scalars(select(Sale.sale_no).order_by(Sale.id)))
            assert verify_journal(session) == []
    finally:
        restored.dispose()
    with mall.db.read() as session:
        at_mall = list(session.scalars(select(SaleRow.sale_no).where(SaleRow.store_id == "S001")))
        conflicts = list(session.scalars(select(ConflictRow.reason)))
    assert conflicts == []
    assert len(at_mall) == len(set(at_mall)) == 9
    assert set(local) <= set(at_mall)
    assert local[:5] == [f"T01-{n:06d}" for n in range(1, 6)]
    assert set(local[5:]).isdisjoint({f"T01-{n:06d}" for n in (6, 7)})
