"""Issue 15: discounts as Chinese shops say them. F5 opens with the keyboard in 本行打折: 9 is
九折, 8.5 or 85 is 八五折 (90 is 九折 too, never 90 % off); F3 switches to 整单打折. Within the
store's limit (10 %) no manager is asked; above it the manager's PIN is typed. What is stored is
integer fen, and every discount is journaled. Driven by keys sent to the focused widget."""

from __future__ import annotations

import json

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.store.db import Database
from pos_app.store.models import JournalEntry, Sale, SaleLine
from pos_app.ui.line_dialogs import DiscountDialog, QtyDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import QApplication, Qt
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.ui.conftest import FakeClock, wait_idle
from tests.ui.keys import ENTER, focused, open_by_key, press, scan_code, type_text
from tests.ui.test_dialog_focus import answer_override, approve_as_manager

DISCOUNT_COLUMN, AMOUNT_COLUMN = 4, 5


def ten_colas(qtbot: QtBot, clock: FakeClock, window: MainWindow) -> None:
    """One line of 10 × ¥3.50 = ¥35.00, set by F3."""
    scan_code(clock, barcode_of("1001"))
    open_by_key(qtbot, clock, window, Qt.Key.Key_F3, QtyDialog)
    type_text(clock, "10")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.sale.table)


def discount_by_keys(
    qtbot: QtBot, clock: FakeClock, window: MainWindow, typed: str, mode: Qt.Key | None = None
) -> DiscountDialog:
    """F5, optionally a mode key, the text; the preview is read before Enter."""
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F5, DiscountDialog)
    assert focused() is dialog.value
    if mode is not None:
        press(clock, mode)
        assert focused() is dialog.value
    type_text(clock, typed)
    return dialog


def cell(window: MainWindow, column: int) -> str:
    return window.sale.model.data(window.sale.model.index(0, column))


def discounts_journaled(db: Database) -> list[tuple[int, int | None, dict[str, int]]]:
    with db.read() as session:
        rows = session.execute(
            select(JournalEntry.actor_id, JournalEntry.approver_id, JournalEntry.payload).where(
                JournalEntry.kind == "discount"
            )
        ).all()
    return [(actor, approver, json.loads(payload)) for actor, approver, payload in rows]


def test_nine_and_enter_gives_jiu_zhe_on_the_line_without_a_manager(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """9 + Enter: ¥3.50 off ¥35.00 (at the 10 % limit: nobody asked), shown as 九折, journaled."""
    ten_colas(qtbot, clock, window)
    dialog = discount_by_keys(qtbot, clock, window, "9")
    assert dialog.preview.text() == "九折：优惠 ¥3.50"
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    assert window.sale.cart.lines[0].line_discount_fen == 350
    assert (cell(window, DISCOUNT_COLUMN), cell(window, AMOUNT_COLUMN)) == ("九折", "31.50")
    assert window.sale.total.text() == "¥31.50"
    wait_idle(qtbot, window)
    [(actor, approver, payload)] = discounts_journaled(db)
    assert (actor, approver) == (CASHIER_ID, None)
    assert payload == {"discount_fen": 350, "base_fen": 3500, "line": 1, "paid_bp": 9000}


def test_ninety_is_read_as_jiu_zhe_not_ninety_percent_off(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """The mistake the old percent field invited: 90 is 九折 (¥3.50 off), not ¥31.50 off."""
    ten_colas(qtbot, clock, window)
    dialog = discount_by_keys(qtbot, clock, window, "90")
    assert dialog.preview.text() == "九折：优惠 ¥3.50"
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    assert window.sale.cart.lines[0].line_discount_fen == 350


def test_ba_wu_zhe_is_above_the_limit_and_the_manager_types_the_pin(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """8.5 + Enter is 15 % off: the override dialog takes the manager's PIN + Enter; ¥5.25 off,
    then paid in cash: the sale and its line store the discount in fen."""
    ten_colas(qtbot, clock, window)
    dialog = discount_by_keys(qtbot, clock, window, "8.5")
    assert dialog.preview.text() == "八五折：优惠 ¥5.25"

    asked = answer_override(qtbot, approve_as_manager(clock))
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    assert asked == ["approver_code"]
    assert cell(window, DISCOUNT_COLUMN) == "八五折" and window.sale.total.text() == "¥29.75"
    wait_idle(qtbot, window)
    [(_, approver, payload)] = discounts_journaled(db)
    assert approver == MANAGER_ID and payload["discount_fen"] == 525

    open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    type_text(clock, "29.75")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    wait_idle(qtbot, window)
    with db.read() as session:
        sale = session.scalars(select(Sale)).one()
        line = session.scalars(select(SaleLine)).one()
        assert (sale.total_fen, sale.discount_fen) == (2975, 525)
        assert (line.gross_fen, line.discount_fen, line.net_fen) == (3500, 525, 2975)


def test_f3_in_the_dialog_gives_the_whole_sale_a_zhe(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """Two lines (¥35.00 + ¥4.50); F5, F3 (整单打折), 9.5, Enter: 5 % of ¥39.50 = ¥1.98 off
    the sale, within the limit, journaled without a line."""
    ten_colas(qtbot, clock, window)
    scan_code(clock, barcode_of("1003"))
    dialog = discount_by_keys(qtbot, clock, window, "9.5", mode=Qt.Key.Key_F3)
    assert dialog.field_label.text().startswith("折数")
    assert dialog.preview.text() == "九五折：优惠 ¥1.98"
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    assert window.sale.cart.order_discount_fen == 198
    assert window.sale.total.text() == "¥37.52"
    assert "优惠 ¥1.98" in window.sale.summary.text()
    wait_idle(qtbot, window)
    [(_, approver, payload)] = discounts_journaled(db)
    assert approver is None
    assert payload == {"discount_fen": 198, "base_fen": 3950, "paid_bp": 9500}


def test_text_that_is_no_zhe_is_refused_in_chinese_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """abc + Enter: the dialog stays open and says in Chinese what a 折 is; the cart is as it
    was and nothing is journaled; Esc closes it."""
    ten_colas(qtbot, clock, window)
    dialog = discount_by_keys(qtbot, clock, window, "abc")
    assert dialog.preview.text() == ""
    press(clock, ENTER)
    assert dialog.error.text().startswith("“abc”不是折数")
    assert window.sale.cart.lines[0].line_discount_fen == 0
    press(clock, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    wait_idle(qtbot, window)
    assert discounts_journaled(db) == []
