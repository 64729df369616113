"""`--db PATH` anywhere on the `pos` line, and `pos sync --status` on a till not paired yet."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.cli import main as pos_main
from pos_app.cli.main import hoist_db
from pos_app.store.db import Database
from tests.conftest import barcode_of


def test_db_is_taken_before_or_after_the_command() -> None:
    """--db PATH and --db=PATH move in front of the command; other words keep their order."""
    assert hoist_db(["demo-data", "--skus", "50", "--db", "f.db"]) == [
        "--db",
        "f.db",
        "demo-data",
        "--skus",
        "50",
    ]
    assert hoist_db(["sync", "--db=f.db", "--status"]) == ["--db=f.db", "sync", "--status"]
    assert hoist_db(["--db", "f.db", "sync", "--once"]) == ["--db", "f.db", "sync", "--once"]


def test_demo_data_with_db_after_the_command_writes_that_file(tmp_path: Path) -> None:
    """pos demo-data --skus 20 --db FILE (refused before) makes the catalog in FILE."""
    path = tmp_path / "shop.db"
    assert pos_main(["demo-data", "--skus", "20", "--db", str(path)]) == 0
    assert path.exists()


def test_sync_status_on_an_unpaired_till_says_how_many_sales_wait(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unpaired: exit 0 and 未配对，N 笔销售待上传, N counting the sales rung up since."""
    assert pos_main(["sync", "--status", "--db", str(db.path)]) == 0
    assert "未配对，0 笔销售待上传" in capsys.readouterr().out
    scan = barcode_of("1001")
    assert pos_main(["sale", "--scan", scan, "--pay", "cash:1000", "--db", str(db.path)]) == 0
    capsys.readouterr()
    assert pos_main(["--db", str(db.path), "sync", "--status"]) == 0
    assert "未配对，1 笔销售待上传" in capsys.readouterr().out
