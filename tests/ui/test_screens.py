"""Every screen renders to a 1024×768 PNG, and the key pieces of the screens fit that size."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from pos_app.ui.main_window import MainWindow
from pos_app.ui.qt import QImage
from pos_app.ui.screenshots import capture_demo

SCREENS = [
    "01-login",
    "02-sale",
    "03-search",
    "04-payment",
    "05-refund",
    "06-shift-close",
    "07-settings",
    "08-customer-display",
]


def test_capture_demo_writes_every_screen_at_1024_by_768(qtbot: QtBot, tmp_path: Path) -> None:
    """The screenshot run on a scratch demo store writes each screen, main screens 1024×768."""
    shots = capture_demo(tmp_path / "screens", skus=300)
    assert [path.stem for path in shots] == SCREENS
    for path in shots[:-1]:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1024, 768), path.name


def test_the_sale_screen_fits_1024_by_768(window: MainWindow) -> None:
    """The main window does not need more than 1024×768 (13 function keys included)."""
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768
