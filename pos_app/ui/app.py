"""Starting the GUI: the QApplication with a CJK font, the main window, and the customer display
on a second screen when there is one. The entry point is run_gui()."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from pos_app.resources import APP_ICON
from pos_app.services.database import Database
from pos_app.services.till_setup import needs_setup
from pos_app.services.writer import Writer
from pos_app.ui.gui_thread_gc import GuiThreadCollector
from pos_app.ui.i18n import tr
from pos_app.ui.language import use_language
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QApplication, QFont, QFontDatabase, QGuiApplication, QIcon, QTimer
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
CJK_FAMILIES = ("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei")
BASE_POINT_SIZE = 11


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (made once), with a font that renders Chinese on Linux and Windows."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    families = set(QFontDatabase.families())
    family = next((name for name in CJK_FAMILIES if name in families), None)
    font = QFont(family) if family else app.font()
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setApplicationName(tr("app_title"))
    app.setWindowIcon(QIcon(str(APP_ICON)))  # every window's title bar and the task bar
    return app


def build_window(till: Till) -> MainWindow:
    """The main window of the till, in the store's language."""
    use_language(till.start_view.language)
    return MainWindow(till, with_customer_display=len(QGuiApplication.screens()) > 1)


def show_main_window(window: MainWindow) -> None:
    """Maximised unless the store turned that off: at 1024×768 the status bar must show."""
    if window.till.start_view.maximised:
        window.showMaximized()
    else:
        window.show()


def run_setup_wizard(db: Database, writer: Writer) -> bool:
    """A till nobody has set up opens the setup wizard first; False if the owner cancelled."""
    from pos_app.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(db, writer)
    accepted = wizard.exec() == SetupWizard.DialogCode.Accepted
    wizard.deleteLater()
    return accepted


def run_gui(
    db: Database,
    *,
    demo: bool,
    sync_engine: Callable[[], SyncEngine] | None = None,
    print_ready: bool = False,
) -> int:
    """Run the till until its window closes; returns the exit code. Nothing but the first screen
    comes before it is painted; the printer, sync, payment upkeep and warm-up start
    right after, on their threads (READY on stdout once it is painted if print_ready, for bench
    startup)."""
    app = make_application()
    collector = GuiThreadCollector(app)
    writer = Writer()
    try:
        if writer.call(lambda: needs_setup(db)) and not run_setup_wizard(db, writer):
            return 0
        till = bootstrap(db, writer, sync_engine=sync_engine, demo=demo)
        return _run_till(app, till, collector, print_ready)
    finally:
        writer.close()  # last: the window, closing, may still have held a cart through it


def _run_till(
    app: QApplication, till: Till, collector: GuiThreadCollector, print_ready: bool
) -> int:
    window = build_window(till)
    window.devices.start()
    show_main_window(window)
    log.info("till window shown")
    display = window.customer_display
    if display is not None:
        second = QGuiApplication.screens()[1]
        display.setGeometry(second.availableGeometry())
        display.showFullScreen()

    def first_screen_painted() -> None:
        window.repaint()
        if print_ready:  # the first screen is up: what starts next runs on other threads
            print("READY", flush=True)
        collector.freeze_startup_objects()
        till.start()

    QTimer.singleShot(0, first_screen_painted)
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
