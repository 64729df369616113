"""The till's main window on a loaded till: the second stage of a start (ui/app.py). It opens the
database, runs the setup wizard on a till nobody has set up, builds the Till (ui/till.py) and
its window, which takes over the first screen's log-in page, and runs it until it closes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.config import load_config
from pos_app.services.daily_backup import DailyBackup
from pos_app.services.database import Database
from pos_app.services.till_setup import needs_setup
from pos_app.services.writer import Writer
from pos_app.ui.first_screen import FirstScreen, show_till_window
from pos_app.ui.gui_thread_gc import GuiThreadCollector
from pos_app.ui.language import use_language
from pos_app.ui.login import LoginPage
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QApplication, QGuiApplication, QTimer
from pos_app.ui.shutdown import (
    QuitWhenClosed,
    close_other_windows,
    quit_on_signals,
    restore_default_signals,
)
from pos_app.ui.till import Till, bootstrap

if TYPE_CHECKING:
    from sync.engine import SyncEngine

log = logging.getLogger(__name__)
EngineMaker = Callable[[Database], "SyncEngine"]


def build_window(till: Till, *, login: LoginPage | None = None) -> MainWindow:
    """The main window of the till, in the store's language (with the first screen's log-in
    page, when there was one)."""
    use_language(till.start_view.language)
    screens = len(QGuiApplication.screens())
    return MainWindow(till, with_customer_display=screens > 1, login=login)


def show_main_window(window: MainWindow) -> None:
    show_till_window(window, maximised=window.till.start_view.maximised)


def run_setup_wizard(db: Database, writer: Writer) -> bool:
    """A till nobody has set up opens the setup wizard first; False if the owner cancelled."""
    from pos_app.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(db, writer)
    accepted = wizard.exec() == SetupWizard.DialogCode.Accepted
    wizard.deleteLater()
    return accepted


def run_till(
    app: QApplication,
    path: Path,
    first: FirstScreen | None,
    *,
    demo: bool,
    sync_engine: EngineMaker | None,
    print_ready: bool,
) -> int:
    """Run the till on the database at path until its window closes; returns the exit code.
    The printer, sync, payment upkeep and warm-up start once the window is painted, on their
    threads (LOADED on stdout then if print_ready, and READY too when there was no first
    screen)."""
    db = Database(path, checkpoint_in_background=True)
    collector = GuiThreadCollector(app)
    writer = Writer()
    backups = DailyBackup(db, load_config())
    backups.start()
    try:
        # a first screen was shown only to a till with staff (services/first_view.py)
        if (
            first is None
            and writer.call(lambda: needs_setup(db))
            and not run_setup_wizard(db, writer)
        ):
            return 0
        engine = None if sync_engine is None else (lambda: sync_engine(db))
        till = bootstrap(db, writer, sync_engine=engine, demo=demo)
        return _run(app, till, collector, first, print_ready)
    finally:
        writer.close()  # the window, closing, may still have held a cart through it
        backups.stop()
        db.dispose()


def _run(
    app: QApplication,
    till: Till,
    collector: GuiThreadCollector,
    first: FirstScreen | None,
    print_ready: bool,
) -> int:
    login, focused = first.hand_over() if first is not None else (None, None)
    window = build_window(till, login=login)
    window.devices.start()
    show_main_window(window)
    if first is not None:
        first.close()
        first.deleteLater()
        (focused or window.login.code).setFocus()
    log.info("till window shown")
    display = window.customer_display
    if display is not None:
        second = QGuiApplication.screens()[1]
        display.setGeometry(second.availableGeometry())
        display.showFullScreen()

    def painted() -> None:
        window.repaint()
        if print_ready:  # the till is up: what starts next runs on other threads
            print("LOADED" if first is not None else "READY\nLOADED", flush=True)
        collector.freeze_startup_objects()
        till.start()

    QTimer.singleShot(0, painted)
    signals = quit_on_signals(app)
    QuitWhenClosed(app, window)
    code = int(app.exec())
    signals.stop()
    restore_default_signals()
    log.info("till stopping")
    close_other_windows(app, window)
    till.stop()
    window.dispose()
    collector.thaw()
    log.info("till stopped")
    return code
