"""Does a window fit the till's 1024×768 screen: every visible widget inside its window, the
window (and a dialog with its title bar) inside the screen, no label or button cut short."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QWidget

SCREEN = QRect(0, 0, 1024, 768)
TITLE_BAR_PX = 30  # what a window manager adds above a dialog
BUTTON_PADDING_PX = 4  # a button's frame and margins around its text
MNEMONIC = re.compile(r"&(.)")  # the & before a shortcut letter is not shown ("&&" shows &)


def fit_problems(window: QWidget, *, titled: bool = False) -> list[str]:
    """What does not fit, one line each (empty when all fits). titled: a dialog whose title
    bar must fit on the screen too."""
    height = window.height() + (TITLE_BAR_PX if titled else 0)
    problems = []
    if window.width() > SCREEN.width() or height > SCREEN.height():
        problems.append(f"{_name(window)} is {window.width()}×{height}, larger than the screen")
    inside = window.rect()
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not widget.isVisibleTo(window):
            continue  # a dialog over the window is checked on its own
        if _scrolled(widget, window):
            continue
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not inside.contains(rect):
            problems.append(f"{_name(widget)} at {rect.getRect()} lies outside {_name(window)}")
        elif (cut := _cut_short(widget)) is not None:
            problems.append(f"{_name(widget)} «{cut}» is cut short")
    return problems


def _cut_short(widget: QWidget) -> str | None:
    """The text of a label or button that needs more width than it has, else None."""
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    if not text or "<" in text or (isinstance(widget, QLabel) and widget.wordWrap()):
        return None  # rich text and wrapped labels lay themselves out
    shown = MNEMONIC.sub(r"\1", text)  # "打印(&P)" shows as 打印(P)
    need = max(widget.fontMetrics().horizontalAdvance(line) for line in shown.splitlines())
    padding = BUTTON_PADDING_PX if isinstance(widget, QAbstractButton) else 0
    return text if need + padding > widget.contentsRect().width() + 1 else None


def _scrolled(widget: QWidget, window: QWidget) -> bool:
    """Inside a scroll area (a table's editors, a scrolled form): it may scroll out of view."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _name(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__
