"""What closing the till window (×, Alt+F4) does with a cart on the screen: the cashier chooses
to hold it (挂单, it survives a restart), to void it with an approval (journaled, as
整单作废), or to stay. Nothing on the screen disappears without one of those."""

from __future__ import annotations

from enum import Enum

from pos_app.domain.cart import Cart
from pos_app.domain.money import format_fen
from pos_app.ui.i18n import tr
from pos_app.ui.qt import QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from pos_app.ui.widgets import KeyboardDialog, label


class CloseChoice(Enum):
    HOLD = "hold"
    VOID = "void"
    STAY = "stay"


class CloseWithCartDialog(KeyboardDialog):
    """Asks what becomes of the cart; Enter holds it (the safe choice has the focus), Esc stays."""

    def __init__(self, parent: QWidget | None, cart: Cart) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("close_title"))
        self.choice = CloseChoice.STAY
        text = tr("close_cart_text", n=cart.item_count, total=format_fen(cart.total_fen))
        buttons = QHBoxLayout()
        self.buttons: dict[CloseChoice, QPushButton] = {}
        for choice, key in (
            (CloseChoice.HOLD, "close_hold"),
            (CloseChoice.VOID, "close_void"),
            (CloseChoice.STAY, "close_stay"),
        ):
            button = QPushButton(tr(key))
            button.setObjectName(f"close_{choice.value}")
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            buttons.addWidget(button)
            self.buttons[choice] = button
        layout = QVBoxLayout(self)
        layout.addWidget(label(text, point_size=14))
        layout.addLayout(buttons)
        self.buttons[CloseChoice.HOLD].setFocus()

    def _choose(self, choice: CloseChoice) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, cart: Cart) -> CloseChoice:
        dialog = cls(parent, cart)
        dialog.exec()
        return dialog.choice
