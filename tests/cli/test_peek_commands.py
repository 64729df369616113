"""`pos verify-journal` and `pos sync --status` only read: they answer through sqlite3, without
SQLAlchemy (whose import alone is more than such a command's 0.3 s budget), and still work on a
database an older version wrote (upgraded first) or on none yet (created)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.cli import main as pos_main
from pos_app.store.db import Database
from pos_app.store.migrate import current_revision, head_revision

RUN_AND_LIST_MODULES = (
    "import sys; from pos_app.cli.main import main; code = main(sys.argv[1:]); "
    "print('LOADED', *sorted(m for m in ('sqlalchemy', 'requests', 'pydantic', 'PySide6') "
    "if m in sys.modules)); sys.exit(code)"
)


@pytest.mark.parametrize("command", [["verify-journal"], ["sync", "--status"]])
def test_a_reading_command_loads_no_sqlalchemy_requests_pydantic_or_qt(
    db: Database, command: list[str]
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, "--db", str(db.path), *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "LOADED"
    assert "Journal intact" in done.stdout or "未配对，0 笔销售待上传" in done.stdout


def test_a_reading_command_on_a_new_path_creates_the_database_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new" / "till.db"
    assert pos_main(["--db", str(path), "sync", "--status"]) == 0
    assert "未配对，0 笔销售待上传" in capsys.readouterr().out
    assert current_revision(path) == head_revision()
