"""Starting the GUI: the QApplication with a CJK font, then the till in two stages. The first
screen (the log-in page, ui/first_screen.py) is painted before anything else loads; the rest of
the till loads on a thread meanwhile, then its main window takes the page over
(ui/till_window.py). The entry point is run_gui()."""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.resources import APP_ICON
from pos_app.services.first_view import read_first_view
from pos_app.ui.first_screen import FirstScreen, show_till_window
from pos_app.ui.i18n import tr
from pos_app.ui.language import use_language
from pos_app.ui.qt import QApplication, QEventLoop, QFont, QFontDatabase, QIcon, QObject, Signal

if TYPE_CHECKING:
    from pos_app.ui.till_window import EngineMaker

log = logging.getLogger(__name__)
CJK_FAMILIES = ("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei")
BASE_POINT_SIZE = 11
TILL_MODULE = "pos_app.ui.till_window"  # the second stage, and all it imports


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


def run_gui(
    path: Path,
    *,
    demo: bool,
    sync_engine: EngineMaker | None = None,
    print_ready: bool = False,
) -> int:
    """Run the till on the database at path (at this version's schema) until its window
    closes; returns the exit code. READY on stdout once the first screen is painted if
    print_ready (bench startup), LOADED once the main window has taken it over."""
    app = make_application()
    view = read_first_view(path)
    first: FirstScreen | None = None
    if view is not None:
        use_language(view.language)
        first = FirstScreen(demo=demo)
        show_till_window(first, maximised=view.maximised)
        first.repaint()
        log.info("first screen shown")
        if print_ready:
            print("READY", flush=True)
    import_meanwhile(TILL_MODULE)
    if first is not None and not first.isVisible():
        return 0  # closed before the till had loaded
    from pos_app.ui.till_window import run_till

    return run_till(app, path, first, demo=demo, sync_engine=sync_engine, print_ready=print_ready)


class _Imported(QObject):
    done = Signal()


def import_meanwhile(name: str) -> None:
    """Import the module name on a thread while the GUI thread goes on painting and taking
    keys: an import lets other threads run between its bytecodes, and this thread's event loop
    waits for the GIL only then."""
    loop = QEventLoop()
    imported = _Imported()
    imported.done.connect(loop.quit)  # queued: emitted on the loading thread
    failures: list[BaseException] = []

    def load() -> None:
        try:
            importlib.import_module(name)
        except BaseException as error:  # raised again on the GUI thread
            failures.append(error)
        finally:
            imported.done.emit()

    thread = threading.Thread(target=load, name="loading", daemon=True)
    thread.start()
    loop.exec()
    thread.join()
    if failures:
        raise failures[0]
