"""设置 in the back office by keys (issue 23): a manager switches the cost method to 移动加权平均,
the page says only future sales change, the setting is stored and journaled; a cashier can
only look, and the service refuses a cashier anyway."""

from __future__ import annotations

import json

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.services.errors import ServiceError
from pos_app.services.till_settings import read_cost_method, save_cost_method
from pos_app.store.db import Database
from pos_app.store.models import JournalEntry
from pos_app.ui.qt import Qt, QTest
from tests.conftest import CASHIER_ID
from tests.ui.backoffice.test_backoffice_window import CASHIER, MANAGER, idle, open_window
from tests.ui.keys import focused


def test_a_manager_switches_the_cost_method_by_keys(qtbot: QtBot, db: Database) -> None:
    """Down picks 移动加权平均, Tab reaches 保存, Space saves: stored, journaled, and said."""
    window = open_window(qtbot, db, MANAGER)
    window.show_page(window.settings)
    idle(qtbot, window)
    page = window.settings
    assert page.cost_method.currentText() == "最近进价"
    assert page.explanation.text() == (
        "只影响以后的销售：下次入库起按所选方式计算进价，已售出的商品保留售出时记录的成本。"
    )
    page.cost_method.setFocus()
    qtbot.waitUntil(lambda: focused() is page.cost_method)
    QTest.keyClick(focused(), Qt.Key.Key_Down)
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is page.save_button
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: read_cost_method(db) == "weighted_average", timeout=5_000)
    idle(qtbot, window)
    assert page.message.text() == "已保存：以后的销售按移动加权平均记录成本"
    with db.read() as session:
        entry = session.scalars(
            select(JournalEntry).where(JournalEntry.kind == "settings").order_by(JournalEntry.seq)
        ).all()[-1]
    assert json.loads(entry.payload) == {"cost_method": "weighted_average"}
    assert entry.actor_id == MANAGER.staff_id


def test_a_cashier_sees_the_cost_method_but_cannot_change_it(qtbot: QtBot, db: Database) -> None:
    window = open_window(qtbot, db, CASHIER)
    window.show_page(window.settings)
    idle(qtbot, window)
    assert not window.settings.cost_method.isEnabled()
    assert not window.settings.save_button.isEnabled()
    with pytest.raises(ServiceError):
        save_cost_method(db, "weighted_average", actor_id=CASHIER_ID)
    assert read_cost_method(db) == "last"
