"""The sale screen's function keys: which key runs which action, and the key bar of buttons
(every action has an F-key and an on-screen button; a few keys have no button)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.ui.i18n import tr
from pos_app.ui.qt import QGridLayout, QKeySequence, QPushButton, QShortcut, QSizePolicy, Qt

if TYPE_CHECKING:  # the sale screen imports this module
    from pos_app.ui.sale_screen import SaleScreen


@dataclass(frozen=True)
class FunctionKey:
    key: str  # QKeySequence text, e.g. "F12"
    text_key: str  # i18n key of the button text
    action: str  # name of the SaleScreen method


NO_SALE_KEY = "Ctrl+D"  # no button: the key bar is full at 1024 px; F1 lists it
TOP_UP_KEY = "Shift+F4"  # 会员充值, beside F4 会员; no button either
FUNCTION_KEYS = (
    FunctionKey("F1", "key_help", "show_help"),
    FunctionKey("F2", "key_search", "open_search"),
    FunctionKey("F3", "key_qty", "change_qty"),
    FunctionKey("F4", "key_member", "open_member"),
    FunctionKey("F5", "key_discount", "open_discount"),
    FunctionKey("F6", "key_hold", "hold_or_recall"),
    FunctionKey("F7", "key_refund", "open_refund"),
    FunctionKey("F8", "key_void", "void_line"),
    FunctionKey("Shift+F8", "key_void_sale", "void_sale"),
    FunctionKey("F9", "key_shift", "open_shift"),
    FunctionKey("F10", "key_settings", "open_settings"),
    FunctionKey("F11", "key_pickup", "open_pickup"),
    FunctionKey("Ctrl+P", "key_reprint", "open_reprint"),
    FunctionKey("F12", "key_pay", "open_payment"),
    FunctionKey("Esc", "key_back", "back"),
)


def key_bar(screen: SaleScreen) -> QGridLayout:
    """The row of key buttons, each also a shortcut on the screen; the buttons are kept in
    screen.key_buttons by action name."""
    bar = QGridLayout()
    bar.setSpacing(4)
    for column, fkey in enumerate(FUNCTION_KEYS):
        button = QPushButton(f"{fkey.key}\n{tr(fkey.text_key)}")
        button.setObjectName(fkey.action)
        button.setMinimumHeight(56)
        button.setMinimumWidth(0)  # 13 keys share 1024 px: let the grid size them evenly
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        action = getattr(screen, fkey.action)
        button.clicked.connect(action)
        shortcut = QShortcut(QKeySequence(fkey.key), screen)
        shortcut.activated.connect(action)
        bar.addWidget(button, 0, column)
        screen.key_buttons[fkey.action] = button
    QShortcut(QKeySequence("Ctrl+L"), screen).activated.connect(screen.lock_requested)
    QShortcut(QKeySequence(NO_SALE_KEY), screen).activated.connect(screen.open_drawer)
    QShortcut(QKeySequence(TOP_UP_KEY), screen).activated.connect(screen.top_ups.open)
    return bar
