"""Small things the cashier reads: 最近扫描 follows a quantity change, the change due shows in
large type after a cash sale, and the receipt's member line shows the phone tail the screen
shows."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import update

from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.receipts import build_receipt
from pos_app.services.stock import find_product
from pos_app.store.db import Database
from pos_app.store.member_models import KnownMember
from pos_app.store.models import Product
from pos_app.ui.cart_model import NAME_COLUMN
from pos_app.ui.line_dialogs import QtyDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import QApplication, Qt, QTest
from pos_app.ui.sale_widgets import CHANGE_POINT_SIZE
from tests.conftest import CASHIER_ID, barcode_of
from tests.ui.conftest import SCANNER_KEY_MS, FakeClock, scan
from tests.ui.keys import ENTER, open_by_key, press, type_text


def test_last_scanned_follows_a_quantity_change_and_the_change_is_large(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """Scan a ¥3.50 cola, F3 3 Enter: 最近扫描 says 3 × ¥3.50 = ¥10.50; F12, 20, Enter:
    找零 ¥9.50 in large type."""
    scan(window, barcode_of("1001"), clock)
    open_by_key(qtbot, clock, window, Qt.Key.Key_F3, QtyDialog)
    type_text(clock, "3")
    press(clock, ENTER)
    assert "3 × ¥3.50 = ¥10.50" in window.sale.last_item.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.sale.table)
    open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    type_text(clock, "20")
    press(clock, ENTER)
    change = window.sale.change_due
    qtbot.waitUntil(lambda: change.text() == "找零 ¥9.50")
    assert change.font().pointSize() == CHANGE_POINT_SIZE
    scan(window, barcode_of("1002"), clock)
    assert change.text() == ""


def test_the_receipt_member_line_shows_the_phone_tail(db: Database) -> None:
    """A member the till knows with phone tail 5678: the receipt says 会员: ****5678."""
    with db.write() as session:
        session.add(KnownMember(member_id="M000000424", name="王女士", phone_tail="5678"))
    with db.read() as session:
        found = find_product(session, barcode_of("1001"))
    cart = Cart()
    cart.add(found.info, barcode=barcode_of("1001"))
    cart.attach_member("M000000424")
    result = checkout(
        db, cart=cart, tenders=[Tender(TenderKind.CASH, cart.total_fen)], cashier_id=CASHIER_ID
    )
    with db.read() as session:
        receipt = build_receipt(session, result.sale_id)
    assert receipt.member is not None and receipt.member.masked_id == "****5678"


def test_a_scan_without_enter_is_not_lost(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """A scanner burst with no trailing Enter: after a short pause the item is in the cart."""
    for char in barcode_of("1001"):
        clock.advance(SCANNER_KEY_MS)
        QTest.keyClick(QApplication.focusWidget(), char)
    qtbot.waitUntil(lambda: window.sale.model.rowCount() == 1, timeout=2000)
    assert "可口可乐" in window.sale.last_item.text()


def test_a_long_name_is_shortened_in_last_scanned_and_the_panel_keeps_its_size(
    window: MainWindow, db: Database, clock: FakeClock
) -> None:
    """A name wider than the 最近扫描 panel ends in …; the price line stays whole, the panel keeps
    its two lines (a scan never moves the layout) and the cart table shows the whole name."""
    long_name = "可口可乐" + "经典原味碳酸饮料家庭分享装" * 3
    with db.write() as session:
        session.execute(update(Product).where(Product.sku == "1001").values(name=long_name))
    height = window.sale.last_item.height()
    scan(window, barcode_of("1001"), clock)
    name_line, price_line = window.sale.last_item.text().split("\n")
    assert name_line.startswith("可口可乐") and name_line.endswith("…")
    assert price_line == "1 × ¥3.50 = ¥3.50"
    assert window.sale.last_item.height() == height
    index = window.sale.model.index(0, NAME_COLUMN)
    assert window.sale.model.data(index) == long_name
