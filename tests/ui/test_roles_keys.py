"""Issue 15: roles that mean something, by keys sent to the focused widget. A cashier may give
down to 九折; deeper, the approver types their staff number and PIN: supervisor 3001 approves
八折, is refused 七折 (the dialog says a manager may), and the manager then approves it; Esc
approves nothing. What is stored (sale lines, the journal's approver) is asserted."""

from __future__ import annotations

import json

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.services.permissions import Action, read_table, store_table
from pos_app.store.db import Database
from pos_app.store.models import JournalEntry, SaleLine, Setting
from pos_app.ui.line_dialogs import DiscountDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.permissions_dialog import PermissionsDialog
from pos_app.ui.printing import PrinterBridge
from pos_app.ui.qt import QApplication, Qt
from pos_app.ui.settings_dialog import SettingsDialog
from tests.conftest import (
    CASHIER_ID,
    MANAGER_ID,
    MANAGER_PIN,
    SUPERVISOR_CODE,
    SUPERVISOR_ID,
    SUPERVISOR_PIN,
    barcode_of,
)
from tests.hardware.fake_printer import FakePrinter
from tests.ui.conftest import FakeClock, wait_idle
from tests.ui.keys import ENTER, focused, open_by_key, press, scan_code, type_text
from tests.ui.test_dialog_focus import answer_override
from tests.ui.test_refund_keys import journal, open_refund, split_sale
from tests.ui.test_zhe_discount import ten_colas

REFUSED_SUPERVISOR = "王主管（主管）只能批准不低于八折的打折，请经理批准"


def journaled(db: Database, kind: str) -> list[tuple[int, int | None, dict[str, int]]]:
    with db.read() as session:
        rows = session.execute(
            select(JournalEntry.actor_id, JournalEntry.approver_id, JournalEntry.payload).where(
                JournalEntry.kind == kind
            )
        ).all()
    return [(actor, approver, json.loads(payload)) for actor, approver, payload in rows]


def approver_keys(
    qtbot: QtBot, clock: FakeClock, dialog: OverrideDialog, code: str, pin: str
) -> str:
    """Staff number, Enter, PIN, Enter; what the dialog then says (empty once approved)."""
    type_text(clock, code)
    press(clock, ENTER)
    assert focused() is dialog.pin
    type_text(clock, pin)
    press(clock, ENTER)
    qtbot.waitUntil(
        lambda: dialog.approval is not None or dialog.error.text() not in ("", "正在验证…"),
        timeout=10_000,
    )
    return "" if dialog.approval is not None else dialog.error.text()


def discount_zhe(qtbot: QtBot, clock: FakeClock, window: MainWindow, zhe: str) -> DiscountDialog:
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F5, DiscountDialog)
    type_text(clock, zhe)
    return dialog


