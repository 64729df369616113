"""Small building blocks shared by the till's screens: a form dialog with an inline error line,
styled labels, the warning beep, and quantity text for units and weights."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from pos_app.ui.i18n import InputError, error_text, tr
from pos_app.ui.qt import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QShowEvent,
    Qt,
    QVBoxLayout,
    QWidget,
)

GRAMS_PER_KG = 1000
ERROR_STYLE = "color: #b00020; font-weight: bold;"
OK_STYLE = "color: #1b5e20;"


def label(text: str = "", *, point_size: int = 0, bold: bool = False, name: str = "") -> QLabel:
    """A QLabel with an optional font size, weight and objectName (tests find labels by name)."""
    widget = QLabel(text)
    font = widget.font()
    if point_size:
        font.setPointSize(point_size)
    font.setBold(bold)
    widget.setFont(font)
    if name:
        widget.setObjectName(name)
    return widget


def combo(name: str, items: list[tuple[str, object]], current: object) -> QComboBox:
    """A named QComboBox of (text, value) items with `current` chosen (else the first)."""
    box = QComboBox()
    box.setObjectName(name)
    for text, value in items:
        box.addItem(text, value)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


def show_message(target: QLabel, text: str, *, error: bool) -> None:
    """Show a non-modal message; an error also beeps."""
    target.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
    target.setText(text)
    if error:
        QApplication.beep()


def qty_text(qty: int, *, weighed: bool) -> str:
    """Units as a whole number, grams as kilograms with three decimals: 350 -> "0.350 kg"."""
    if not weighed:
        return str(qty)
    kg, grams = divmod(qty, GRAMS_PER_KG)
    return tr("qty_kg", kg=f"{kg}.{grams:03d}")


def parse_qty(text: str, *, weighed: bool, in_kg: bool) -> int:
    """Read a typed quantity: whole units, or a weight in grams or kilograms (-> grams)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InputError(tr("bad_qty")) from None
    if weighed and in_kg:
        value *= GRAMS_PER_KG
    if value != value.to_integral_value() or value <= 0:
        raise InputError(tr("bad_qty"))
    return int(value)


_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class KeyboardDialog(QDialog):
    """A dialog whose Enter belongs to the widget with focus: a field's Enter does what that
    field says and a focused button's Enter presses it. Enter never falls through to a default
    button the cashier did not choose (a typed ¥100 + Enter once also pressed 正好)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER_KEYS:
            event.accept()
            return
        super().keyPressEvent(event)


_FIELDS = (QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView)


class FormDialog(QDialog):
    """A dialog with a form, an inline error line and OK/Cancel. Subclasses fill `form` and
    implement apply(), which raises to refuse OK; the error is shown in the dialog."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = label(name="error")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("ok"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("cancel"))
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def apply(self) -> None:
        raise NotImplementedError

    def first_field(self) -> QWidget | None:
        """The form's first field a cashier types into or picks from (not a label, not a
        button): where the keyboard goes when the dialog opens."""
        for row in range(self.form.rowCount()):
            for role in (QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.SpanningRole):
                item = self.form.itemAt(row, role)
                widget = item.widget() if item is not None else None
                if isinstance(widget, _FIELDS) and widget.isEnabled():
                    return widget
        return None

    def showEvent(self, event: QShowEvent) -> None:
        """Open with the keyboard in the first field, not on 确定: F3, 3, Enter sets 3."""
        super().showEvent(event)
        field = self.first_field()
        if field is not None:
            field.setFocus(Qt.FocusReason.TabFocusReason)

    def _on_ok(self) -> None:
        try:
            self.apply()
        except Exception as error:  # shown to the cashier; the dialog stays open
            show_message(self.error, error_text(error), error=True)
            return
        self.accept()


def center_text(widget: QLabel) -> QLabel:
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget


WAIT_TIMEOUT_S = 10.0


def wait_until(done: Callable[[], bool], *, timeout_s: float = WAIT_TIMEOUT_S) -> None:
    """Let Qt run until done() is true (background results arrive through the event loop); for
    scripted runs (screenshots, the startup probe), never inside the running app."""
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get ready in time")
        QApplication.processEvents()
        time.sleep(0.005)
