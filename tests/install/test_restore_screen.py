"""The restore screen (back office → 导出与备份, manager only) inside the running till: it lists the
backups (time, size, till, sales), asks in Chinese before restoring one, and the till stops and
starts again on the restored database (`pos run`'s launcher, in this process). The database it
replaced is kept, and the restored one is marked so its first sync asks the mall what it has
(the restored-till sync itself is tests/install/test_backup.py's)."""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from pytestqt.qtbot import QtBot

from pos_app.launcher import launch
from pos_app.services.report_worker import InProcessReports
from pos_app.store.backup import RESTORED_MARK, backup_database
from pos_app.store.db import Database
from pos_app.ui.backoffice.window import BackOfficeWindow
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QApplication, QMessageBox, Qt, QTest, QTimer, QWidget, delete_now
from pos_app.ui.shutdown import QUIT_SIGNALS
from tests.install.test_backup import ring, sales_in

POLL_MS = 20
GIVE_UP_S = 60
failures: list[BaseException] = []


def when(ready: Callable[[], QWidget | None], then: Callable[[QWidget], None]) -> None:
    """Call then(widget) as soon as ready() finds it, polling from the event loop; a failure
    is kept for the test and quits the till (the loop would otherwise wait for ever)."""

    def poll() -> None:
        try:
            found = ready()
            if found is None:
                QTimer.singleShot(POLL_MS, poll)
            else:
                then(found)
        except BaseException as error:  # reported by the test after the loop
            failures.append(error)
            QApplication.quit()

    QTimer.singleShot(0, poll)


def till_window(other_than: QWidget | None = None) -> MainWindow | None:
    return next(
        (
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible() and w is not other_than
        ),
        None,
    )


@pytest.fixture
def keep_signal_handlers() -> object:
    """The launcher sets the quit signals' handlers; pytest's own come back afterwards."""
    saved = {number: signal.getsignal(number) for number in QUIT_SIGNALS}
    yield saved
    for number, handler in saved.items():
        signal.signal(number, handler)


def test_the_manager_restores_a_backup_and_the_till_starts_again_on_it(
    qtbot: QtBot,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    keep_signal_handlers: object,
) -> None:
    monkeypatch.setenv("POS_DATA_DIR", str(db.path.parent))
    ring(db.path)
    backup_database(db.path, db.path.parent / "backups", reason="manual", keep=5)
    ring(db.path)  # sold after the backup
    seen: dict[str, object] = {}
    windows: list[QWidget] = []

    def open_back_office(till: QWidget) -> None:
        assert isinstance(till, MainWindow)
        seen["first"] = till
        manager = SimpleNamespace(id=2, name="李经理", role="manager")
        office = BackOfficeWindow(till.ctx.db, manager, reports=InProcessReports(till.ctx.db))
        windows.append(office)
        office.show()
        office.show_page(office.data)
        page = office.data
        when(lambda: page if page.backup_model.rowCount() == 1 else None, restore)

    def restore(page: QWidget) -> None:
        seen["listed"] = list(page.backup_model.rows[0])  # type: ignore[attr-defined]
        when(confirm_box, answer_yes)
        page.restore_button.click()  # type: ignore[attr-defined]

    def confirm_box() -> QMessageBox | None:
        box = QApplication.activeModalWidget()
        settled = isinstance(box, QMessageBox) and box.isAncestorOf(QApplication.focusWidget())
        return box if settled else None

    def answer_yes(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["question"] = box.text()
        assert QApplication.focusWidget() is box.defaultButton()  # 取消 has the keyboard
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
        when(lambda: till_window(other_than=seen["first"]), restarted)  # type: ignore[arg-type]

    def restarted(till: QWidget) -> None:
        assert isinstance(till, MainWindow)
        with till.ctx.db.read() as session:
            seen["restarted_on"] = (
                session.connection()
                .exec_driver_sql("SELECT sale_no FROM sales ORDER BY id")
                .scalars()
                .all()
            )
        till.close()  # the cashier's way out: the till quits

    failures.clear()
    when(till_window, open_back_office)
    QTimer.singleShot(GIVE_UP_S * 1000, QApplication.quit)  # a till that never restarts
    db.dispose()  # the till opens its own
    code = launch(db.path, argparse.Namespace(demo=False, skus=0, print_ready=False))
    for window in windows:  # now: one the garbage collector deleted later would get its tabs'
        delete_now(window)  # last signals half destroyed, in whatever test runs then

    if failures:
        raise failures[0]
    assert code == 0
    _time, kind, size, till, _store, sales = seen["listed"]  # type: ignore[misc]
    assert (kind, till, sales) == ("手动", "T01", "1") and size.endswith(" MB")
    assert "确定用" in str(seen["question"]) and "恢复本机数据" in str(seen["question"])
    assert seen["restarted_on"] == ["T01-000001"]
    assert sales_in(db.path) == ["T01-000001"]
    [replaced] = db.path.parent.glob("till.db.replaced-*")
    assert sales_in(replaced) == ["T01-000001", "T01-000002"]  # kept, never deleted
    with sqlite3.connect(db.path) as connection:
        mark = connection.execute(
            "SELECT value FROM sync_state WHERE key = ?", (RESTORED_MARK,)
        ).fetchone()
    assert mark is not None and json.loads(mark[0]).startswith("till-")


def test_a_cashier_sees_no_restore(qtbot: QtBot, db: Database) -> None:
    """Only a manager's back office has the backup section."""
    cashier = SimpleNamespace(id=1, name="张三", role="cashier")
    office = BackOfficeWindow(db, cashier, reports=InProcessReports(db))
    qtbot.addWidget(office)
    office.show_page(office.data)
    assert not office.data.backup_view.isVisibleTo(office)
    assert not office.data.restore_button.isVisibleTo(office)