def pay_exact(qtbot: QtBot, clock: FakeClock, window: MainWindow, amount: str) -> SaleLine:
    """F12, the exact cash, Enter; the stored sale line."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.sale.table)  # back from dialogs
    open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    type_text(clock, amount)
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    wait_idle(qtbot, window)
    with window.ctx.db.read() as session:
        return session.scalars(select(SaleLine)).one()


def test_a_cashiers_ba_zhe_is_approved_by_supervisor_3001(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """8 + Enter is deeper than a cashier's 九折: the dialog names who may (主管或经理), takes
    3001 + PIN, and the sale line stores ¥7.00 off with 3001 in the journal as approver."""
    ten_colas(qtbot, clock, window)
    said: list[str] = []

    def supervisor(dialog: OverrideDialog) -> None:
        said.append(dialog.findChild(type(dialog.error), "who").text())
        said.append(approver_keys(qtbot, clock, dialog, SUPERVISOR_CODE, SUPERVISOR_PIN))

    asked = answer_override(qtbot, supervisor)
    discount_zhe(qtbot, clock, window, "8")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    assert asked == ["approver_code"] and said == ["可以批准：主管或经理", ""]
    assert window.sale.total.text() == "¥28.00"
    line = pay_exact(qtbot, clock, window, "28")
    assert (line.gross_fen, line.discount_fen, line.net_fen) == (3500, 700, 2800)
    [(actor, approver, payload)] = journaled(db, "discount")
    assert (actor, approver, payload["paid_bp"]) == (CASHIER_ID, SUPERVISOR_ID, 8000)


def test_a_supervisor_is_refused_qi_zhe_and_the_manager_approves_it(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """7 + Enter (七折): 3001's number and PIN are refused in Chinese, saying a manager may;
    the keyboard is back in the staff number; 2001 + PIN approves; the journal names 2001."""
    ten_colas(qtbot, clock, window)
    said: list[str] = []

    def supervisor_then_manager(dialog: OverrideDialog) -> None:
        said.append(approver_keys(qtbot, clock, dialog, SUPERVISOR_CODE, SUPERVISOR_PIN))
        assert focused() is dialog.code
        said.append(approver_keys(qtbot, clock, dialog, "2001", MANAGER_PIN))

    answer_override(qtbot, supervisor_then_manager)
    discount_zhe(qtbot, clock, window, "7")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    assert said == [REFUSED_SUPERVISOR, ""]
    line = pay_exact(qtbot, clock, window, "24.50")
    assert (line.discount_fen, line.net_fen) == (1050, 2450)
    [(actor, approver, _)] = journaled(db, "discount")
    assert (actor, approver) == (CASHIER_ID, MANAGER_ID)


def test_esc_approves_nothing(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """7 + Enter, then Esc in the approver dialog: the discount dialog says nothing was
    approved, the line keeps its price and nothing is journaled."""
    ten_colas(qtbot, clock, window)
    answer_override(qtbot, lambda _: press(clock, Qt.Key.Key_Escape))
    dialog = discount_zhe(qtbot, clock, window, "7")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    assert dialog.error.text() == "未获授权，没有改动"
    assert window.sale.cart.lines[0].line_discount_fen == 0
    wait_idle(qtbot, window)
    assert journaled(db, "discount") == []


def test_f8_void_approved_by_supervisor_3001(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """F8 (a cashier may not void): 3001 + PIN removes the line; the journal names 3001."""
    scan_code(clock, barcode_of("1001"))
    scan_code(clock, barcode_of("1002"))
    said: list[str] = []
    answer_override(
        qtbot,
        lambda dialog: said.append(
            approver_keys(qtbot, clock, dialog, SUPERVISOR_CODE, SUPERVISOR_PIN)
        ),
    )
    press(clock, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: len(window.sale.cart.lines) == 1)
    wait_idle(qtbot, window)
    assert said == [""]
    [(actor, approver, payload)] = journaled(db, "void_line")
    assert (actor, approver, payload["line"]) == (CASHIER_ID, SUPERVISOR_ID, 2)


def test_a_manager_edits_the_limits_in_settings_and_the_till_follows(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """F10 (a cashier may not: 2001 + PIN), F6 权限与限额: the keyboard is in 收银员's 打折;
    8.5, Tab (主管's), 7, Enter saves and journals it with the manager as approver. Then the
    cashier's own 八五折 asks nobody."""
    answer_override(qtbot, lambda dialog: approver_keys(qtbot, clock, dialog, "2001", MANAGER_PIN))
    settings = open_by_key(qtbot, clock, window, Qt.Key.Key_F10, SettingsDialog)
    press(clock, Qt.Key.Key_F6)
    [limits] = [d for d in settings.findChildren(PermissionsDialog) if d.isVisible()]
    qtbot.waitUntil(lambda: limits.isAncestorOf(QApplication.focusWidget()))
    assert focused().objectName() == "cashier_discount" and focused().text() == "9"
    type_text(clock, "8.5")
    press(clock, Qt.Key.Key_Tab)
    assert focused().objectName() == "supervisor_discount"
    type_text(clock, "7")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: not limits.isVisible())
    assert settings.error.text() == "权限已保存"
    with db.read() as session:
        stored = session.scalar(select(Setting.value).where(Setting.key == "role_permissions"))
    assert stored is not None
    table = json.loads(stored)
    assert (table["cashier"]["discount"], table["supervisor"]["discount"]) == (1500, 3000)
    [(actor, approver, _)] = journaled(db, "settings")
    assert (actor, approver) == (CASHIER_ID, MANAGER_ID)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is settings.permissions)
    press(clock, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.sale.table)

    ten_colas(qtbot, clock, window)
    discount_zhe(qtbot, clock, window, "8.5")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    wait_idle(qtbot, window)
    [(actor, approver, payload)] = journaled(db, "discount")
    assert (actor, approver, payload["paid_bp"]) == (CASHIER_ID, None, 8500)


