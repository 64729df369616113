"""Weighing a weighed product at the counter from the live scale reading (GUI thread).

The dialog shows the scale's weight as it moves (read from Scale.state() by a timer: the scale's
own thread does the reading, nothing here waits). Enter books the weight once the scale reports
it stable; if it does not settle within the store's limit it is refused with a message, never
guessed. P does the same but asks for a weighed-goods label instead of booking (a weighing
counter). Z zeroes and T tares the scale; Esc cancels. Scans are held off while it is open.
"""

from __future__ import annotations

import time

from pos_app.domain.cart_line import GRAMS_PER_KG, ProductInfo
from pos_app.domain.money import format_fen, mul_div_half_up
from pos_app.hardware.devices import DeviceStatus
from pos_app.hardware.scale import Scale, ScaleKey, ScaleState
from pos_app.ui.i18n import tr
from pos_app.ui.qt import (
    QDialog,
    QHBoxLayout,
    QKeyEvent,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.scanner import ScanRouter
from pos_app.ui.widgets import label, qty_text, show_message

TICK_MS = 100


def reading_problem(state: ScaleState) -> str:
    """Why the scale's state cannot be booked, in the cashier's words ("" if it can)."""
    if state.status is not DeviceStatus.READY:
        return tr(f"device_{state.status.value}")
    reading = state.reading
    if reading is None:
        return tr("weigh_waiting")
    if reading.fault is not None:
        return tr(f"fault_{reading.fault.value}")
    if not reading.stable or reading.weight_g is None:
        return tr("weigh_waiting")
    if reading.weight_g <= 0:
        return tr("weigh_empty")
    return ""


class WeighDialog(QDialog):
    """Weighs one product; `booked(grams)` or `label_requested(grams)` fires once, then the
    dialog closes."""

    booked = Signal(int)
    label_requested = Signal(int)

    def __init__(
        self,
        parent: QWidget | None,
        *,
        scale: Scale,
        product: ProductInfo,
        settle_s: int,
        router: ScanRouter,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("weigh_title"))
        self.scale, self.product, self.settle_s, self.router = scale, product, settle_s, router
        self._confirm_at: float | None = None  # when Enter was pressed, while waiting to settle
        self._for_label = False  # what a settled weight is for: the cart, or a label
        price = format_fen(product.price_fen)
        self.weight = label(tr("weigh_no_reading"), point_size=40, bold=True, name="weight")
        self.state_text = label(name="weigh_state")
        self.amount = label(name="weigh_amount", point_size=18)
        self.message = label(tr("weigh_hint"), name="weigh_message")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label(tr("weigh_for", name=product.name, price=price), bold=True))
        for widget in (self.weight, self.state_text, self.amount, self.message):
            layout.addWidget(widget)
        layout.addLayout(self._keys())
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumWidth(460)
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        router.push(self._on_scan)
        self.finished.connect(lambda _: self._done())
        QTimer.singleShot(0, self.setFocus)  # the keys (Enter, Z, T, Esc) come to the dialog
        self._tick()

    def _keys(self) -> QHBoxLayout:
        keys = QHBoxLayout()
        for text_key, action in (
            ("weigh_zero_key", lambda: self.scale.press(ScaleKey.ZERO)),
            ("weigh_tare_key", lambda: self.scale.press(ScaleKey.TARE)),
            ("weigh_ok_key", self.confirm),
            ("weigh_label_key", self.confirm_label),
            ("weigh_cancel_key", self.reject),
        ):
            button = QPushButton(tr(text_key))
            button.setObjectName(text_key)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
            button.clicked.connect(action)
            keys.addWidget(button)
        return keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm()
        elif key == Qt.Key.Key_Z:
            self.scale.press(ScaleKey.ZERO)
        elif key == Qt.Key.Key_T:
            self.scale.press(ScaleKey.TARE)
        elif key == Qt.Key.Key_P:
            self.confirm_label()
        else:
            super().keyPressEvent(event)

    def confirm(self) -> None:
        """Book the weight now if it is stable, else wait up to settle_s for it."""
        self._wait_for_weight(for_label=False)

    def confirm_label(self) -> None:
        """As confirm(), but the settled weight goes on a label instead of into the cart."""
        self._wait_for_weight(for_label=True)

    def _wait_for_weight(self, *, for_label: bool) -> None:
        self._for_label = for_label
        self._confirm_at = time.monotonic()
        self._tick()

    def _on_scan(self, _code: str) -> None:
        show_message(self.message, tr("weigh_scan_blocked"), error=True)

    def _tick(self) -> None:
        state = self.scale.state()
        self._show(state)
        if self._confirm_at is None:
            return
        problem = reading_problem(state)
        if not problem and state.reading is not None and state.reading.weight_g is not None:
            self._confirm_at = None
            outcome = self.label_requested if self._for_label else self.booked
            outcome.emit(state.reading.weight_g)
            self.accept()
        elif time.monotonic() - self._confirm_at >= self.settle_s:
            self._confirm_at = None
            show_message(self.message, tr("weigh_unsettled", s=self.settle_s), error=True)
        elif problem != tr("weigh_waiting"):
            show_message(self.message, problem, error=True)
        else:
            show_message(self.message, problem, error=False)

    def _show(self, state: ScaleState) -> None:
        reading = state.reading
        if reading is None or reading.weight_g is None:
            self.weight.setText(tr("weigh_no_reading"))
            self.amount.clear()
        else:
            self.weight.setText(qty_text(reading.weight_g, weighed=True))
            amount = mul_div_half_up(self.product.price_fen, max(reading.weight_g, 0), GRAMS_PER_KG)
            self.amount.setText(tr("weigh_amount", amount=format_fen(amount)))
        parts = []
        if reading is not None and reading.weight_g is not None:
            parts.append(tr("weigh_stable") if reading.stable else tr("weigh_motion"))
            if reading.net:
                parts.append(tr("weigh_net"))
        problem = reading_problem(state)
        if problem and problem not in (tr("weigh_waiting"), tr("weigh_empty")):
            parts.append(problem)
        self.state_text.setText("　".join(parts))

    def _done(self) -> None:
        self._timer.stop()
        self.router.remove(self._on_scan)
