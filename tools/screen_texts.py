"""What a screen shows in words: the texts of its visible labels, buttons, fields, tables, tabs
and titles, so a test can check that a zh_CN screen shows no English word."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

Texts = dict[str, list[str]]  # shot name -> the texts it shows (or what does not fit)

# Key names, units and marks a Chinese till shows as they are.
ALLOWED_WORDS = frozenset(
    {
        "F", "Esc", "Ctrl", "Shift", "Tab", "Enter", "Alt", "Y", "Z", "X", "PIN", "POS", "QR",
        "PLU", "ST", "GS", "CSV", "Excel", "PDF", "kg", "g", "ml", "mL", "L", "mm", "cm", "Wi",
        "Fi", "NFC", "SKU", "ID", "KB", "MB", "GB",
    }
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z]{2,}")
_CODE = re.compile(
    r"[a-z]+://[^\s，、;；]*|[0-9,-]+:[A-Z]+|\b[A-Za-z]*\d[\w-]*\b"
)  # URIs, layouts, T01-000001


def visible_texts(root: QWidget) -> list[str]:
    """Every text root and its visible children show (window title included)."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        texts.extend(_texts_of(widget))
    return [text for text in texts if text]


def _texts_of(widget: QWidget) -> Iterable[str]:
    if isinstance(widget, QLabel | QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QLineEdit):  # what is typed is the user's, the hint is ours
        yield widget.placeholderText()
    elif isinstance(widget, QComboBox):
        yield widget.currentText()
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QTabBar):
        yield from (widget.tabText(n) for n in range(widget.count()))
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        yield from _model_texts(widget)
    yield widget.toolTip()


def _model_texts(view: QAbstractItemView) -> Iterable[str]:
    model = view.model()
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model hides columnCount
        columns = 1
    for column in range(columns):
        yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")
    for row in range(min(model.rowCount(), 50)):
        for column in range(columns):
            yield str(model.index(row, column).data() or "")


def english_words(texts: Iterable[str], *, names: Iterable[str] = ()) -> set[str]:
    """ASCII words in texts that are not a product name, a number, a code, an allowed mark or
    what the user typed (quoted “like this” in messages)."""
    known = sorted({name for name in names if name}, key=len, reverse=True)
    found: set[str] = set()
    for text in texts:
        plain = re.sub(r"<[^>]+>|“[^”]*”", " ", text)  # rich-text tags, “what was typed”
        for name in known:
            plain = plain.replace(name, " ")
        plain = _CODE.sub(" ", plain)
        found.update(w for w in _WORD.findall(plain) if w not in ALLOWED_WORDS)
    return found
