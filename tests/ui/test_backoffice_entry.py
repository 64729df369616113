"""The back office opens from the till's status bar only with a manager's approval."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from pos_app.services.permissions import Need
from pos_app.ui.context import TillContext
from pos_app.ui.main_window import MainWindow
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.qt import QPushButton, QWidget, is_alive
from tests.conftest import barcode_of


def test_back_office_opens_for_a_manager_and_takes_the_scans(
    qtbot: QtBot, window: MainWindow, manager_approves: list[str]
) -> None:
    """With the manager's PIN the back office opens; while open, scans go to it, not the cart."""
    opened = window.open_backoffice()
    assert opened is not None and opened.isVisible()
    assert manager_approves == ["进入后台管理"]
    assert opened.viewer.can_write
    window.router.route(barcode_of("1001"))
    assert window.sale.model.rowCount() == 0
    opened.close()
    qtbot.waitUntil(lambda: not is_alive(opened))
    window.router.route(barcode_of("1001"))
    assert window.sale.model.rowCount() == 1


def test_back_office_stays_shut_without_approval(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused PIN leaves the till as it was: no back-office window."""

    def refuse(parent: QWidget | None, ctx: TillContext, reason: str, need: Need) -> None:
        return None

    monkeypatch.setattr(OverrideDialog, "ask", refuse)
    assert window.findChild(QPushButton, "backoffice") is not None
    assert window.open_backoffice() is None
