"""Child process for the shutdown test: the real till (`pos run --demo`: local mall, sync,
payment upkeep, printer worker) with the back office open on its dashboard, so its report
process runs. Prints READY and the pids of its child processes once the dashboard shows
figures; with CLOSE=1 it then closes the till window itself (the cashier's way out).

Run as `python -m tests.install.gui_child DB_PATH`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace

import psutil

from pos_app.cli import main
from pos_app.store.db import Database
from pos_app.ui.app import make_application
from pos_app.ui.backoffice.window import BackOfficeWindow
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QApplication, QTimer

POLL_MS = 50
windows: list[BackOfficeWindow] = []  # kept alive: Qt deletes a window Python lets go of


def open_back_office(db_path: Path) -> None:
    db = Database(db_path)
    window = BackOfficeWindow(db, SimpleNamespace(id=2, name="李经理", role="manager"))
    window.show()
    windows.append(window)
    tile = window.dashboard.tiles["net_fen"]

    def ready() -> None:
        if tile.value.text() == "—":
            QTimer.singleShot(POLL_MS, ready)
            return
        children = [child.pid for child in psutil.Process().children(recursive=True)]
        print("READY", *children, flush=True)
        if os.environ.get("CLOSE") == "1":
            till = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
            till.close()

    ready()


if __name__ == "__main__":
    path = Path(sys.argv[1])
    make_application()
    QTimer.singleShot(0, lambda: open_back_office(path))
    sys.exit(main(["--db", str(path), "run", "--demo", "--skus", "50"]))
