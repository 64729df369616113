"""The back office's members page shows a member's balance as last known and their purchases."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos_app.store.db import Database
from pos_app.ui.backoffice.members_page import MembersPage
from tests.services.test_member_history import know, sell_to
from tests.ui.backoffice.test_backoffice_window import MANAGER, idle, open_window


def test_search_then_pick_shows_balance_with_its_time_and_the_purchases(
    qtbot: QtBot, db: Database
) -> None:
    """Phone tail 1234 finds 王女士; picking her shows points as of a time and her sale."""
    know(db, "M1", "王女士", "1234", 120)
    sale_no = sell_to(db, "M1", "1003")
    window = open_window(qtbot, db, MANAGER)
    page: MembersPage = window.members
    window.tabs.setCurrentWidget(page)
    page.find_box.setText("1234")
    page.refresh()
    idle(qtbot, window)
    assert page.member_model.rows[0][:2] == ["王女士", "****1234"]
    page.member_view.selectRow(0)
    page.show_member(page.members[0])
    idle(qtbot, window)
    assert "积分 124" in page.balance.text() and "以商城为准" in page.balance.text()
    assert page.purchase_model.rows[0][1] == sale_no
    assert page.purchase_model.rows[0][2] == "¥4.00"
    window.close()
