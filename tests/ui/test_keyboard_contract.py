"""The keyboard contract of the money screens (docs/keyboard.md), driven only by keys sent to the
focused widget: Enter never completes a sale the tenders do not cover, a typed amount + Enter
tenders exactly that amount, Esc backs out one step, and what is stored is what was handed over."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pos_app.store.db import Database
from pos_app.store.models import HeldCart, JournalEntry, Payment, Sale
from pos_app.ui.close_guard import CloseWithCartDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import QApplication, Qt, QTimer
from tests.conftest import barcode_of
from tests.ui.conftest import FakeClock, log_in, make_till, wait_idle
from tests.ui.keys import ENTER, focused, open_by_key, press, scan_code, type_text


def stored_tenders(db: Database) -> list[tuple[str, int, int]]:
    """(kind, amount applied, amount handed over) of every stored payment row."""
    columns = select(Payment.kind, Payment.amount_fen, Payment.tendered_fen).order_by(Payment.id)
    with db.read() as session:
        return [(kind, amount, tendered) for kind, amount, tendered in session.execute(columns)]


def sales_count(db: Database) -> int:
    with db.read() as session:
        return len(session.scalars(select(Sale.id)).all())


def test_a_typed_amount_and_enter_tenders_exactly_that_and_leaves_the_rest_open(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """Case 1: ¥10.50 due, the cashier types 5 + Enter: ¥5 cash, ¥5.50 still open, no sale."""
    for _ in range(3):
        scan_code(clock, barcode_of("1001"))
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    assert focused() is dialog.amount
    type_text(clock, "5")
    press(clock, ENTER)
    wait_idle(qtbot, window)
    assert dialog.isVisible()
    assert [(t.kind.value, t.amount_fen) for t in dialog.tenders] == [("cash", 500)]
    assert dialog.remaining.text() == "￥5.50" or dialog.remaining.text().endswith("5.50")
    assert sales_count(db) == 0
    type_text(clock, "10")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    wait_idle(qtbot, window)
    assert stored_tenders(db) == [("cash", 500, 500), ("cash", 550, 1000)]
    with db.read() as session:
        assert session.scalar(select(func.sum(Payment.change_fen))) == 450
        assert session.scalar(select(Sale.total_fen)) == 1050


def close_answering(qtbot: QtBot, window: MainWindow, clock: FakeClock, *keys: Qt.Key) -> None:
    """Close the window (× or Alt+F4) and answer the question it asks with keys."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CloseWithCartDialog) or not dialog.isAncestorOf(
            QApplication.focusWidget()
        ):
            QTimer.singleShot(10, answer)  # not on screen with the keyboard yet
            return
        for key in keys:
            press(clock, key)

    QTimer.singleShot(0, answer)
    window.close()


def held_carts(db: Database) -> list[int]:
    with db.read() as session:
        return list(session.scalars(select(HeldCart.total_fen)))


def test_closing_the_window_with_a_cart_asks_and_enter_holds_it(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database, ask_on_close: None
) -> None:
    """Case 3: a cart of two lines; Esc on the question stays; Enter holds the cart, and the
    window closes; the held cart is there to recall."""
    scan_code(clock, barcode_of("1001"))
    scan_code(clock, barcode_of("1002"))
    close_answering(qtbot, window, clock, Qt.Key.Key_Escape)
    assert window.isVisible() and len(window.sale.cart.lines) == 2
    assert held_carts(db) == []
    close_answering(qtbot, window, clock, ENTER)
    assert not window.isVisible()
    assert held_carts(db) == [550]


def test_closing_the_window_can_void_the_cart_with_a_manager_and_journals_it(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    manager_approves: list[str],
    ask_on_close: None,
) -> None:
    """Tab to 整单作废, Enter: the manager approves, the void is journaled, the window closes."""
    scan_code(clock, barcode_of("1001"))
    close_answering(qtbot, window, clock, Qt.Key.Key_Tab, ENTER)
    wait_idle(qtbot, window)
    assert not window.isVisible() and manager_approves
    with db.read() as session:
        kinds = session.scalars(select(JournalEntry.kind)).all()
    assert "void_sale" in kinds and held_carts(db) == []


def test_the_window_stays_open_while_a_payment_is_in_progress(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """Closing during payment is refused with a message; the cart and the dialog stay."""
    scan_code(clock, barcode_of("1001"))
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    window.close()
    assert window.isVisible() and dialog.isVisible()
    assert "正在收款" in window.sale.message.text()


def test_a_till_stopped_by_the_system_holds_the_cart_without_asking(
    qtbot: QtBot, db: Database, clock: FakeClock, ask_on_close: None
) -> None:
    """SIGTERM/log-off ends in dispose(): nobody is there to answer, the cart is held."""
    till = MainWindow(make_till(db, clock))  # not given to qtbot: dispose() deletes it
    till.show()
    log_in(qtbot, till)
    scan_code(clock, barcode_of("1003"))
    wait_idle(qtbot, till)
    till.dispose()
    assert held_carts(db) == [450]
