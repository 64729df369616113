"""Starting the GUI: the QApplication with a CJK font, the main window, and the customer display
on a second screen when there is one. The entry point is run_gui()."""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.resources import APP_ICON
from pos_app.services.mall_payments import till_gateway
from pos_app.services.member_directory import directory_for
from pos_app.services.members import refresh_rules
from pos_app.services.search import prepare_search
from pos_app.services.till_settings import read_settings, starts_maximised
from pos_app.services.till_setup import needs_setup
from pos_app.store.db import Database
from pos_app.ui.gui_thread_gc import GuiThreadCollector
from pos_app.ui.i18n import tr
from pos_app.ui.language import use_language
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_upkeep import PaymentUpkeep, attach_payment_upkeep
from pos_app.ui.printing import PrinterBridge, attach_printer
from pos_app.ui.qt import QApplication, QFont, QFontDatabase, QGuiApplication, QIcon, QTimer
from pos_app.ui.shutdown import (
    QuitWhenClosed,
    close_other_windows,
    quit_on_signals,
    restore_default_signals,
)

if TYPE_CHECKING:  # the sync engine (requests, the sync worker) loads after the first paint
    from pos_app.ui.sync_bridge import SyncBridge
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


def build_window(db: Database, *, demo: bool) -> MainWindow:
    """The main window in the store's language; the demo shows the demo staff log-ins."""
    use_language(read_settings(db).language)
    window = MainWindow(
        db,
        gateway=till_gateway(db),
        with_customer_display=len(QGuiApplication.screens()) > 1,
    )
    window.ctx.members = directory_for(db.path.parent)
    if demo:
        window.login.hint.setText(tr("demo_hint"))
    return window


def show_main_window(window: MainWindow, db: Database) -> None:
    """Maximised unless the store turned that off: at 1024×768 the status bar must show."""
    if starts_maximised(db):
        window.showMaximized()
    else:
        window.show()


def refresh_points_rules(window: MainWindow, db: Database) -> None:
    """Ask the mall for the current points rules in the background (kept from pairing if the
    mall cannot be reached now)."""
    directory = window.ctx.members
    window.ops.run(
        lambda: refresh_rules(db, directory),
        success=lambda _rules: None,
        failure=lambda error: log.info("points rules not refreshed: %s", error),
    )


def run_setup_wizard(db: Database) -> bool:
    """A till nobody has set up opens the setup wizard first; False if the owner cancelled."""
    from pos_app.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(db)
    accepted = wizard.exec() == SetupWizard.DialogCode.Accepted
    wizard.deleteLater()
    return accepted


@dataclass
class _Workers:
    """What runs beside the window, started once the first screen is painted."""

    printer: PrinterBridge | None = None
    sync: SyncBridge | None = None
    upkeep: PaymentUpkeep | None = None

    def start(self, window: MainWindow, db: Database, engine: SyncEngine | None) -> None:
        from pos_app.ui.sync_bridge import attach_sync

        # pypinyin's dictionaries take ~1 s to load: on their own thread, so the first search
        # does not pay for it.
        threading.Thread(target=prepare_search, name="prepare-search", daemon=True).start()
        refresh_points_rules(window, db)
        self.printer = attach_printer(window, db)
        self.printer.start()
        self.sync = attach_sync(window, engine) if engine is not None else None
        if self.sync is not None:
            self.sync.start()
        self.upkeep = attach_payment_upkeep(window, self.printer, self.sync)

    def stop(self) -> None:
        if self.sync is not None:
            self.sync.stop()  # first: its last status would ask the payment upkeep for a round
        if self.upkeep is not None:
            self.upkeep.stop()
        if self.printer is not None:
            self.printer.stop()


def run_gui(
    db: Database, *, demo: bool, engine: SyncEngine | None = None, print_ready: bool = False
) -> int:
    """Run the till until its window closes; returns the exit code. Nothing but the first screen
    comes before it is painted; the printer, sync, payment upkeep and search preparation start
    right after, on their threads (then READY on stdout if print_ready, for bench startup)."""
    app = make_application()
    GuiThreadCollector(app)
    if needs_setup(db) and not run_setup_wizard(db):
        return 0
    window = build_window(db, demo=demo)
    window.devices.start()
    show_main_window(window, db)
    log.info("till window shown")
    display = window.customer_display
    if display is not None:
        second = QGuiApplication.screens()[1]
        display.setGeometry(second.availableGeometry())
        display.showFullScreen()
    workers = _Workers()

    def first_screen_painted() -> None:
        window.repaint()
        workers.start(window, db, engine)
        if print_ready:
            print("READY", flush=True)

    QTimer.singleShot(0, first_screen_painted)
    signals = quit_on_signals(app)
    QuitWhenClosed(app, window)
    code = int(app.exec())
    signals.stop()
    restore_default_signals()
    log.info("till stopping")
    close_other_windows(app, window)
    workers.stop()
    window.dispose()
    log.info("till stopped")
    return code
