"""Quitting the till cleanly: Ctrl+C in the terminal, SIGTERM from the system (log-off, service
stop, `kill`) and closing the window all end the same way, with the workers stopped in order and
no traceback.

While Qt's event loop waits, the Python interpreter does not run, so a signal handler would only
run at the next Python call (Ctrl+C "ignored" until something happens); a short timer lets it
run at once. The handler only asks the event loop to quit, from the loop itself: a handler
runs wherever the main thread was (inside a thread pool's submit, say), and Qt 6's quit() closes
the windows at once, whose close stops that same pool (a deadlock seen in the bundle when
SIGTERM came during start-up). run_gui() then closes the other windows (the back office stops
its report process) and stops the workers.
"""

from __future__ import annotations

import logging
import signal
from types import FrameType

from pos_app.ui.qt import QApplication, QEvent, QObject, QTimer, QWidget, is_alive

log = logging.getLogger(__name__)
SIGNAL_POLL_MS = 200
QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def quit_on_signals(app: QApplication) -> QTimer:
    """Install the handlers; keep the returned timer alive as long as the loop runs."""

    def request_quit(signum: int, _frame: FrameType | None) -> None:
        log.info("%s received: quitting", signal.Signals(signum).name)
        QTimer.singleShot(0, app.quit)

    for number in QUIT_SIGNALS:
        signal.signal(number, request_quit)
    timer = QTimer()
    timer.timeout.connect(lambda: None)  # returns to Python, which runs pending handlers
    timer.start(SIGNAL_POLL_MS)
    return timer


def restore_default_signals() -> None:
    """After the loop: a second Ctrl+C during the orderly stop ends the process at once."""
    for number in QUIT_SIGNALS:
        signal.signal(number, signal.SIG_DFL)


class QuitWhenClosed(QObject):
    """Closing the till window quits the till, even while the back office is open (Qt would
    keep running until the last window closes). A close the window refused keeps it running."""

    def __init__(self, app: QApplication, window: QWidget) -> None:
        super().__init__(window)
        self.app = app
        self.window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self._quit_if_closed)
        return False

    def _quit_if_closed(self) -> None:
        if not is_alive(self.window):
            return  # disposed by run_gui (a quit already under way, or a restart)
        if not self.window.isVisible():
            self.app.quit()


def close_other_windows(app: QApplication, main: QWidget) -> None:
    """Close every other top-level window (the back office shuts its report process down)."""
    for widget in app.topLevelWidgets():
        if widget is not main and widget.isVisible():
            widget.close()
