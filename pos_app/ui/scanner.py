"""Keyboard-wedge scanner input for the whole application (DESIGN §3).

A scanner types 7-16 ms per key and ends with Enter; a person types about 200 ms per key. The
ScannerFilter, installed on the QApplication, watches every key press before any widget sees it,
times it with ScanBurstDetector and swallows keystrokes that arrive as a burst, wherever focus
is, so a scan never lands as text in a search box or a quantity field. The first keystrokes of a
burst cannot be told from typing and do reach the focused widget; once the burst is recognised
they are taken back out of the text box (line edit, spin box, editable combo box, plain-text
box, a table's cell editor). On Enter the code is emitted with `scanned`; a burst followed by
FLUSH_AFTER_MS without a key is emitted too (a scanner set up without a trailing Enter).

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
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QEvent,
    QKeyEvent,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    Qt,
    QTextCursor,
    QTimer,
    QWidget,
    Signal,
    cpp_address,
    is_alive,
)

KeyClock = Callable[[QKeyEvent], float]
FLUSH_AFTER_MS = 300  # a burst then this long without a key: the scan ended without Enter
SWALLOW_FROM_CHAR = 3  # a burst is taken from its third keystroke on; two may leak and are undone
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
TextBox = QLineEdit | QPlainTextEdit


def monotonic_ms(_event: QKeyEvent) -> float:
    """The default clock: when the key press reached the application, in milliseconds."""
    return time.monotonic() * 1000.0


def text_box(widget: QObject | None) -> TextBox | None:
    """Where a key press on widget types its text: the widget itself, or the line edit inside a
    spin box or an editable combo box; None for widgets that hold no typed text."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return widget
    if isinstance(widget, QAbstractSpinBox | QComboBox):
        return widget.findChild(QLineEdit)
    return None


@dataclass(frozen=True)
class _TextState:
    """A text box's text, selection anchor and cursor position."""

    text: str
    anchor: int
    position: int

    @classmethod
    def of(cls, box: TextBox) -> _TextState:
        if isinstance(box, QPlainTextEdit):
            cursor = box.textCursor()
            return cls(box.toPlainText(), cursor.anchor(), cursor.position())
        position = box.cursorPosition()
        if not box.hasSelectedText():
            return cls(box.text(), position, position)
        start = box.selectionStart()
        end = start + len(box.selectedText())
        return cls(box.text(), end if position == start else start, position)

    def restore(self, box: TextBox) -> None:
        if isinstance(box, QPlainTextEdit):
            box.setPlainText(self.text)
            cursor = box.textCursor()
            cursor.setPosition(self.anchor)
            cursor.setPosition(self.position, QTextCursor.MoveMode.KeepAnchor)
            box.setTextCursor(cursor)
        else:
            box.setText(self.text)
            box.setSelection(self.anchor, self.position - self.anchor)


def _insert(box: TextBox, text: str) -> None:
    if isinstance(box, QPlainTextEdit):
        box.insertPlainText(text)
    else:
        box.insert(text)


@dataclass
class _Run:
    """Keystrokes of the current run and where they went: `leaked` reached the widget (not yet
    known to be a burst), `taken` were kept from it (swallowed, or taken back out)."""

    widget: QObject | None = None
    leaked: str = ""
    taken: str = ""
    last_ms: float = 0.0
    before: _TextState | None = None  # the text box as it was before the leaked keys


@dataclass(frozen=True)
class _Press:
    """The key press Qt is delivering: one press may reach several widgets."""

    identity: tuple[int, int, str, int, int]
    widget: QObject


def _identity(event: QKeyEvent) -> tuple[int, int, str, int, int]:
    modifiers = event.modifiers().value
    return (cpp_address(event), event.key(), event.text(), modifiers, event.timestamp())


class ScannerFilter(QObject):
    """Application-wide event filter that turns scanner bursts into `scanned(code)`."""

    scanned = Signal(str)

    def __init__(self, *, clock: KeyClock = monotonic_ms, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.detector = ScanBurstDetector()
        self._run = _Run()
        self._press: _Press | None = None
        self._idle = QTimer(self, singleShot=True, interval=FLUSH_AFTER_MS)
        self._idle.timeout.connect(self._flush)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyRelease:
            self._press = None
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(obj, QWidget):
            return False
        assert isinstance(event, QKeyEvent)
        if self._is_redelivery(obj, event):
            self._follow_into(obj)
            return False  # the same press again: judged once, where it first arrived
        return self._judge(obj, event)

    def _is_redelivery(self, obj: QWidget, event: QKeyEvent) -> bool:
        """Qt hands one key press on to the parent when a widget ignores it, and an item view
        forwards the press that opens a cell editor into that editor; the application filter
        sees each delivery. They are the same event object on the same parent chain."""
        press, identity = self._press, _identity(event)
        if press is not None and press.identity == identity and is_alive(press.widget):
            first = press.widget
            assert isinstance(first, QWidget)
            if obj is first or obj.isAncestorOf(first) or first.isAncestorOf(obj):
                return True
        self._press = _Press(identity, obj)
        return False

    def _follow_into(self, obj: QWidget) -> None:
        """The press judged on an item view went on into the cell editor it opened: the run's
        keys are typed into that editor from now on, so that is where they are taken back from
        or given back to."""
        run, box = self._run, text_box(obj)
        if box is None or self._press is None or run.widget is not self._press.widget:
            return
        if text_box(run.widget) is None:
            run.widget, run.before = obj, _TextState.of(box)

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
            self._idle.start()  # a scanner set up without Enter: the pause ends the code
            return True
        if self._run.taken or self._run.widget is not obj:
            self._give_back(keep_detector=True)
            self._run.widget = obj
        box = text_box(obj)
        if not self._run.leaked and box is not None:
            self._run.before = _TextState.of(box)
        self._run.leaked += text
        return False

    def _flush(self) -> None:
        """No key for FLUSH_AFTER_MS after a burst: a scan without a trailing Enter is still a
        scan (never lost); a run that is no scan goes back where it was typed."""
        code = self.detector.enter(self._run.last_ms)
        if code is None:
            self._give_back()
            return
        self._run = _Run()
        self.scanned.emit(code)

    def _on_enter(self, t_ms: float) -> bool:
        self._idle.stop()
        code = self.detector.enter(t_ms)
        if code is None:
            self._give_back()
            return False
        self._run = _Run()
        self.scanned.emit(code)
        return True

    def _take_back_leaked(self) -> None:
        """Put the text box the first keystrokes of a burst went into back as it was before
        them (text, cursor and selection: a leaked key may have replaced selected text)."""
        run = self._run
        box = text_box(run.widget) if is_alive(run.widget) else None
        if run.leaked and run.before and box is not None:
            run.before.restore(box)
        run.taken += run.leaked
        run.leaked = ""

    def _give_back(self, *, keep_detector: bool = False) -> None:
        """Keystrokes kept from a run that turned out not to be a scan go back into the text
        box they were typed into, so fast typing is never lost."""
        self._idle.stop()
        run = self._run
        box = text_box(run.widget) if is_alive(run.widget) else None
        if run.taken and box is not None:
            _insert(box, run.taken)
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