def test_ctrl_d_opens_the_drawer_once_3001_approves(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    printer: FakePrinter,
    printing: PrinterBridge,
) -> None:
    """Ctrl+D (开钱箱, no sale): a cashier may not, 3001 + PIN approves; the printer gets the
    drawer kick and the journal a drawer_open naming 3001."""
    said: list[str] = []
    answer_override(
        qtbot,
        lambda dialog: said.append(
            approver_keys(qtbot, clock, dialog, SUPERVISOR_CODE, SUPERVISOR_PIN)
        ),
    )
    press(clock, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    [kick] = printer.wait_for_jobs(1)
    assert b"\x1bp" in kick  # ESC p: the drawer pulse
    wait_idle(qtbot, window)
    assert said == [""] and window.sale.message.text() == "钱箱已打开（无销售，已记录）"
    [(actor, approver, payload)] = journaled(db, "drawer_open")
    assert (actor, approver, payload) == (CASHIER_ID, SUPERVISOR_ID, {"no_sale": True})


def test_the_approvers_staff_card_is_scanned_into_the_dialog(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """F8, then 3001's staff card scanned: the number fills in (no item joins the cart), the
    cursor is in the PIN; PIN + Enter voids the line."""
    scan_code(clock, barcode_of("1001"))
    said: list[str] = []

    def card_then_pin(dialog: OverrideDialog) -> None:
        scan_code(clock, SUPERVISOR_CODE)
        assert dialog.code.text() == SUPERVISOR_CODE and focused() is dialog.pin
        type_text(clock, SUPERVISOR_PIN)
        press(clock, ENTER)
        qtbot.waitUntil(lambda: dialog.approval is not None, timeout=10_000)
        said.append(dialog.approval.name)

    answer_override(qtbot, card_then_pin)
    press(clock, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: window.sale.cart.is_empty)
    wait_idle(qtbot, window)
    assert said == ["王主管"]
    [(_, approver, _)] = journaled(db, "void_line")
    assert approver == SUPERVISOR_ID


def test_a_refund_above_the_supervisors_limit_is_refused_and_the_manager_approves(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """With the supervisor's receipt-refund limit at ¥5.00: F7, the receipt scanned, F4 全部退货,
    Enter: 3001 + PIN is refused saying a manager may; 2001 + PIN approves the ¥11.50 refund,
    journaled with 2001."""
    with db.write() as session:
        table = read_table(session)
        table["supervisor"][Action.REFUND_RECEIPT] = 500
        store_table(session, table)
    window.ctx.reload_settings()
    sale_no = split_sale(db)
    dialog = open_refund(qtbot, clock, window)
    scan_code(clock, sale_no)
    press(clock, Qt.Key.Key_F4)
    assert focused() is dialog.refund_button
    said: list[str] = []

    def supervisor_then_manager(approval: OverrideDialog) -> None:
        said.append(approver_keys(qtbot, clock, approval, SUPERVISOR_CODE, SUPERVISOR_PIN))
        said.append(approver_keys(qtbot, clock, approval, "2001", MANAGER_PIN))

    answer_override(qtbot, supervisor_then_manager)
    press(clock, ENTER)
    wait_idle(qtbot, window)
    assert said == ["王主管（主管）只能批准不超过 ¥5.00 的凭小票退货，请经理批准", ""]
    [entry] = journal(db, "refund")
    assert (entry["total_fen"], entry["approver"]) == (-1150, MANAGER_ID)
