"""Guards against the PySide6 6.12.0 bug that made every emit() eat a reference to True and
abort the till mid-shift (pyproject pins pyside6<6.12)."""

from __future__ import annotations

import sys

from pos_app.ui.qt import QObject, Signal


class _Emitter(QObject):
    bare = Signal()
    with_value = Signal(object)


def test_emitting_many_signals_leaves_true_intact() -> None:
    """Ten thousand emits leave True's reference count in place (the bug takes one per emit)."""
    emitter = _Emitter()
    emitter.with_value.connect(lambda _value: None)
    before = sys.getrefcount(True)
    for _ in range(5000):
        emitter.bare.emit()
        emitter.with_value.emit(1)
    assert abs(sys.getrefcount(True) - before) < 100
