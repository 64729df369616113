"""Garbage collection on the GUI thread only.

Python collects reference cycles on whichever thread happens to allocate when a generation's
threshold is crossed. A cycle that holds a Qt object (a dialog and the lambda connected to its
signal) collected on the sync, print or operation thread destroys that object off the GUI thread,
which Qt does not allow and which crashed test processes (a segmentation fault inside the
collector on a server thread). So the automatic collector is switched off and a timer on the GUI
thread collects in its place, by the same thresholds (calibre does the same for the same reason).
"""

from __future__ import annotations

import gc

from pos_app.ui.qt import QObject, QTimer

CHECK_INTERVAL_MS = 1000


def collect_due_generation() -> int | None:
    """Collect the oldest generation whose count has passed its threshold, as the automatic
    collector would; returns the generation collected, or None when none was due."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [generation for generation in range(3) if counts[generation] > thresholds[generation]]
    if not due:
        return None
    gc.collect(due[-1])
    return due[-1]


class GuiThreadCollector(QObject):
    """Owns the timer; keep it alive as long as the application runs."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_due_generation)
        self._timer.start(CHECK_INTERVAL_MS)

    @staticmethod
    def freeze_startup_objects() -> None:
        """What is alive once the first screen is painted (modules, classes, the window) lives
        as long as the till: moved out of the collector's sight, so that each later full
        collection walks only what the day created instead of every object of start-up. The
        till thaws them when it stops (a restore starts it again in the same process)."""
        gc.freeze()

    @staticmethod
    def thaw() -> None:
        gc.unfreeze()
