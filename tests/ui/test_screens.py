"""Every screen renders to a 1024×768 PNG, and the key pieces of the screens fit that size."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from pos_app.store.db import Database
from pos_app.store.settings import set_setting
from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QImage, Qt
from pos_app.ui.till import bootstrap
from pos_app.ui.till_window import build_window, show_main_window
from tests.ui.conftest import new_writer
from tools.screen_texts import Texts
from tools.screenshots import capture_demo

SCREENS = [
    "01-login",
    "02-sale",
    "03-search",
    "04-payment",
    "05-refund",
    "06-shift-close",
    "07-settings",
    "08-permissions",
    "09-approval",
    "10-customer-display",
]


def test_capture_demo_writes_every_screen_at_1024_by_768(qtbot: QtBot, tmp_path: Path) -> None:
    """The screenshot run on a scratch demo store writes each screen, main screens 1024×768;
    every window and dialog fits the screen, no widget lies outside it, no text is cut short."""
    texts: Texts = {}
    shots = capture_demo(tmp_path / "screens", skus=300, texts=texts)
    assert [path.stem for path in shots] == SCREENS
    assert {shot: texts[f"fit:{shot}"] for shot in SCREENS} == {shot: [] for shot in SCREENS}
    for path in shots[:-1]:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1024, 768), path.name
    shown = texts["10-customer-display"]  # the cart the customer pays for, not an empty one
    assert "¥0.00" not in shown and any(text.startswith("¥") for text in shown)


def test_the_sale_screen_fits_1024_by_768(window: MainWindow) -> None:
    """The main window does not need more than 1024×768 (13 function keys included)."""
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768


def test_the_till_window_starts_maximised_unless_the_setting_says_not(
    qtbot: QtBot, db: Database
) -> None:
    """window_maximised (default on) maximises the window at start; off shows it normal."""
    window = build_window(bootstrap(db, new_writer()))
    qtbot.addWidget(window)
    show_main_window(window)
    assert window.windowState() & Qt.WindowState.WindowMaximized
    with db.write() as session:
        set_setting(session, "window_maximised", False)
    again = build_window(bootstrap(db, new_writer()))
    qtbot.addWidget(again)
    show_main_window(again)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
