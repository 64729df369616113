"""Keyboard-wedge scanner input for the whole application (DESIGN §3).

A scanner types 7-16 ms per key and ends with Enter; a person types about 200 ms per key. The
ScannerFilter, installed on the QApplication, watches every key press before any widget sees it,
times it with ScanBurstDetector and swallows keystrokes that arrive as a burst, wherever focus
is, so a scan never lands as text in a search box or a quantity field. The first keystrokes of a
burst cannot be told from typing and do reach the focused widget; once the burst is recognised
they are taken back out of a line edit. On Enter the code is emitted with `scanned`.

ScanRouter decides who gets the code: the sale screen by default, or the dialog on top that
takes scans (payment code, member code, receipt).

Everything here runs on the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from pos_app.domain.scan import ScanBurstDetector
from pos_app.ui.qt import (
    QApplication,
    QEvent,
    QKeyEvent,
    QLineEdit,
    QObject,
    Qt,
    Signal,
    cpp_address,
    is_alive,
)

KeyClock = Callable[[QKeyEvent], float]
SWALLOW_FROM_CHAR = 3  # a burst is taken from its third keystroke on; two may leak and are undone
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def monotonic_ms(_event: QKeyEvent) -> float:
    """The default clock: when the key press reached the application, in milliseconds."""
    return time.monotonic() * 1000.0


@dataclass
class _Run:
    """Keystrokes of the current run and where they went: `leaked` reached the widget (not yet
    known to be a burst), `taken` were kept from it (swallowed, or taken back out)."""

    widget: QObject | None = None
    leaked: str = ""
    taken: str = ""
    last_ms: float = 0.0
    before: tuple[str, int, int, int] | None = None  # line edit text, cursor, selection start/len


class ScannerFilter(QObject):
    """Application-wide event filter that turns scanner bursts into `scanned(code)`."""

    scanned = Signal(str)

    def __init__(self, *, clock: KeyClock = monotonic_ms, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.detector = ScanBurstDetector()
        self._run = _Run()
        self._last_delivery = (0, 0)  # (event address, address of the widget it goes to next)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyRelease:
            self._last_delivery = (0, 0)
            return False
        if kind != QEvent.Type.KeyPress or not obj.isWidgetType():
            return False
        if self._is_propagation(obj, event):
            return False  # the same press travelling up to a parent: already judged
        assert isinstance(event, QKeyEvent)
        return self._judge(obj, event)

    def _is_propagation(self, obj: QObject, event: QEvent) -> bool:
        """Qt hands an ignored key press on to the parent widget and the application filter
        sees it again; recognise that delivery by the event and the widget it goes to."""
        seen = (cpp_address(event), cpp_address(obj))
        again = seen == self._last_delivery
        self._last_delivery = (seen[0], cpp_address(obj.parent()))
        return again

    def _judge(self, obj: QObject, event: QKeyEvent) -> bool:
        """Decide about one key press; True swallows it."""
        t_ms = self.clock(event)
        if event.key() in _ENTER_KEYS:
            return self._on_enter(t_ms)
        text = event.text()
        if not text or not text.isprintable() or event.modifiers() & _COMMAND_MODIFIERS:
            return False
        if t_ms - self._run.last_ms > self.detector.max_interval_ms:
            self._give_back()  # a pause: what came before was typed, or a scan without Enter
        self._run.last_ms = t_ms
        self.detector.feed(text, t_ms)
        if len(self.detector.pending()) >= SWALLOW_FROM_CHAR and self.detector.is_in_burst(t_ms):
            self._take_back_leaked()
            self._run.taken += text
            return True
        if self._run.taken or self._run.widget is not obj:
            self._give_back(keep_detector=True)
            self._run.widget = obj
        if not self._run.leaked and isinstance(obj, QLineEdit):
            self._run.before = (
                obj.text(),
                obj.cursorPosition(),
                obj.selectionStart(),
                len(obj.selectedText()),
            )
        self._run.leaked += text
        return False

    def _on_enter(self, t_ms: float) -> bool:
        code = self.detector.enter(t_ms)
        if code is None:
            self._give_back()
            return False
        self._run = _Run()
        self.scanned.emit(code)
        return True

    def _take_back_leaked(self) -> None:
        """Put the line edit the first keystrokes of a burst went into back as it was before
        them (text, cursor and selection: a leaked key may have replaced selected text)."""
        run = self._run
        edit = run.widget
        if run.leaked and run.before and isinstance(edit, QLineEdit) and is_alive(edit):
            text, cursor, selection_start, selection_length = run.before
            edit.setText(text)
            if selection_start >= 0:
                edit.setSelection(selection_start, selection_length)
            else:
                edit.setCursorPosition(cursor)
        run.taken += run.leaked
        run.leaked = ""

    def _give_back(self, *, keep_detector: bool = False) -> None:
        """Keystrokes kept from a run that turned out not to be a scan go back into the line
        edit they were typed into, so fast typing is never lost."""
        run = self._run
        if run.taken and isinstance(run.widget, QLineEdit) and is_alive(run.widget):
            run.widget.insert(run.taken)
        self._run = _Run(last_ms=run.last_ms)
        if not keep_detector:
            self.detector.reset()


_COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


ScanHandler = Callable[[str], None]


class ScanRouter:
    """Who receives scanned codes: the newest pushed handler, else the default one."""

    def __init__(self, default: ScanHandler) -> None:
        self._default = default
        self._stack: list[ScanHandler] = []

    def push(self, handler: ScanHandler) -> None:
        self._stack.append(handler)

    def remove(self, handler: ScanHandler) -> None:
        if handler in self._stack:
            self._stack.remove(handler)

    def route(self, code: str) -> None:
        (self._stack[-1] if self._stack else self._default)(code)
